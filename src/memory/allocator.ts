import { threadId } from 'node:worker_threads';
import { outOfMemory } from '../errors.js';

/** Every block starts on, and spans a multiple of, this many bytes. */
export const ALIGN = 64;

const alignUp = (x: number) => Math.ceil(x / ALIGN) * ALIGN;

// The allocator's state lives in three SharedArrayBuffers, so that every
// thread that attaches to it allocates from the same heap: a header (a lock
// and the counters), the free list and the list of live blocks. The lists
// are growable buffers whose views track their length in every thread. The
// bookkeeping is outside the wasm memory, so no write into an array can
// corrupt it. Every access takes the lock, a futex mutex on header word 0
// that names its holder, so that when a thread dies holding it (a worker
// terminated or out of memory) the thread that sees it go can repair the
// lists and release the lock (recover), instead of every other thread
// waiting on it for ever.

/** Header, as Float64 slots (slot 0 holds the Int32 lock word). */
const END = 1;
const TOP = 2;
const USED = 3;
const FREE_COUNT = 4;
const LIVE_COUNT = 5;
const GENERATION = 6;
const LIMIT = 7;
/** Blocks released or marked freed so far: while it stands still, a block found live is still live. */
const RELEASES = 8;
/** Where the heap starts: the free list is the gaps between live blocks from here to END. */
const START = 9;
/** The change to the live list in progress (NONE, INSERT, REMOVE), at which index, and its count before. */
const INTENT = 10;
const INTENT_INDEX = 11;
const INTENT_COUNT = 12;
const HEADER_SLOTS = 13;
const NONE = 0;
const INSERT = 1;
const REMOVE = 2;

/** This thread in the lock word: (threadId + 1) << 1; bit 0 says others wait. */
const SELF = (threadId + 1) * 2;

/** A free range: start, size. */
const FREE_STRIDE = 2;
/** A live block: start, size, generation, registered views, pins, freed (0 or 1), owner. */
const LIVE_STRIDE = 7;
const SIZE = 1;
const GEN = 2;
const VIEWS = 3;
const PINS = 4;
const FREED = 5;
/** threadId + 1 of the thread whose block it is, released when that thread exits; 0 for shared blocks. */
const OWNER = 6;

/** The most entries each list may hold (virtual address space is reserved for them, not memory). */
const MAX_ENTRIES = 1 << 23;
const INITIAL_ENTRIES = 1024;

/** The shared state: pass it to another thread and attach there with Allocator.attach. */
export interface HeapState {
  header: SharedArrayBuffer;
  free: SharedArrayBuffer;
  live: SharedArrayBuffer;
}

/** A live block as blockAt reports it. */
export interface Block {
  start: number;
  size: number;
  /** Which allocation of this address it is: a block freed and allocated again has a new one. */
  generation: number;
  /** Freed by lanes.free while pinned: released when the last pin goes. */
  freed: boolean;
}

/**
 * The host's allocator for the address range [base, limit) of the shared
 * memory, usable from any thread. Free space is an address-ordered list,
 * coalesced on free and searched best-fit; when nothing fits, `grow` (this
 * thread's way to grow the memory) is asked to extend the end of the heap.
 *
 * Live blocks carry what lanes arrays need across threads: a generation, so
 * that a view of a block that was freed and allocated again is known to be
 * stale; a count of registered views (each thread's garbage-collected
 * arrays), released at zero; and pins, which calls in flight hold so that a
 * freed block is not reused before they settle.
 */
export class Allocator {
  private readonly lockWord: Int32Array;
  private readonly header: Float64Array;
  private readonly freeBuffer: SharedArrayBuffer;
  private readonly liveBuffer: SharedArrayBuffer;
  private readonly freeList: Float64Array;
  private readonly liveList: Float64Array;
  /** The generation of the block this thread allocated last. */
  lastGeneration = 0;

