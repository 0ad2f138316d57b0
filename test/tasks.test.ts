// The user's own functions on the pool: lanes.task, map, starmap, apply,
// parallel (blocking) and their promise forms with imap and imapUnordered,
// on 1 and 2 threads with the same results; lanes arrays cross threads as
// views of the same memory, both ways.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { threadId } from 'node:worker_threads';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as C from '../dist/pool/control.js';
import { getRuntime } from './support/internals.js';

const FIXTURES = new URL('./fixtures/tasks.mjs', import.meta.url);
const t = (name?: string) => lanes.task(FIXTURES, name);
let square: lanes.Task, add: lanes.Task, where: lanes.Task, later: lanes.Task, spin: lanes.Task;
let partialSum: lanes.Task, makeArray: lanes.Task, double: lanes.Task, sleepFor: lanes.Task, identity: lanes.Task;

async function threads(n: number) {
  lanes.configure({ threads: n });
  await getRuntime().pool.ready();
}

beforeAll(async () => {
  await threads(2);
  [square, add, where, later, spin, partialSum, makeArray, double, sleepFor, identity] = await Promise.all(
    [undefined, 'add', 'where', 'later', 'spin', 'partialSum', 'makeArray', 'double', 'sleepFor', 'identity'].map(t),
  );
});

const squares = (n: number) => Array.from({ length: n }, (_, i) => i * i);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

