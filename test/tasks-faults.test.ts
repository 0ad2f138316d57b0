// Faults and control in tasks: a task that throws fails its call naming the
// item, with what it threw as the cause; a task that kills its worker (or
// runs it out of memory) fails that item, the pool heals and other items
// run; abort and break stop new items; close() rejects what is in flight and
// the process exits. Nothing hangs.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import type { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScript } from './support/child.js';
import { getRuntime } from './support/internals.js';

const FIXTURES = new URL('./fixtures/tasks.mjs', import.meta.url);
let fails: lanes.Task, exits: lanes.Task, timerThrows: lanes.Task, sleepFor: lanes.Task, square: lanes.Task;
const LABEL = (name: string) => `'${name}' of ${FIXTURES.href}`;

async function threads(n: number) {
  lanes.configure({ threads: n });
  await getRuntime().pool.ready();
}

beforeAll(async () => {
  await threads(2);
  [fails, exits, timerThrows, sleepFor, square] = await Promise.all(['fails', 'exits', 'timerThrows', 'sleepFor', 'default'].map((n) => lanes.task(FIXTURES, n)));
});

function expectFailedOn3(error: unknown, fn: string) {
  expect(error).toBeInstanceOf(Error);
  const e = error as Error & { index: number; cause: Error };
  expect(e.message).toBe(`lanes.${fn}: task ${LABEL('fails')} failed on item 3: RangeError: no 3`);
  expect(e.index).toBe(3);
  expect(e.cause).toBeInstanceOf(Error);
  expect(e.cause.name).toBe('RangeError');
  expect(e.cause.message).toBe('no 3');
  expect(e.cause.stack).toMatch(/fails .*tasks\.mjs/);
}

for (const n of [1, 2]) {
  describe(`a task that throws (${n} thread${n > 1 ? 's' : ''})`, () => {
    beforeAll(() => threads(n));
    const items = [0, 1, 2, 3, 4, 5, 6, 7];

    it('fails map, starmap and apply with the item and the cause', async () => {
      let error: unknown;
      try {
        lanes.map(fails, items, { chunksize: 2 });
      } catch (e) {
        error = e;
      }
      expectFailedOn3(error, 'map');
      expectFailedOn3(await lanesAsync.map(fails, items).catch((e) => e), 'map');
      expectFailedOn3(await lanesAsync.starmap(fails, items.map((x) => [x])).catch((e) => e), 'starmap');
      const applied = await lanesAsync.apply(fails, 3).catch((e) => e);
      expect(applied.message).toBe(`lanes.apply: task ${LABEL('fails')} failed on item 0: RangeError: no 3`);
      expect(lanes.map(fails, [0, 1, 2])).toEqual([0, 1, 2]); // and the pool works on
    });

    it('imap yields up to the failing item, then throws', async () => {
      const got: unknown[] = [];
      let error: unknown;
      try {
        for await (const x of lanesAsync.imap(fails, items, { chunksize: 2 })) got.push(x);
      } catch (e) {
        error = e;
      }
      expect(got).toEqual([0, 1, 2]);
      expectFailedOn3(error, 'imap');
    });
  });
}

