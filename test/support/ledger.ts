// Counts the memory that a test itself allocates. The allocator's inUse also
// moves when the garbage collector releases arrays that earlier tests dropped
// (lanes frees a collected array's block), so a test that compares inUse
// before and after measures other tests' garbage too, whenever the engine
// happens to collect it.
import type { getRuntime } from './internals.js';

type Allocator = ReturnType<typeof getRuntime>['allocator'];

export interface Ledger {
  /** Bytes in blocks allocated since the ledger opened and not released since. */
  readonly live: number;
  /** How many of those blocks there are. */
  readonly blocks: number;
  close(): void;
}

/**
 * Watches allocator.alloc until close(). A block counts while the allocator
 * still holds that very allocation (same start and generation), however it
 * is released (free, lanes.free, the last pin or view going).
 */
export function openLedger(allocator: Allocator): Ledger {
  const made: { start: number; generation: number }[] = [];
  const { alloc } = allocator;
  allocator.alloc = function (bytes: number, views?: number): number {
    const start = alloc.call(this, bytes, views);
    made.push({ start, generation: allocator.lastGeneration });
    return start;
  };
  const alive = () =>
    made.flatMap(({ start, generation }) => {
      const block = allocator.blockAt(start);
      return block && block.start === start && block.generation === generation ? [block.size] : [];
    });
  return {
    get live() {
      return alive().reduce((a, b) => a + b, 0);
    },
    get blocks() {
      return alive().length;
    },
    close() {
      allocator.alloc = alloc;
    },
  };
}