for (const n of [1, 2, 3]) {
  describe(`on ${n} thread${n > 1 ? 's' : ''}`, () => {
    beforeAll(() => threads(n));

    it('map, starmap and apply (blocking) return results in order', () => {
      expect(lanes.map(square, range(1000))).toEqual(squares(1000));
      expect(lanes.map(square, range(37), { chunksize: 1 })).toEqual(squares(37));
      expect(lanes.map(square, new Set([3, 4]))).toEqual([9, 16]);
      expect(lanes.map(square, [])).toEqual([]);
      expect(lanes.starmap(add, [[1, 2], [3, 4], ['a', 'b']])).toEqual([3, 7, 'ab']);
      expect(lanes.apply(add, 20, 22)).toBe(42);
    });

    it('the promise forms give the same results, from arrays, iterables and async iterables', async () => {
      async function* gen() {
        for (let i = 0; i < 100; i++) yield i;
      }
      expect(await lanesAsync.map(square, range(1000))).toEqual(squares(1000));
      expect(await lanesAsync.map(square, gen(), { chunksize: 7 })).toEqual(squares(100));
      expect(await lanesAsync.starmap(add, [[1, 2], [3, 4]])).toEqual([3, 7]);
      expect(await lanesAsync.apply(add, 1, 2)).toBe(3);
      expect(await lanesAsync.map(later, [3, 1, 2])).toEqual([3, 1, 2]); // an async task, awaited
    });

    it('imap yields in input order, imapUnordered in completion order, both lazily', async () => {
      const ordered: unknown[] = [];
      for await (const x of lanesAsync.imap(square, range(50), { chunksize: 3 })) ordered.push(x);
      expect(ordered).toEqual(squares(50));
      // Item 0 sleeps longest: with other threads beside it, unordered yields it last.
      const unordered: unknown[] = [];
      for await (const x of lanesAsync.imapUnordered(sleepFor, [150, 5, 5, 5], { concurrency: 4 })) unordered.push(x);
      expect([...unordered].sort((a, b) => (a as number) - (b as number))).toEqual([5, 5, 5, 150]);
      if (n > 1) expect(unordered[3]).toBe(150);
      // An endless generator: read no further than `concurrency` ahead of what was consumed.
      let read = 0;
      function* endless() {
        for (let i = 0; ; i++) {
          read++;
          yield i;
        }
      }
      const got: unknown[] = [];
      for await (const x of lanesAsync.imap(square, endless(), { concurrency: 4 })) {
        got.push(x);
        if (got.length === 10) break;
      }
      expect(got).toEqual(squares(10));
      expect(read).toBeLessThanOrEqual(10 + 4);
    });

    it('parallel runs fn(args, start, end) over the chunks, and folds them in chunk order', async () => {
      const a = lanes.from(range(100_001), 'float64');
      const expected = (100_000 * 100_001) / 2;
      const combine = (s: number, p: number) => s + p;
      expect(lanes.parallel(partialSum, a.length, a, { combine, initial: 0 })).toBe(expected);
      expect(await lanesAsync.parallel(partialSum, a.length, a, { combine, initial: 0 })).toBe(expected);
      // The fold is in chunk order: concatenating chunk boundaries shows it.
      const bounds = lanes.parallel(partialSum, 10, a, { combine: (s: string, p: number) => `${s},${p}`, initial: '', chunksize: 3 });
      expect(bounds).toBe(',3,12,21,9');
      expect(lanes.parallel(partialSum, a.length, a)).toBeUndefined();
      expect(lanes.parallel(partialSum, 0, a, { combine, initial: 5 })).toBe(5);
      lanes.free(a);
    });

    it('values cross as structuredClone gives them, bit for bit, past a unit\'s room too, and leave nothing allocated', async () => {
      // The comparison itself tells -0 from 0 and sees an array's named properties.
      const tagged = Object.assign([1, 2], { tag: 'kept' });
      expect([-0]).not.toStrictEqual([0]);
      expect([1, 2]).not.toStrictEqual(tagged);
      const base = getRuntime().allocator.inUse;
      const numbers = [0, -0, NaN, Infinity, -Infinity, 5e-324, -Number.MAX_VALUE, 0.1, 2 ** 53 + 2];
      // eslint-disable-next-line no-sparse-arrays
      const mixed = [...numbers, [1, -0, NaN], [], [[0.5]], [1, , 3], tagged, 'text', null, undefined, { x: -0 }, new Float64Array([-0, NaN])];
      for (const items of [numbers, mixed, [tagged], [[1, -0]], [[]], [[[]]]]) {
        const expected = structuredClone(items);
        for (const chunksize of [1, 3, 1000]) {
          expect(lanes.map(identity, items, { chunksize })).toStrictEqual(expected);
          expect(await lanesAsync.map(identity, items, { chunksize })).toStrictEqual(expected);
        }
      }
      // 5000 numbers in one unit: their results need more than the unit's room (1 KiB).
      const many = Array.from({ length: 5000 }, (_, i) => (i % 2 ? -0 : i / 3));
      expect(lanes.map(identity, many, { chunksize: 5000 })).toStrictEqual(many);
      expect(await lanesAsync.map(identity, many, { chunksize: 5000 })).toStrictEqual(many);
      // apply, starmap and parallel pass the user's own arrays, named properties and all.
      expect(lanes.apply(identity, tagged)).toStrictEqual(tagged);
      expect(lanes.starmap(identity, [[tagged]])).toStrictEqual([tagged]);
      // Calls at once share the small unit blocks kept for reuse; the last to end frees them.
      const both = await Promise.all([lanesAsync.map(identity, numbers, { chunksize: 1 }), lanesAsync.map(identity, many, { chunksize: 7 })]);
      expect(both).toStrictEqual([structuredClone(numbers), many]);
      expect(getRuntime().allocator.inUse).toBe(base);
    });

    it('lanes arrays cross as views of the same memory, both ways', async () => {
      const a = lanes.from([1, 2, 3], 'float32');
      const back = lanes.apply(double, a) as Float32Array; // the task writes into the caller's array in place
      expect(Array.from(a)).toEqual([2, 4, 6]);
      expect(back.buffer).toBe(a.buffer);
      expect(back.byteOffset).toBe(a.byteOffset);
      const made = (await lanesAsync.apply(makeArray, 1000, 2.5)) as Float64Array; // made by the task (on a worker)
      expect(made).toBeInstanceOf(Float64Array);
      expect(getRuntime().memory.owns(made.buffer)).toBe(true);
      expect(made.byteOffset % 64).toBe(0);
      expect(lanes.sum(made)).toBe(2500);
      lanes.free(made);
      expect(() => lanes.sum(made)).toThrow("lanes.sum: 'a' refers to memory released by lanes.free");
      // A subarray crosses as a view of its own elements; a plain typed array is copied.
      const sub = lanes.apply(double, a.subarray(1)) as Float32Array;
      expect(Array.from(sub)).toEqual([8, 12]);
      expect(sub.byteOffset).toBe(a.byteOffset + 4);
      const plain = new Float32Array([1, 2]);
      expect(Array.from(lanes.apply(double, plain) as Float32Array)).toEqual([2, 4]);
      expect(Array.from(plain)).toEqual([1, 2]);
      lanes.free(a);
    });
  });
}