  constructor(
    base: number,
    end: number,
    limit: number,
    /** Makes [.., newEnd) usable; returns the new end (≥ newEnd) or false. */
    private readonly grow: (newEnd: number) => number | false,
    state?: HeapState,
    /** Called with each new block's end: this thread's views of the memory must reach it (another thread may have grown it). */
    private readonly cover: (end: number) => void = () => {},
  ) {
    const fresh = state === undefined;
    state ??= {
      header: new SharedArrayBuffer(HEADER_SLOTS * 8),
      free: new SharedArrayBuffer(INITIAL_ENTRIES * FREE_STRIDE * 8, { maxByteLength: MAX_ENTRIES * FREE_STRIDE * 8 }),
      live: new SharedArrayBuffer(INITIAL_ENTRIES * LIVE_STRIDE * 8, { maxByteLength: MAX_ENTRIES * LIVE_STRIDE * 8 }),
    };
    this.lockWord = new Int32Array(state.header, 0, 1);
    this.header = new Float64Array(state.header);
    this.freeBuffer = state.free;
    this.liveBuffer = state.live;
    this.freeList = new Float64Array(state.free);
    this.liveList = new Float64Array(state.live);
    if (!fresh) return;
    const start = alignUp(base);
    this.header[START] = start;
    this.header[END] = end;
    this.header[TOP] = start;
    this.header[LIMIT] = limit;
    if (end > start) this.insertFree(start, end - start);
  }

  /** This allocator's heap, seen from another thread (whose memory grows by `grow`). */
  static attach(state: HeapState, grow: (newEnd: number) => number | false, cover?: (end: number) => void): Allocator {
    return new Allocator(0, 0, 0, grow, state, cover);
  }

  get state(): HeapState {
    return { header: this.header.buffer as SharedArrayBuffer, free: this.freeBuffer, live: this.liveBuffer };
  }

  /** Bytes in live blocks. */
  get inUse(): number {
    return this.locked(() => this.header[USED]);
  }

  /** The highest end address any block has ever reached. */
  get highWater(): number {
    return this.locked(() => this.header[TOP]);
  }

  /**
   * A count that grows whenever a block is released or marked freed, by any
   * thread; read without the lock. While it stands still, whatever this
   * thread found live is still live (what another thread frees is seen here
   * once that thread's work is, through whatever made it visible).
   */
  get releases(): number {
    return this.header[RELEASES];
  }

  /** Live blocks. */
  get blocks(): number {
    return this.locked(() => this.header[LIVE_COUNT]);
  }

  /**
   * Allocates at least `bytes` (≥ 0) and returns the 64-byte aligned start;
   * the block starts with `views` registered views. Its generation is left in
   * lastGeneration. A block `ofThisThread` is released when this thread
   * exits (recover), like the thread's own state in it.
   */
  alloc(bytes: number, views = 0, ofThisThread = false): number {
    const size = Math.max(ALIGN, alignUp(bytes));
    this.lock();
    try {
      let i = this.bestFit(size);
      if (i < 0) {
        this.extend(size, bytes);
        i = this.bestFit(size);
      }
      const free = this.freeList;
      const start = free[i * FREE_STRIDE];
      const rest = free[i * FREE_STRIDE + SIZE] - size;
      if (rest > 0) {
        free[i * FREE_STRIDE] = start + size;
        free[i * FREE_STRIDE + SIZE] = rest;
      } else {
        this.remove(free, FREE_STRIDE, FREE_COUNT, i);
      }
      const h = this.header;
      const generation = ++h[GENERATION];
      this.insertLive(start, size, generation, views, ofThisThread ? threadId + 1 : 0);
      h[USED] += size;
      if (start + size > h[TOP]) h[TOP] = start + size;
      this.lastGeneration = generation;
      this.cover(start + size);
      this.intend(NONE); // the block is the caller's now: a thread that dies from here on keeps it
      return start;
    } finally {
      this.unlock();
    }
  }

  /** Releases the block that starts at `start` now, pinned or not; false if there is none. */
  free(start: number): boolean {
    return this.locked(() => {
      const i = this.liveIndex(start);
      if (i < 0) return false;
      this.release(i);
      return true;
    });
  }

  /** The live block containing byte `address`, if any. */
  blockAt(address: number): Block | undefined {
    return this.locked(() => {
      const i = this.liveAt(address);
      if (i < 0) return undefined;
      const l = this.liveList;
      const p = i * LIVE_STRIDE;
      return { start: l[p], size: l[p + SIZE], generation: l[p + GEN], freed: l[p + FREED] !== 0 };
    });
  }

