// The allocator under concurrent use: every thread (the caller and the
// workers) allocates and frees at once from the one heap. Blocks never
// overlap (each thread's marks stay intact), stay 64-byte aligned, and the
// accounting adds up; any thread can grow the memory, and the others see it.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { describe, expect, it } from 'vitest';
import { ALIGN } from '../dist/memory/allocator.js';
import { getRuntime } from './support/internals.js';

const FIXTURES = new URL('./fixtures/tasks.mjs', import.meta.url);
const THREADS = 4;
const CYCLES = 20_000;
const KEEP = 20;

interface Churned {
  allocs: number;
  misaligned: number;
  corrupted: number;
  kept: lanes.FloatArray[];
  mark: number;
}

describe('concurrent allocation', () => {
  it(`${THREADS} threads × ${CYCLES} alloc/free cycles of random sizes: no overlap, aligned, fully accounted`, async () => {
    lanes.configure({ threads: THREADS });
    const rt = getRuntime();
    await rt.pool.ready();
    const churn = await lanes.task(FIXTURES, 'churn');
    lanes.starmap(churn, Array(THREADS * 2).fill([1, 10, 0]), { chunksize: 1 }); // every thread has started its runtime
    const base = rt.allocator.inUse;
    const baseBlocks = rt.allocator.blocks;
    // Blocking, one item per thread: the caller churns too.
    const seeds = Array.from({ length: THREADS * 2 }, (_, i) => i + 1);
    const results = lanes.starmap(churn, seeds.map((s) => [s, CYCLES, KEEP]), { chunksize: 1 }) as unknown as Churned[];
    const [asyncResults] = await Promise.all([lanesAsync.starmap(churn, seeds.map((s) => [s + 100, CYCLES / 4, KEEP]), { chunksize: 1 }) as Promise<unknown>]);
    void asyncResults;
    const all = [...results, ...(asyncResults as Churned[])];
    const kept = all.flatMap((r) => r.kept.map((a) => ({ a, mark: r.mark })));
    const allocs = all.reduce((s, r) => s + r.allocs, 0);
    console.log(`concurrent allocator: ${all.length} churns on ${THREADS} threads, ${allocs} allocations, ${kept.length} blocks kept`);
    expect(all.every((r) => r.misaligned === 0)).toBe(true);
    expect(all.every((r) => r.corrupted === 0)).toBe(true);
    expect(allocs).toBeGreaterThan(THREADS * CYCLES * 0.3);
    // The blocks kept are intact, aligned and disjoint, and are all the heap holds beyond the start.
    const blocks = kept.map(({ a, mark }) => {
      expect(a.every((x) => x === mark)).toBe(true);
      expect(a.byteOffset % ALIGN).toBe(0);
      return rt.allocator.blockAt(a.byteOffset)!;
    });
    const sorted = [...blocks].sort((x, y) => x.start - y.start);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1].start + sorted[i - 1].size).toBeLessThanOrEqual(sorted[i].start);
    expect(rt.allocator.inUse - base).toBe(blocks.reduce((s, b) => s + b.size, 0));
    expect(rt.allocator.blocks - baseBlocks).toBe(blocks.length);
    for (const { a } of kept) lanes.free(a);
    expect(rt.allocator.inUse).toBe(base);
  });

  it('a worker can grow the memory; the caller sees the new memory', async () => {
    lanes.configure({ threads: 2 });
    const rt = getRuntime();
    await rt.pool.ready();
    const grow = await lanes.task(FIXTURES, 'grow');
    const before = rt.memory.memory.buffer.byteLength;
    const bytes = before; // more than is free: the heap must grow
    const a = (await lanesAsync.apply(grow, bytes)) as Float64Array;
    expect(rt.memory.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(a.length).toBe(bytes / 8);
    expect(a[a.length - 1]).toBe(42);
    a.fill(1);
    expect(lanes.sum(a)).toBe(bytes / 8);
    // An array the caller makes after that lies in the grown part too, and works.
    const b = lanes.empty(1000).fill(2);
    expect(lanes.dot(b, b)).toBe(4000);
    lanes.free(a);
    lanes.free(b);
  });
});
