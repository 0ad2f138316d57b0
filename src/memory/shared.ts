/** Bytes in a wasm page. */
export const PAGE_BYTES = 65536;
/** 4 GiB: the most a wasm32 memory can address. */
export const MAX_PAGES = 65536;
export const HEAP_LIMIT = PAGE_BYTES * MAX_PAGES;

const INITIAL_PAGES = 64; // 4 MiB

/**
 * The one shared WebAssembly.Memory. Every thread instantiates the module over
 * it. Growing never detaches old views but leaves them at their old length,
 * so the whole-memory view is rebuilt after each grow.
 */
export class SharedMemory {
  readonly memory: WebAssembly.Memory;
  /** Every SharedArrayBuffer object this memory has handed out (one per size). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  bytes!: Uint8Array;
  /** The whole memory as float64, as of the last refresh. */
  f64!: Float64Array;

  /** A new memory, or (in a worker) the one another thread created. */
  constructor(memory?: WebAssembly.Memory) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
    this.refresh();
  }

  get byteLength(): number {
    return this.bytes.byteLength;
  }

  /** True if `buffer` is this memory, seen at any of its sizes. */
  owns(buffer: ArrayBufferLike): boolean {
    return this.buffers.has(buffer);
  }

  /** The current buffer, covering the whole memory. */
  get buffer(): SharedArrayBuffer {
    return this.bytes.buffer as SharedArrayBuffer;
  }

  /**
   * Grows to at least `end` bytes (by ≥ 1/8 of the size, to amortize) and
   * returns the new size, or false at the 4 GiB limit or if the system refuses.
   */
  growTo(end: number): number | false {
    const have = this.memory.buffer.byteLength / PAGE_BYTES;
    const need = Math.ceil(end / PAGE_BYTES);
    if (need > MAX_PAGES) return false;
    const pages = Math.min(MAX_PAGES, Math.max(need, have + Math.ceil(have / 8)));
    try {
      this.memory.grow(pages - have);
    } catch {
      try {
        this.memory.grow(need - have);
      } catch {
        return false;
      }
    }
    this.refresh();
    return this.byteLength;
  }

  /**
   * The current buffer, covering at least [0, end): another thread may have
   * grown the memory since this thread last looked.
   */
  covering(end: number): SharedArrayBuffer {
    if (end > this.bytes.byteLength) this.refresh();
    return this.buffer;
  }

  private refresh(): void {
    const buffer = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(buffer);
    this.bytes = new Uint8Array(buffer);
    this.f64 = new Float64Array(buffer, 0, buffer.byteLength >>> 3);
  }
}