  /**
   * lanes.free: marks block (start, generation) freed and releases it unless
   * calls pin it. 'stale' if that block is gone already (freed by any thread).
   */
  discard(start: number, generation: number): 'freed' | 'stale' {
    return this.locked(() => {
      const i = this.liveIndex(start, generation);
      if (i < 0) return 'stale';
      this.markFreed(i);
      return 'freed';
    });
  }

  /**
   * One more registered view of block (start, generation), for another
   * thread: the block is no longer one thread's own (alloc's ofThisThread).
   * False if it is gone or freed.
   */
  retain(start: number, generation: number): boolean {
    return this.locked(() => {
      const i = this.liveIndex(start, generation);
      if (i < 0 || this.liveList[i * LIVE_STRIDE + FREED] !== 0) return false;
      this.liveList[i * LIVE_STRIDE + VIEWS]++;
      this.liveList[i * LIVE_STRIDE + OWNER] = 0;
      return true;
    });
  }

  /** A registered view was collected: at no views and no pins the block is released. */
  drop(start: number, generation: number): void {
    this.locked(() => {
      const i = this.liveIndex(start, generation);
      if (i < 0) return;
      const p = i * LIVE_STRIDE;
      const views = --this.liveList[p + VIEWS];
      if (views <= 0 && this.liveList[p + PINS] === 0) this.release(i);
    });
  }

  /** Keeps the block starting at `start` allocated until unpin, even if freed meanwhile. */
  pin(start: number): boolean {
    return this.locked(() => {
      const i = this.liveIndex(start);
      if (i < 0) return false;
      this.liveList[i * LIVE_STRIDE + PINS]++;
      return true;
    });
  }

  unpin(start: number): void {
    this.locked(() => {
      const i = this.liveIndex(start);
      if (i < 0) return;
      const p = i * LIVE_STRIDE;
      const l = this.liveList;
      if (--l[p + PINS] > 0) return;
      if (l[p + FREED] !== 0 || l[p + VIEWS] <= 0) this.release(i);
    });
  }

  private locked<T>(fn: () => T): T {
    this.lock();
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }

  /**
   * A futex mutex, taken after a short spin: the word is 0 when free, else
   * its holder's SELF, plus 1 while others may be waiting. A waiter that
   * finds the lock free takes it with that 1 kept, as it cannot know whether
   * it was the last to wait.
   */
  private lock(): void {
    const w = this.lockWord;
    if (Atomics.compareExchange(w, 0, 0, SELF) === 0) return;
    for (let spin = 0; spin < 100; spin++) {
      if (Atomics.load(w, 0) === 0 && Atomics.compareExchange(w, 0, 0, SELF) === 0) return;
    }
    for (;;) {
      const c = Atomics.load(w, 0);
      if (c === 0) {
        if (Atomics.compareExchange(w, 0, 0, SELF | 1) === 0) return;
      } else if ((c & 1) === 1 || Atomics.compareExchange(w, 0, c, c | 1) === c) {
        Atomics.wait(w, 0, c | 1, 10);
      }
    }
  }

  private unlock(): void {
    if ((Atomics.exchange(this.lockWord, 0, 0) & 1) === 1) Atomics.notify(this.lockWord, 0, 1);
  }

  /**
   * Thread `deadThreadId` has exited: if it held the lock, it may have left
   * the lists half changed. The live list is made whole from the intent the
   * thread recorded (a block it was allocating is dropped, one it was
   * releasing is released), the free list and counters are rebuilt from it,
   * and the lock is released. Returns whether there was anything to repair.
   * Never waits. Arrays the dead thread still held stay allocated.
   */
  recover(deadThreadId: number): boolean {
    const w = this.lockWord;
    if ((Atomics.load(w, 0) & ~1) !== (deadThreadId + 1) * 2) return false;
    this.finishIntent();
    this.rebuild();
    Atomics.store(w, 0, 0);
    Atomics.notify(w, 0);
    return true;
  }