describe('a task that kills its worker', () => {
  beforeAll(() => threads(2));

  it('process.exit fails that item with a clear error; the pool heals and other items run', async () => {
    const got: unknown[] = [];
    let error: (Error & { index?: number }) | undefined;
    try {
      for await (const x of lanesAsync.imap(exits, [0, 1, 2, 3, 4, 5])) got.push(x);
    } catch (e) {
      error = e as Error;
    }
    expect(got).toEqual([0, 1, 2]);
    expect(error?.message).toMatch(new RegExp(`^lanes\\.imap: task ${LABEL('exits').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} failed on item 3: worker thread \\d exited with code 7 while running it; the pool has replaced it$`));
    expect(error?.index).toBe(3);
    // Items that do not kill it run on every thread, and the pool is whole again.
    const unordered: unknown[] = [];
    for await (const x of lanesAsync.imapUnordered(exits, [0, 1, 2, 4, 5, 6])) unordered.push(x);
    expect(unordered.sort()).toEqual([0, 1, 2, 4, 5, 6]);
    await getRuntime().pool.ready();
    expect(getRuntime().pool.online).toBe(getRuntime().pool.workers);
    expect(await lanesAsync.map(square, [1, 2, 3], { chunksize: 1 })).toEqual([1, 4, 9]);
  });

  it('a worker that runs out of JS memory fails its item, saying so; the pool heals', () => {
    // In a child whose threads have a small JS heap, so that it runs out in a moment.
    const script = `
      import * as lanes from 'lanes';
      import * as lanesAsync from 'lanes/promises';
      lanes.configure({ threads: 2 });
      const fixtures = new URL('./test/fixtures/tasks.mjs', 'file://' + process.cwd() + '/');
      const [hog, square] = await Promise.all([lanes.task(fixtures, 'hog'), lanes.task(fixtures, 'default')]);
      const error = await lanesAsync.apply(hog).catch((e) => e);
      console.log(JSON.stringify({ message: error.message, after: await lanesAsync.map(square, [1, 2, 3]) }));
      lanes.close();`;
    const run = runScript(script, { NODE_OPTIONS: '--max-old-space-size=64' }, 60_000);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { message, after } = JSON.parse(run.stdout);
    expect(message).toMatch(new RegExp(`^lanes\\.apply: task .*'hog'.* failed on item 0: worker thread \\d ran out of memory \\(ERR_WORKER_OUT_OF_MEMORY\\) while running it; the pool has replaced it$`));
    expect(after).toEqual([1, 4, 9]);
  });

  it('an uncaught error in a timer kills the worker; its item fails, others run', async () => {
    const outcome = await lanesAsync.map(timerThrows, [0, 1, 2, 3, 4], { chunksize: 1 }).catch((e: Error) => e);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/failed on item 3: worker thread \d exited with code 1 while running it/);
    await getRuntime().pool.ready();
    expect(await lanesAsync.map(timerThrows, [0, 1, 2], { chunksize: 1 })).toEqual([0, 1, 2]);
  });

  it('a blocking call fails the same way, never hangs', async () => {
    const start = performance.now();
    // The caller runs items too: on it, item 3 throws instead of exiting.
    expect(() => lanes.map(exits, [0, 1, 2, 3, 4, 5], { chunksize: 1 })).toThrow(/^lanes\.map: task .* failed on item 3: (worker thread \d exited with code 7 while running it|Error: would exit)/);
    expect(performance.now() - start).toBeLessThan(5000);
    await getRuntime().pool.ready();
    expect(lanes.map(square, [1, 2, 3], { chunksize: 1 })).toEqual([1, 4, 9]);
  });
});

describe('the supervisor', () => {
  it("if it dies, the units its workers ran fail, nothing hangs, and a new one heals the pool", async () => {
    await threads(2);
    const rt = getRuntime();
    const pool = rt.pool as unknown as { supervisor: Worker };
    const base = rt.allocator.inUse;
    const dying = pool.supervisor;
    const pending = lanesAsync.map(sleepFor, [400, 400, 400, 400], { chunksize: 1 }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 100));
    await dying.terminate(); // as if it had crashed: its workers stop with it
    const outcome = await pending;
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/failed on item 0: worker thread \d exited with code 1 while running it; the pool has replaced it$/);
    await rt.pool.ready();
    expect(pool.supervisor).not.toBe(dying);
    expect(rt.pool.online).toBe(rt.pool.workers);
    expect(await lanesAsync.map(square, [1, 2, 3], { chunksize: 1 })).toEqual([1, 4, 9]);
    expect(lanes.map(square, [1, 2, 3, 4], { chunksize: 1 })).toEqual([1, 4, 9, 16]);
    // The blocks the dead workers held went with them; the new workers hold as much.
    expect(rt.allocator.inUse).toBe(base);
  });
});