describe('threads', () => {
  it('the promise API runs tasks on the workers, two at once on 2 threads; the blocking API uses the caller too', async () => {
    await threads(2);
    const ids = new Set(await lanesAsync.map(spin, [30, 30, 30, 30], { chunksize: 1 }));
    expect(ids.has(threadId)).toBe(false);
    expect(ids.size).toBe(2);
    const start = performance.now();
    await Promise.all([lanesAsync.apply(spin, 150), lanesAsync.apply(spin, 150)]);
    expect(performance.now() - start).toBeLessThan(280); // two at once, not one after the other (300)
    expect(new Set(lanes.map(spin, [20, 20, 20, 20], { chunksize: 1 })).has(threadId)).toBe(true);
  });

  it('units wake sleeping workers that take them: the blocking API never the spare, the promise API the spare too', async () => {
    await threads(2);
    const control = getRuntime().pool.controlBlock;
    const doorbellNotifies = async (body: () => unknown): Promise<number> => {
      // Both workers asleep first: the kernel worker, and the spare that runs the promise API's units.
      const until = performance.now() + 5000;
      while ((Atomics.load(control, C.SLEEPERS) < 1 || Atomics.load(control, C.SPARE_SLEEPERS) < 1) && performance.now() < until) {
        await new Promise((r) => setTimeout(r, 2));
      }
      const notify = vi.spyOn(Atomics, 'notify');
      try {
        await body();
        return notify.mock.calls.filter(([array, index]) => array === control && index === C.DOORBELL).length;
      } finally {
        notify.mockRestore();
      }
    };
    // 2000 one-item units, a refill and a flush after each: only the first
    // finds the kernel worker asleep (then it stays busy); the spare, which
    // never takes them, was woken at each while it slept.
    expect(await doorbellNotifies(() => lanes.map(square, range(2000), { chunksize: 1 }))).toBeLessThan(20);
    expect(await doorbellNotifies(() => lanesAsync.apply(square, 3))).toBeGreaterThan(0);
  });

  it('on 1 thread everything runs on the caller', async () => {
    await threads(1);
    expect(lanes.map(where, [0, 0, 0], { chunksize: 1 })).toEqual([threadId, threadId, threadId]);
    expect(await lanesAsync.map(where, [0, 0, 0], { chunksize: 1 })).toEqual([threadId, threadId, threadId]);
  });

  it('a task stays valid across configure({ threads }): new workers load it', async () => {
    await threads(1);
    const late = await t('later');
    await threads(4);
    expect(new Set(await lanesAsync.map(spin, [20, 20, 20, 20, 20, 20, 20, 20], { chunksize: 1 })).size).toBeGreaterThan(1);
    expect(await lanesAsync.map(late, [1, 2, 3])).toEqual([1, 2, 3]);
    await threads(2);
    expect(lanes.map(square, [5])).toEqual([25]);
  });
});

