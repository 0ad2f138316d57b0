// Counts the memory that a test itself allocates. The allocator's inUse also
// moves when the garbage collector releases arrays that earlier tests dropped
// (lanes frees a collected array's block), so a test that compares inUse
// before and after measures other tests' garbage too, whenever the engine
// happens to collect it.
import type { getRuntime } from './internals.js';

type Allocator = ReturnType<typeof getRuntime>['allocator'];

export interface Ledger {
  /** Bytes in blocks allocated since the ledger opened and not freed since. */
  readonly live: number;
  /** How many of those blocks there are. */
  readonly blocks: number;
  close(): void;
}

/** Watches allocator.alloc and allocator.free until close(). */
export function openLedger(allocator: Allocator): Ledger {
  const sizes = new Map<number, number>();
  const { alloc, free } = allocator;
  allocator.alloc = function (bytes: number): number {
    const start = alloc.call(this, bytes);
    sizes.set(start, allocator.blockAt(start)!.size);
    return start;
  };
  allocator.free = function (start: number): boolean {
    const released = free.call(this, start);
    if (released) sizes.delete(start);
    return released;
  };
  return {
    get live() {
      let bytes = 0;
      for (const size of sizes.values()) bytes += size;
      return bytes;
    },
    get blocks() {
      return sizes.size;
    },
    close() {
      allocator.alloc = alloc;
      allocator.free = free;
    },
  };
}