describe('abort and break', () => {
  beforeAll(() => threads(2));

  it('an abort rejects a promise call at once with AbortError; items not started never start', async () => {
    const controller = new AbortController();
    const start = performance.now();
    const pending = lanesAsync.map(sleepFor, Array(40).fill(50), { chunksize: 1, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('enough')), 20);
    const error = await pending.catch((e: Error) => e);
    expect(performance.now() - start).toBeLessThan(45);
    expect(error).toBeInstanceOf(lanes.AbortError);
    expect((error as lanes.AbortError).code).toBe('ABORT_ERR');
    expect(((error as Error).cause as Error).message).toBe('enough');
    await expect(lanesAsync.apply(sleepFor, 1)).resolves.toBe(1);
    // Already aborted: rejects without running anything.
    await expect(lanesAsync.map(sleepFor, [1], { signal: AbortSignal.abort() })).rejects.toThrow(lanes.AbortError);
  });

  it('an abort stops imap between results that ended together', async () => {
    // The first item ends last, so that all ten end by the look that yields
    // it: the nine behind it, taken at that look, are not yielded.
    const controller = new AbortController();
    const got: unknown[] = [];
    let error: unknown;
    try {
      for await (const x of lanesAsync.imap(sleepFor, [40, 0, 0, 0, 0, 0, 0, 0, 0, 0], { signal: controller.signal, concurrency: 10 })) {
        got.push(x);
        controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expect(got).toEqual([40]);
    expect(error).toBeInstanceOf(lanes.AbortError);
  });

  it('an abort makes imap throw AbortError; breaking out of for await cancels what has not started', async () => {
    const controller = new AbortController();
    const got: unknown[] = [];
    let error: unknown;
    try {
      for await (const x of lanesAsync.imap(sleepFor, Array(20).fill(10), { signal: controller.signal })) {
        got.push(x);
        if (got.length === 3) controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expect(got.length).toBe(3);
    expect(error).toBeInstanceOf(lanes.AbortError);
    let read = 0;
    function* items() {
      for (let i = 0; i < 1000; i++) {
        read++;
        yield 10;
      }
    }
    const start = performance.now();
    for await (const x of lanesAsync.imap(sleepFor, items(), { concurrency: 4 })) if (x === 10) break;
    expect(read).toBeLessThanOrEqual(5);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('memory', () => {
  it('imap over 1e6 items keeps memory flat', async () => {
    await threads(2);
    const { allocator } = getRuntime();
    // Units that earlier tests abandoned while they ran are freed once they end.
    await new Promise((r) => setTimeout(r, 200));
    await lanesAsync.map(square, [1]);
    let i = 0;
    const items = { [Symbol.iterator]: () => ({ next: () => (i < 1e6 ? { value: i++, done: false } : { value: undefined, done: true }) }) };
    let sum = 0n;
    let count = 0;
    let peak = 0;
    const base = allocator.inUse;
    for await (const x of lanesAsync.imap(square, items as Iterable<number>, { chunksize: 1000, concurrency: 8000 })) {
      sum += BigInt(x as number);
      if (++count % 100_000 === 0) peak = Math.max(peak, allocator.inUse - base);
    }
    expect(count).toBe(1e6);
    expect(sum).toBe((999_999n * 1_000_000n * 1_999_999n) / 6n);
    expect(peak).toBeLessThan(2 ** 20); // a few units of 1000 items in flight, not 1e6 items
    expect(allocator.inUse).toBe(base);
  });
});

describe('close()', () => {
  for (const n of [1, 2]) {
    it(`(${n} thread${n > 1 ? 's' : ''}) with tasks in flight rejects them clearly, and the process exits`, () => {
      const run = runScript(`
        import * as lanes from 'lanes/promises';
        lanes.configure({ threads: ${n} });
        const t = await lanes.task(new URL('./test/fixtures/tasks.mjs', import.meta.url.replace(/[^/]*$/, '') + '/'), 'sleepFor');
        const calls = [lanes.map(t, [20, 20, 20, 20, 20, 20], { chunksize: 1 }), lanes.apply(t, 30), (async () => { for await (const x of lanes.imap(t, [20, 20, 20])) {} })()];
        setTimeout(() => lanes.close(), 10);
        const settled = await Promise.allSettled(calls);
        console.log(JSON.stringify(settled.map((s) => (s.status === 'rejected' ? s.reason.message : 'fulfilled'))));
      `);
      expect(run.signal).toBe(null);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(Array(3).fill('lanes: the pool is closed (lanes.close() was called); no further calls can run'));
    });
  }
});