  /**
   * Releases the blocks of exited thread `deadThreadId` (alloc's
   * ofThisThread), if the lock is free now: false, having done nothing, if it
   * is held (perhaps by another dead thread, not yet recovered: waiting for
   * it could wait for ever). One that a call on another thread pins is
   * marked freed instead, and goes at its last unpin.
   */
  releaseBlocksOf(deadThreadId: number): boolean {
    if (Atomics.compareExchange(this.lockWord, 0, 0, SELF) !== 0) return false;
    try {
      const l = this.liveList;
      for (let i = this.header[LIVE_COUNT] - 1; i >= 0; i--) if (l[i * LIVE_STRIDE + OWNER] === deadThreadId + 1) this.markFreed(i);
    } finally {
      this.unlock();
    }
    return true;
  }

  /** Marks live block i freed, and releases it unless calls pin it (then the last unpin does). */
  private markFreed(i: number): void {
    this.liveList[i * LIVE_STRIDE + FREED] = 1;
    this.header[RELEASES]++;
    if (this.liveList[i * LIVE_STRIDE + PINS] === 0) this.release(i);
  }

  /** Records the change about to be made to the live list at index i (or that it is done: NONE). */
  private intend(kind: number, i = 0): void {
    const h = this.header;
    h[INTENT_INDEX] = i;
    h[INTENT_COUNT] = h[LIVE_COUNT];
    h[INTENT] = kind;
  }

  /** Undoes a half-made insertion into the live list, or completes a half-made removal. */
  private finishIntent(): void {
    const h = this.header;
    const l = this.liveList;
    const i = h[INTENT_INDEX];
    const n = h[INTENT_COUNT];
    const S = LIVE_STRIDE;
    // Distinct blocks start at distinct addresses: two equal neighbours are one entry copied.
    const copied = (a: number) => a + 1 < l.length / S && l.subarray(a * S, a * S + S).every((x, k) => x === l[(a + 1) * S + k]);
    if (h[INTENT] === INSERT) {
      // Entries shifted up but the count not raised yet, or the entry written: take it out again.
      if (h[LIVE_COUNT] === n && i < n && copied(i)) h[LIVE_COUNT] = n + 1;
      if (h[LIVE_COUNT] === n + 1) this.remove(l, S, LIVE_COUNT, i);
    } else if (h[INTENT] === REMOVE && h[LIVE_COUNT] === n) {
      // Entries shifted down but the count not lowered yet, or nothing done: finish the removal.
      if (i < n - 1 && copied(n - 2)) h[LIVE_COUNT] = n - 1;
      else this.remove(l, S, LIVE_COUNT, i);
    }
    h[INTENT] = NONE;
  }

  /** The free list, bytes in use and the high-water mark, from the live list. */
  private rebuild(): void {
    const h = this.header;
    const l = this.liveList;
    const gaps: number[] = [];
    let at = h[START];
    let used = 0;
    for (let i = 0; i < h[LIVE_COUNT]; i++) {
      const start = l[i * LIVE_STRIDE];
      const size = l[i * LIVE_STRIDE + SIZE];
      if (start > at) gaps.push(at, start - at);
      at = start + size;
      used += size;
    }
    if (h[END] > at) gaps.push(at, h[END] - at);
    while (gaps.length > this.freeList.length) this.freeBuffer.grow(this.freeBuffer.byteLength * 2);
    this.freeList.set(gaps);
    h[FREE_COUNT] = gaps.length / FREE_STRIDE;
    h[USED] = used;
    h[TOP] = Math.max(h[TOP], at);
    h[RELEASES]++;
  }

  private release(i: number): void {
    const p = i * LIVE_STRIDE;
    const start = this.liveList[p];
    const size = this.liveList[p + SIZE];
    this.intend(REMOVE, i);
    this.remove(this.liveList, LIVE_STRIDE, LIVE_COUNT, i);
    this.intend(NONE);
    this.header[USED] -= size;
    this.header[RELEASES]++;
    this.insertFree(start, size);
  }

