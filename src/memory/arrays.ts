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

/**
 * The arrays lanes hands out: plain Float32Array/Float64Array views of blocks
 * of the shared memory. A block is released by free(), or, as a safety net,
 * when its view is garbage-collected.
 */
export class Arrays {
  private readonly blocks = new WeakMap<FloatArray, number>();
  private readonly released = new WeakSet<FloatArray>();
  private readonly collector = new FinalizationRegistry<number>((start) => this.release(start));
  /** Blocks that calls in progress read or write: start → how many calls. */
  private readonly pins = new Map<number, number>();
  /** Pinned blocks already freed: released when their last call settles, so no new array takes them first. */
  private readonly doomed = new Set<number>();

  constructor(
    readonly memory: SharedMemory,
    readonly allocator: Allocator,
  ) {}

  /** A new lanes array of n elements (contents unspecified). */
  empty(n: number, dtype: Dtype): FloatArray {
    const start = this.allocator.alloc(n * DTYPES[dtype].bytes);
    const view = new DTYPES[dtype].View(this.memory.buffer as unknown as ArrayBuffer, start, n);
    this.blocks.set(view, start);
    this.collector.register(view, start, view);
    return view;
  }

  /** Releases a lanes array; false if it is not one (or was released already). */
  free(view: FloatArray): boolean {
    const start = this.blocks.get(view);
    if (start === undefined) return false;
    this.blocks.delete(view);
    this.released.add(view);
    this.collector.unregister(view);
    return this.release(start);
  }

  /** Keeps the block under a lanes view allocated until unpin(start), even if it is freed meanwhile. */
  pin(view: FloatArray): number | undefined {
    const start = this.blocks.get(view) ?? this.allocator.blockAt(view.byteOffset)?.start;
    if (start !== undefined) this.pins.set(start, (this.pins.get(start) ?? 0) + 1);
    return start;
  }

  unpin(start: number): void {
    const count = this.pins.get(start)! - 1;
    if (count > 0) this.pins.set(start, count);
    else if (this.pins.delete(start) && this.doomed.delete(start)) this.allocator.free(start);
  }

  private release(start: number): boolean {
    if (!this.pins.has(start)) return this.allocator.free(start);
    this.doomed.add(start);
    return true;
  }

  wasReleased(view: FloatArray): boolean {
    return this.released.has(view);
  }

  /**
   * A view lanes handed out is 'lanes' until freed. Any other view of the
   * shared memory (a subarray, say) is 'lanes' while it lies inside one live
   * block, and 'freed' otherwise.
   */
  residence(view: FloatArray): Residence {
    if (this.blocks.has(view)) return 'lanes';
    if (this.released.has(view)) return 'freed';
    if (!this.memory.owns(view.buffer)) return 'foreign';
    if (view.byteLength === 0) return 'lanes';
    const block = this.allocator.blockAt(view.byteOffset);
    const inside = block !== undefined && view.byteOffset + view.byteLength <= block.start + block.size && !this.doomed.has(block.start);
    return inside ? 'lanes' : 'freed';
  }
}