describe('lanes.task', () => {
  it('resolves the same handle for the same export', async () => {
    expect(await t()).toBe(square);
    expect(await lanes.task(FIXTURES.href, 'default')).toBe(square);
    expect(square.exportName).toBe('default');
    expect(square.url).toBe(FIXTURES.href);
  });

  it('rejects a module that fails to load, naming the URL, the export and the cause', async () => {
    const missing = new URL('./fixtures/no-such-file.mjs', import.meta.url);
    const error = await lanes.task(missing, 'run').catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(new RegExp(`^lanes\\.task: cannot load export 'run' of '${missing.href}': Error: Cannot find module`));
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('rejects a missing export, or one that is not a function, with a TypeError', async () => {
    const error = (await t('nope').catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(new RegExp(`^lanes\\.task: export 'nope' of '${FIXTURES.href}' must be a function, got undefined \\(its exports: .*'add'.*\\)$`));
    await expect(t('notAFunction')).rejects.toThrow(/^lanes\.task: export 'notAFunction' of .* must be a function, got the number 42/);
  });

  it('checks its arguments', async () => {
    await expect(lanes.task('./relative.mjs')).rejects.toThrow(new TypeError("lanes.task: 'moduleURL' must be a URL, a URL string or an absolute path, got the relative './relative.mjs'; use new URL('./relative.mjs', import.meta.url)"));
    await expect(lanes.task(42 as never)).rejects.toThrow(new TypeError("lanes.task: 'moduleURL' must be a URL, a URL string or an absolute path, got the number 42"));
    await expect(lanes.task(FIXTURES, 1 as never)).rejects.toThrow(new TypeError("lanes.task: 'exportName' must be a string, got the number 1"));
  });
});

describe('argument errors', () => {
  it('name the argument', async () => {
    expect(() => lanes.map((() => 1) as never, [1])).toThrow(new TypeError("lanes.map: 'task' must be a task from lanes.task(moduleURL, exportName), got a function"));
    expect(() => lanes.map(square, 5 as never)).toThrow(new TypeError("lanes.map: 'items' must be an array or an iterable, got the number 5"));
    expect(() => lanes.map(square, [1], { chunksize: 0 })).toThrow(new RangeError("lanes.map: 'options.chunksize' must be a positive integer, got 0"));
    expect(() => lanes.map(square, [1], { chunk: 1 } as never)).toThrow(new TypeError("lanes.map: unknown option 'chunk'; the options are: chunksize"));
    expect(() => lanes.starmap(add, [1] as never)).toThrow(new TypeError("lanes.starmap: 'argLists[0]' must be an array of arguments, got the number 1"));
    expect(() => lanes.parallel(partialSum, -1)).toThrow(new RangeError("lanes.parallel: 'n' must be a non-negative integer, got -1"));
    expect(() => lanes.parallel(partialSum, 10, null, { combine: 1 } as never)).toThrow(new TypeError("lanes.parallel: 'options.combine' must be a function, got the number 1"));
    expect(() => lanes.map(square, [() => 1])).toThrow(/^lanes\.map: cannot pass this value to a task: /);
    await expect(lanesAsync.map(square, 5 as never)).rejects.toThrow(new TypeError("lanes.map: 'items' must be an array, an iterable or an async iterable, got the number 5"));
    expect(() => lanesAsync.imap(square, [1], { concurrency: 1.5 })).toThrow(new RangeError("lanes.imap: 'options.concurrency' must be a positive integer, got 1.5"));
    await expect(lanesAsync.map(square, [1], { signal: 1 } as never)).rejects.toThrow(new TypeError("lanes.map: 'options.signal' must be an AbortSignal, got the number 1"));
    const freed = lanes.empty(4);
    lanes.free(freed);
    expect(() => lanes.apply(double, freed)).toThrow(new TypeError("lanes.apply: 'an argument or result' refers to memory released by lanes.free"));
  });
});