  private bestFit(size: number): number {
    const free = this.freeList;
    const n = this.header[FREE_COUNT];
    let best = -1;
    let bestSize = Infinity;
    for (let i = 0; i < n; i++) {
      const s = free[i * FREE_STRIDE + SIZE];
      if (s >= size && s < bestSize) {
        best = i;
        bestSize = s;
        if (s === size) break;
      }
    }
    return best;
  }

  /** Grows the heap so that a block of `size` fits at its end. */
  private extend(size: number, requested: number): void {
    const h = this.header;
    const free = this.freeList;
    const n = h[FREE_COUNT];
    const end = h[END];
    const last = (n - 1) * FREE_STRIDE;
    const lastFreeEndsAtEnd = n > 0 && free[last] + free[last + SIZE] === end;
    const from = lastFreeEndsAtEnd ? free[last] : end;
    const newEnd = from + size;
    const got = newEnd <= h[LIMIT] ? this.grow(newEnd) : false;
    if (got === false) throw outOfMemory(requested, h[USED], h[LIMIT]);
    this.insertFree(end, got - end);
    h[END] = got;
  }

  /** Index of the live block starting at `start` (with that generation, if given), or -1. */
  private liveIndex(start: number, generation?: number): number {
    const i = this.liveAt(start);
    if (i < 0) return -1;
    const p = i * LIVE_STRIDE;
    if (this.liveList[p] !== start || (generation !== undefined && this.liveList[p + GEN] !== generation)) return -1;
    return i;
  }

  /** Index of the live block containing `address`, or -1. */
  private liveAt(address: number): number {
    const l = this.liveList;
    const i = upperBound(l, LIVE_STRIDE, this.header[LIVE_COUNT], address) - 1;
    if (i < 0) return -1;
    return address < l[i * LIVE_STRIDE] + l[i * LIVE_STRIDE + SIZE] ? i : -1;
  }

  private insertLive(start: number, size: number, generation: number, views: number, owner: number): void {
    const i = upperBound(this.liveList, LIVE_STRIDE, this.header[LIVE_COUNT], start);
    this.intend(INSERT, i);
    const l = this.open(this.liveBuffer, this.liveList, LIVE_STRIDE, LIVE_COUNT, i);
    l.set([start, size, generation, views, 0, 0, owner], i * LIVE_STRIDE);
  }

  /** Adds [start, start+size) to the free list, merging with its neighbours. */
  private insertFree(start: number, size: number): void {
    const f = this.freeList;
    const n = this.header[FREE_COUNT];
    const i = upperBound(f, FREE_STRIDE, n, start);
    const prev = (i - 1) * FREE_STRIDE;
    const next = i * FREE_STRIDE;
    const joinsPrev = i > 0 && f[prev] + f[prev + SIZE] === start;
    const joinsNext = i < n && start + size === f[next];
    if (joinsPrev && joinsNext) {
      f[prev + SIZE] += size + f[next + SIZE];
      this.remove(f, FREE_STRIDE, FREE_COUNT, i);
    } else if (joinsPrev) {
      f[prev + SIZE] += size;
    } else if (joinsNext) {
      f[next] = start;
      f[next + SIZE] += size;
    } else {
      this.open(this.freeBuffer, f, FREE_STRIDE, FREE_COUNT, i).set([start, size], next);
    }
  }

  /** Makes room for one entry at index i of a list (growing its buffer if full); returns the list. */
  private open(buffer: SharedArrayBuffer, list: Float64Array, stride: number, count: number, i: number): Float64Array {
    const n = this.header[count];
    if ((n + 1) * stride > list.length) {
      if (buffer.byteLength * 2 > buffer.maxByteLength) throw new RangeError(`lanes: out of memory: more than ${MAX_ENTRIES} blocks`);
      buffer.grow(buffer.byteLength * 2);
    }
    list.copyWithin((i + 1) * stride, i * stride, n * stride);
    this.header[count] = n + 1;
    return list;
  }

  private remove(list: Float64Array, stride: number, count: number, i: number): void {
    const n = this.header[count];
    list.copyWithin(i * stride, (i + 1) * stride, n * stride);
    this.header[count] = n - 1;
  }
}

/** Index of the first of n entries (sorted by their first field) whose start is greater than x. */
function upperBound(list: Float64Array, stride: number, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid * stride] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
