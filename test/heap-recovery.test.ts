// A thread that dies holding the heap's lock (a worker terminated, or out of
// memory) must not leave every other thread waiting on it for ever, nor a
// heap whose lists no longer agree. Killed at random moments of alloc/free
// churn, its heap is recovered by the thread that sees it go, and then gives
// out exactly the bytes no live block holds; the blocks it allocated as its
// own are released with it, its shared blocks stay; through the pool, a task killed
// (or stopped by close()) while it allocates leaves the caller able to allocate.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { runScript } from './support/child.js';
import { Allocator } from './support/internals.js';

const HEAP = 1 << 18;
const KILLS = 30;

/** Allocates 64-byte blocks until none is left: they must fill exactly the bytes not in use, once each. */
function expectExactlyTheFreeBytes(heap: Allocator) {
  const inUse = heap.inUse;
  const starts: number[] = [];
  for (;;) {
    try {
      starts.push(heap.alloc(64));
    } catch {
      break;
    }
  }
  expect(starts.length * 64).toBe(HEAP - inUse);
  expect(new Set(starts).size).toBe(starts.length);
  for (const start of starts) expect(heap.blockAt(start)?.start).toBe(start);
  for (const start of starts) expect(heap.free(start)).toBe(true);
  expect(heap.inUse).toBe(inUse);
}

/** Frees every live block, found by address, and expects an empty heap. */
function freeAll(heap: Allocator) {
  for (let at = 0; at < HEAP; ) {
    const block = heap.blockAt(at);
    if (block) expect(heap.free(block.start)).toBe(true);
    at = block ? block.start + block.size : at + 64;
  }
  expect(heap.inUse).toBe(0);
}

