import { outOfMemory } from '../errors.js';

/** Every block starts on, and spans a multiple of, this many bytes. */
export const ALIGN = 64;

const alignUp = (x: number) => Math.ceil(x / ALIGN) * ALIGN;

/**
 * The host's allocator for the address range [base, limit) of the shared
 * memory. Its bookkeeping lives here in JS, not in the memory, so no write
 * into an array can corrupt it. Free space is an address-ordered list,
 * coalesced on free and searched best-fit; when nothing fits, `grow` is asked
 * to extend the end of the heap.
 */
export class Allocator {
  private end: number;
  /** Free ranges, sorted by start and never adjacent. */
  private readonly freeStarts: number[] = [];
  private readonly freeSizes: number[] = [];
  /** Live blocks: start → size, and their starts in order for lookups by address. */
  private readonly live = new Map<number, number>();
  private readonly liveStarts: number[] = [];
  private used = 0;
  private top: number;

  constructor(
    base: number,
    end: number,
    private readonly limit: number,
    /** Makes [.., newEnd) usable; returns the new end (≥ newEnd) or false. */
    private readonly grow: (newEnd: number) => number | false,
  ) {
    const start = alignUp(base);
    this.end = end;
    this.top = start;
    if (end > start) this.insertFree(start, end - start);
  }

  /** Bytes in live blocks. */
  get inUse(): number {
    return this.used;
  }

  /** The highest end address any block has ever reached. */
  get highWater(): number {
    return this.top;
  }

  /** Allocates at least `bytes` (≥ 0) and returns the 64-byte aligned start. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, alignUp(bytes));
    let i = this.bestFit(size);
    if (i < 0) {
      this.extend(size, bytes);
      i = this.bestFit(size);
    }
    const start = this.freeStarts[i];
    const rest = this.freeSizes[i] - size;
    if (rest > 0) {
      this.freeStarts[i] = start + size;
      this.freeSizes[i] = rest;
    } else {
      this.freeStarts.splice(i, 1);
      this.freeSizes.splice(i, 1);
    }
    this.live.set(start, size);
    this.liveStarts.splice(upperBound(this.liveStarts, start), 0, start);
    this.used += size;
    this.top = Math.max(this.top, start + size);
    return start;
  }

  /** Releases the block that starts at `start`; false if there is none. */
  free(start: number): boolean {
    const size = this.live.get(start);
    if (size === undefined) return false;
    this.live.delete(start);
    this.liveStarts.splice(upperBound(this.liveStarts, start) - 1, 1);
    this.used -= size;
    this.insertFree(start, size);
    return true;
  }

  /** The live block containing byte `address`, if any. */
  blockAt(address: number): { start: number; size: number } | undefined {
    const i = upperBound(this.liveStarts, address) - 1;
    if (i < 0) return undefined;
    const start = this.liveStarts[i];
    const size = this.live.get(start)!;
    return address < start + size ? { start, size } : undefined;
  }

  private bestFit(size: number): number {
    let best = -1;
    for (let i = 0; i < this.freeSizes.length; i++) {
      const s = this.freeSizes[i];
      if (s >= size && (best < 0 || s < this.freeSizes[best])) {
        best = i;
        if (s === size) break;
      }
    }
    return best;
  }

  /** Grows the heap so that a block of `size` fits at its end. */
  private extend(size: number, requested: number): void {
    const n = this.freeStarts.length;
    const lastFreeEndsAtEnd = n > 0 && this.freeStarts[n - 1] + this.freeSizes[n - 1] === this.end;
    const from = lastFreeEndsAtEnd ? this.freeStarts[n - 1] : this.end;
    const newEnd = from + size;
    const got = newEnd <= this.limit ? this.grow(newEnd) : false;
    if (got === false) throw outOfMemory(requested, this.used, this.limit);
    this.insertFree(this.end, got - this.end);
    this.end = got;
  }

  /** Adds [start, start+size) to the free list, merging with its neighbours. */
  private insertFree(start: number, size: number): void {
    const i = upperBound(this.freeStarts, start);
    const joinsPrev = i > 0 && this.freeStarts[i - 1] + this.freeSizes[i - 1] === start;
    const joinsNext = i < this.freeStarts.length && start + size === this.freeStarts[i];
    if (joinsPrev && joinsNext) {
      this.freeSizes[i - 1] += size + this.freeSizes[i];
      this.freeStarts.splice(i, 1);
      this.freeSizes.splice(i, 1);
    } else if (joinsPrev) {
      this.freeSizes[i - 1] += size;
    } else if (joinsNext) {
      this.freeStarts[i] = start;
      this.freeSizes[i] += size;
    } else {
      this.freeStarts.splice(i, 0, start);
      this.freeSizes.splice(i, 0, size);
    }
  }
}

/** Index of the first element of sorted `xs` greater than x. */
function upperBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
