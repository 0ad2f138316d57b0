import { Allocator } from './allocator.js';
import { SharedMemory } from './shared.js';

export type Dtype = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;
type FloatArrayConstructor = Float32ArrayConstructor | Float64ArrayConstructor;

export const DTYPES: Record<Dtype, { bytes: 4 | 8; View: FloatArrayConstructor }> = {
  float32: { bytes: 4, View: Float32Array },
  float64: { bytes: 8, View: Float64Array },
};

export function dtypeOf(array: FloatArray): Dtype {
  return array instanceof Float32Array ? 'float32' : 'float64';
}

export function isFloatArray(x: unknown): x is FloatArray {
  return x instanceof Float32Array || x instanceof Float64Array;
}

/** Where an array's elements are: in live lanes memory, in freed lanes memory, or elsewhere. */
export type Residence = 'lanes' | 'freed' | 'foreign';

/** Which block a lanes view belongs to: its start and generation. */
type Home = [start: number, generation: number];

/**
 * The arrays lanes hands out: plain Float32Array/Float64Array views of blocks
 * of the shared memory. Each thread has its own Arrays over the one shared
 * allocator. A block is released by free() (in any thread), or, as a safety
 * net, once every thread's registered views of it are garbage-collected and
 * no call pins it.
 *
 * "Freed" is a property of the block, shared by all threads: once any thread
 * frees it, every view of it, in every thread, is refused by lanes calls.
 * A view knows its block by (start, generation), so a block that was freed
 * and allocated again is still recognised as another one.
 */
export class Arrays {
  private readonly blocks = new WeakMap<FloatArray, Home>();
  private readonly released = new WeakSet<FloatArray>();
  /** Views found in live lanes memory, with the allocator's release count then (see residence). */
  private readonly checked = new WeakMap<FloatArray, number>();
  private readonly collector = new FinalizationRegistry<Home>(([start, generation]) => this.allocator.drop(start, generation));
  /** Per open lanes.scope, innermost last: the arrays made or adopted here since it opened. */
  private readonly scopes: FloatArray[][] = [];

  constructor(
    readonly memory: SharedMemory,
    readonly allocator: Allocator,
    /**
     * New arrays are this thread's until handed to another (Allocator.retain):
     * a pool worker's, which only it can reach, go when it dies.
     */
    private readonly ofThisThread = false,
  ) {}

  /** A new lanes array of n elements (contents unspecified). */
  empty(n: number, dtype: Dtype): FloatArray {
    const start = this.allocator.alloc(n * DTYPES[dtype].bytes, 1, this.ofThisThread);
    const home: Home = [start, this.allocator.lastGeneration];
    const view = new DTYPES[dtype].View(this.memory.covering(start + n * DTYPES[dtype].bytes) as unknown as ArrayBuffer, start, n);
    this.blocks.set(view, home);
    this.collector.register(view, home, view);
    this.scopes[this.scopes.length - 1]?.push(view);
    return view;
  }

  openScope(): void {
    this.scopes.push([]);
  }

  /**
   * Closes the innermost scope: frees each array made in it, unless its
   * block is one that an array in `keep` lies in (those go to the enclosing
   * scope, if any), or with `free` false leaves them all to the collector.
   */
  closeScope(keep: FloatArray[], free: boolean): void {
    const made = this.scopes.pop() ?? [];
    const outer = this.scopes[this.scopes.length - 1];
    const kept = new Set(keep.map((view) => this.homeOf(view)?.[0]));
    for (const view of made) {
      const home = this.blocks.get(view);
      if (home === undefined) continue; // freed already
      if (free && !kept.has(home[0])) this.free(view);
      else outer?.push(view);
    }
  }

  /**
   * Releases a lanes array: 'freed', 'stale' if its block was freed already
   * (here or by another thread), 'foreign' if lanes did not hand it out here.
   */
  free(view: FloatArray): 'freed' | 'stale' | 'foreign' {
    const home = this.blocks.get(view);
    if (home === undefined) return this.released.has(view) ? 'stale' : 'foreign';
    this.blocks.delete(view);
    this.released.add(view);
    this.collector.unregister(view);
    return this.allocator.discard(home[0], home[1]);
  }

  /** Where a lanes view's block is, for sending it to another thread; undefined if it is not in live lanes memory. */
  homeOf(view: FloatArray): Home | undefined {
    const home = this.blocks.get(view);
    if (this.residence(view) !== 'lanes') return undefined;
    if (home) return home;
    if (view.byteLength === 0) return undefined;
    const block = this.allocator.blockAt(view.byteOffset)!;
    return [block.start, block.generation];
  }

  /**
   * A view of `n` elements at byte `at` of block `home`, as another thread
   * sent it. `owned`: the sender retained one view of the block for it, which
   * this view now holds (released when it is collected); otherwise the view
   * is borrowed, for a call during which the sender keeps the block pinned.
   */
  adopt(dtype: Dtype, at: number, n: number, home: Home, owned: boolean): FloatArray {
    const view = new DTYPES[dtype].View(this.memory.covering(at + n * DTYPES[dtype].bytes) as unknown as ArrayBuffer, at, n);
    this.blocks.set(view, home);
    if (owned) {
      this.collector.register(view, home, view);
      this.scopes[this.scopes.length - 1]?.push(view);
    }
    return view;
  }

  /** Keeps the block under a lanes view allocated until unpin(start), even if it is freed meanwhile. */
  pin(view: FloatArray): number | undefined {
    const start = this.blocks.get(view)?.[0] ?? this.allocator.blockAt(view.byteOffset)?.start;
    if (start !== undefined && this.allocator.pin(start)) return start;
    return undefined;
  }

  unpin(start: number): void {
    this.allocator.unpin(start);
  }

  wasReleased(view: FloatArray): boolean {
    return this.released.has(view);
  }

  /**
   * A view lanes handed out (or adopted) is 'lanes' while its block lives
   * and is not freed. Any other view of the shared memory (a subarray, say)
   * is 'lanes' while it lies inside one live block, and 'freed' otherwise.
   */
  residence(view: FloatArray): Residence {
    // A view found live stays live until some block is released: calls on
    // the same arrays skip the locked lookup.
    const releases = this.allocator.releases;
    if (this.checked.get(view) === releases) return 'lanes';
    const found = this.lookUp(view);
    if (found === 'lanes') this.checked.set(view, releases);
    return found;
  }

  private lookUp(view: FloatArray): Residence {
    const home = this.blocks.get(view);
    if (home !== undefined) {
      const block = this.allocator.blockAt(home[0]);
      return block !== undefined && block.start === home[0] && block.generation === home[1] && !block.freed ? 'lanes' : 'freed';
    }
    if (this.released.has(view)) return 'freed';
    if (!this.memory.owns(view.buffer)) return 'foreign';
    if (view.byteLength === 0) return 'lanes';
    const block = this.allocator.blockAt(view.byteOffset);
    const inside = block !== undefined && view.byteOffset + view.byteLength <= block.start + block.size && !block.freed;
    return inside ? 'lanes' : 'freed';
  }
}
