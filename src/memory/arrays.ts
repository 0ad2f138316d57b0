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
  private readonly collector = new FinalizationRegistry<number>((start) => this.allocator.free(start));

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
    return this.allocator.free(start);
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
    const inside = block !== undefined && view.byteOffset + view.byteLength <= block.start + block.size;
    return inside ? 'lanes' : 'freed';
  }
}