describe('a thread that dies holding the heap lock', () => {
  it(`${KILLS} kills at random moments of alloc/free churn: each heap recovers, whole`, async () => {
    const heap = new Allocator(0, HEAP, HEAP, () => false);
    let recovered = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const started = new Int32Array(new SharedArrayBuffer(20));
      const worker = new Worker(new URL('./fixtures/heap-churn.mjs', import.meta.url), { workerData: { state: heap.state, seed: kill, started } });
      const threadId = worker.threadId;
      const exit = once(worker, 'exit');
      while (Atomics.load(started, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      const until = performance.now() + 1 + (kill % 5);
      while (performance.now() < until); // let it churn a few milliseconds
      await worker.terminate();
      await exit;
      if (heap.recover(threadId)) recovered++;
      expect(heap.recover(threadId), 'a lock once released is not released again').toBe(false);
      expect(heap.releaseBlocksOf(threadId)).toBe(true);
      for (const k of [1, 2, 3]) expect(heap.blockAt(started[k]), 'the dead thread\'s own blocks are released').toBeUndefined();
      expect(heap.blockAt(started[4])?.start, 'its shared block stays').toBe(started[4]);
      expectExactlyTheFreeBytes(heap);
      freeAll(heap); // and the blocks the dead thread held
    }
    // The churn holds the lock most of the time: most kills land inside it.
    expect(recovered).toBeGreaterThan(KILLS / 4);
  });

  it("a dead thread's own block that a call pins goes at its last unpin; one retained for another thread stays", async () => {
    const heap = new Allocator(0, HEAP, HEAP, () => false);
    const started = new Int32Array(new SharedArrayBuffer(20));
    const worker = new Worker(new URL('./fixtures/heap-churn.mjs', import.meta.url), { workerData: { state: heap.state, seed: 1, started } });
    const threadId = worker.threadId;
    while (Atomics.load(started, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    const [pinned, retained, own] = [started[1], started[2], started[3]];
    expect(heap.pin(pinned)).toBe(true);
    expect(heap.retain(retained, heap.blockAt(retained)!.generation)).toBe(true);
    await worker.terminate();
    heap.recover(threadId);
    expect(heap.releaseBlocksOf(threadId)).toBe(true);
    expect(heap.blockAt(own)).toBeUndefined();
    expect(heap.blockAt(pinned)?.freed, 'pinned: kept, and marked freed').toBe(true);
    expect(heap.blockAt(retained)?.freed, 'retained: kept, live').toBe(false);
    heap.unpin(pinned);
    expect(heap.blockAt(pinned)).toBeUndefined();
    freeAll(heap);
  });

  it('recover() for a thread that does not hold the lock changes nothing', () => {
    const heap = new Allocator(0, HEAP, HEAP, () => false);
    const a = heap.alloc(1000);
    expect(heap.recover(12345)).toBe(false);
    expect(heap.blockAt(a)?.start).toBe(a);
    expect(heap.inUse).toBe(1024);
    expectExactlyTheFreeBytes(heap);
  });
});

describe('through the pool', () => {
  it('a task killed while it allocates fails its call; the caller allocates on, nothing hangs or leaks', () => {
    const script = `
      import * as lanes from 'lanes';
      import * as lanesAsync from 'lanes/promises';
      import { getRuntime } from './dist/dispatch/runtime.js';
      lanes.configure({ threads: 2 });
      const { pool, allocator } = getRuntime();
      const churn = await lanes.task(new URL('./test/fixtures/tasks.mjs', 'file://' + process.cwd() + '/'), 'churnFor');
      await lanesAsync.starmap(churn, [[10], [10]]);
      await pool.ready(30000); // every worker online, its runtime block allocated
      const before = allocator.inUse;
      let died = 0;
      for (let round = 0; round < 12; round++) {
        await pool.ready(30000);
        const call = lanesAsync.starmap(churn, [[200], [200]]).then(() => false, (e) => /exited with code 1 while running it/.test(e.message));
        pool.terminateWorker(0, 30 + (round % 5) * 11);
        if (await call) died++;
        for (let i = 0; i < 1000; i++) lanes.free(lanes.empty(1 + (i % 300)));
      }
      await pool.ready(30000);
      // The units of the last failed calls are freed once the tasks still running them end.
      for (const until = performance.now() + 5000; allocator.inUse !== before && performance.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20));
      const leaked = allocator.inUse - before;
      lanes.close();
      console.log(JSON.stringify({ died, leaked }));`;
    const run = runScript(script, {}, 90_000);
    const said = `stdout: ${run.stdout} stderr: ${run.stderr}`;
    expect(run.signal, `the script hung: ${said}`).toBe(null);
    expect(run.stderr, said).toBe('');
    expect(run.status, said).toBe(0);
    const { died, leaked } = JSON.parse(run.stdout);
    expect(died, said).toBeGreaterThan(0);
    // Each of the 12 replaced workers' runtime blocks is released, and so is
    // the array each killed task held (a worker's arrays are its own until
    // it hands them on), and the units of the failed calls.
    expect(leaked, said).toBe(0);
  }, 120_000);

  it('an array a task made and returned stays the caller\'s after that worker dies', () => {
    const script = `
      import * as lanes from 'lanes';
      import * as lanesAsync from 'lanes/promises';
      import { getRuntime } from './dist/dispatch/runtime.js';
      lanes.configure({ threads: 2 });
      const { allocator, pool } = getRuntime();
      const make = await lanes.task(new URL('./test/fixtures/tasks.mjs', 'file://' + process.cwd() + '/'), 'makeArray');
      const arrays = await lanesAsync.starmap(make, Array.from({ length: 8 }, (_, i) => [1000, i]));
      for (let k = 0; k < pool.workers; k++) pool.terminateWorker(k, 0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await pool.ready(30000);
      const live = arrays.every((a) => allocator.blockAt(a.byteOffset)?.freed === false);
      const sums = arrays.map((a) => lanes.sum(a));
      const copies = lanes.from(new Float64Array(8000)); // blocks given out now must not be theirs
      console.log(JSON.stringify({ live, sums, apart: arrays.every((a) => a.byteOffset + a.byteLength <= copies.byteOffset || a.byteOffset >= copies.byteOffset + copies.byteLength) }));
      lanes.close();`;
    const run = runScript(script, {}, 30_000);
    expect(run.signal, 'the script hung').toBe(null);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ live: true, sums: Array.from({ length: 8 }, (_, i) => 1000 * i), apart: true });
  });

  it('what ops and expressions in a task keep on its worker goes when that worker dies', () => {
    const script = `
      import * as lanes from 'lanes';
      import * as lanesAsync from 'lanes/promises';
      import { getRuntime } from './dist/dispatch/runtime.js';
      lanes.configure({ threads: 2 });
      const { allocator, pool } = getRuntime();
      const run = await lanes.task(new URL('./test/fixtures/tasks.mjs', 'file://' + process.cwd() + '/'), 'evaluateOn');
      await pool.ready(30000);
      const before = allocator.inUse;
      const sums = await lanesAsync.starmap(run, [[1000], [1000], [1000], [1000]]);
      const kept = allocator.inUse - before;
      for (let k = 0; k < pool.workers; k++) pool.terminateWorker(k, 0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await pool.ready(30000);
      for (const until = performance.now() + 5000; allocator.inUse !== before && performance.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20));
      console.log(JSON.stringify({ sums, kept: kept > 0, leaked: allocator.inUse - before }));
      lanes.close();`;
    const run = runScript(script, {}, 30_000);
    expect(run.signal, 'the script hung').toBe(null);
    expect(run.stderr).toBe('');
    const expected = 1000 * (2 + Math.exp(-1));
    const { sums, kept, leaked } = JSON.parse(run.stdout);
    for (const sum of sums) expect(Math.abs(sum - expected)).toBeLessThan(1e-9 * expected);
    expect(kept, 'the workers kept blocks after their tasks').toBe(true);
    expect(leaked).toBe(0);
  });

  // The supervisor may still be cleaning up after a worker when close() asks
  // it to stop (heap recovery waits for a lock another dead worker holds):
  // close() waits for that clean-up, and past its wait lets it finish rather
  // than stop the supervisor in the middle (which left the lock held, and
  // the next allocation waiting for ever).
  for (const [ms, waited] of [[100, true], [1300, false]] as const) {
    it(`close() lets a clean-up of ${ms} ms after each worker finish (${waited ? 'before close() returns' : 'after it'})`, () => {
      const log = join(mkdtempSync(join(tmpdir(), 'lanes-')), 'cleanups');
      writeFileSync(log, '');
      const script = `
        import * as lanes from 'lanes';
        import { readFileSync } from 'node:fs';
        import { getRuntime, registerWorkerExtension } from './dist/dispatch/runtime.js';
        registerWorkerExtension(new URL('./test/fixtures/slow-cleanup.mjs', 'file://' + process.cwd() + '/').href);
        lanes.configure({ threads: 3 });
        const { pool } = getRuntime();
        await pool.ready(30000);
        const workers = pool.workers;
        lanes.close();
        const done = () => readFileSync(process.env.LANES_TEST_CLEANUP_LOG, 'utf8').split('\\n').filter(Boolean).length;
        const atClose = done();
        for (const until = performance.now() + ${ms} + 5000; done() < workers && performance.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20));
        console.log(JSON.stringify({ workers, atClose, later: done() }));`;
      const child = runScript(script, { LANES_TEST_CLEANUP_MS: String(ms), LANES_TEST_CLEANUP_LOG: log }, 30_000);
      expect(child.signal, 'the script hung').toBe(null);
      expect(child.stderr).toBe('');
      const { workers, atClose, later } = JSON.parse(child.stdout);
      expect(workers).toBe(2);
      if (waited) expect(atClose).toBe(workers);
      expect(later).toBe(workers);
    });
  }

  // close() stops workers still in a task at a random moment: the allocator
  // must be whole afterwards for this thread, whose collected arrays free.
  for (let run = 0; run < 4; run++) {
    it(`close() while a task allocates leaves the heap usable (run ${run + 1})`, () => {
      const script = `
        import * as lanes from 'lanes';
        import * as lanesAsync from 'lanes/promises';
        import { getRuntime } from './dist/dispatch/runtime.js';
        lanes.configure({ threads: 2 });
        const { allocator, pool } = getRuntime();
        await pool.ready(30000);
        const churn = await lanes.task(new URL('./test/fixtures/tasks.mjs', 'file://' + process.cwd() + '/'), 'churnFor');
        const call = lanesAsync.starmap(churn, [[2000], [2000]]).catch((e) => e.message);
        await new Promise((resolve) => setTimeout(resolve, ${30 + run * 13}));
        lanes.close();
        const block = allocator.alloc(1000);
        const found = allocator.blockAt(block)?.start === block;
        console.log(JSON.stringify({ call: await call, found, freed: allocator.free(block) }));`;
      const child = runScript(script, {}, 30_000);
      expect(child.signal, 'the script hung').toBe(null);
      expect(child.stderr).toBe('');
      expect(JSON.parse(child.stdout)).toEqual({ call: 'lanes: the pool is closed (lanes.close() was called); no further calls can run', found: true, freed: true });
    });
  }
});
