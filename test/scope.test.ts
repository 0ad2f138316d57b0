// lanes.scope(fn): every lanes array made while fn runs is freed when it
// returns, except what its result holds. Without it (or free, or out), a
// synchronous loop that drops arrays runs the heap out: the collector never
// gets to release them before the loop ends.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from './support/child.js';

const wasFreed = (a: lanes.FloatArray) => {
  try {
    lanes.neg(a);
    return false;
  } catch (error) {
    return error instanceof TypeError && /released by lanes\.free/.test((error as Error).message);
  }
};

beforeAll(() => void lanes.configure({ threads: 1 }));
afterAll(() => void lanes.configure({ threads: 2 }));

describe('lanes.scope', () => {
  it('frees the arrays fn made, ops’ results and evaluate’s included, and keeps what it returns', () => {
    const a = lanes.from([1, 2, 3, 4]);
    const made: lanes.FloatArray[] = [];
    const y = lanes.scope(() => {
      made.push(lanes.empty(8), lanes.mul(a, 2), lanes.evaluate('a * a + 1', { a }) as lanes.FloatArray);
      return lanes.add(made[1], made[2]);
    });
    expect(Array.from(y)).toEqual([4, 9, 16, 25]);
    expect(made.map(wasFreed)).toEqual([true, true, true]);
    expect(wasFreed(a)).toBe(false); // made before the scope
    lanes.free(y);
  });

  it('keeps arrays anywhere in returned arrays, objects, Maps and Sets, and subarrays’ blocks', () => {
    const gone: lanes.FloatArray[] = [];
    const r = lanes.scope(() => {
      const t = lanes.from([1, 2, 3]);
      gone.push(lanes.from([0]));
      return { list: [lanes.from([1])], deep: { m: new Map([['k', lanes.from([2])]]), s: new Set([lanes.from([3])]) }, tail: t.subarray(1) };
    });
    expect(gone.map(wasFreed)).toEqual([true]);
    const kept = [r.list[0], r.deep.m.get('k')!, [...r.deep.s][0], r.tail];
    expect(kept.map(wasFreed)).toEqual([false, false, false, false]);
    expect(Array.from(r.tail)).toEqual([2, 3]);
  });

  it('nests: what an inner scope returns belongs to the outer one', () => {
    let inner: lanes.FloatArray | undefined;
    const outer = lanes.scope(() => {
      inner = lanes.scope(() => lanes.from([1]));
      expect(wasFreed(inner)).toBe(false);
      return lanes.from([2]);
    });
    expect(wasFreed(inner!)).toBe(true);
    expect(wasFreed(outer)).toBe(false);
  });

  it('frees what fn made when it throws, and passes the error on; arrays fn freed itself are no trouble', () => {
    let t: lanes.FloatArray | undefined;
    expect(() =>
      lanes.scope(() => {
        t = lanes.from([1]);
        lanes.free(lanes.from([2]));
        throw new RangeError('inside');
      }),
    ).toThrow(new RangeError('inside'));
    expect(wasFreed(t!)).toBe(true);
  });

  it('takes a function, and only a synchronous one: a promise is a TypeError and nothing is freed', async () => {
    expect(() => lanes.scope(42 as unknown as () => void)).toThrow(new TypeError("lanes.scope: 'fn' must be a function, got the number 42"));
    let t: lanes.FloatArray | undefined;
    expect(() =>
      lanes.scope(async () => {
        t = lanes.from([1]);
      }),
    ).toThrow(/^lanes\.scope: fn returned a promise/);
    expect(wasFreed(t!)).toBe(false);
    expect(lanesAsync.scope).toBe(lanes.scope);
  });

  it('holds a loop’s heap to its working set; the same loop without it grows the heap by every array it drops', () => {
    // A child, so that the heap holds only this. (Taken on to 10⁷ elements and 60 rounds,
    // the loop without scope stops at the 4 GiB limit with the out-of-memory RangeError.)
    const run = runScript(`
      import * as lanes from 'lanes';
      import { getRuntime } from './dist/dispatch/runtime.js';
      lanes.configure({ threads: 1 });
      const n = 1e6; // 8 MB per float64 array
      const a = lanes.empty(n).fill(1), b = lanes.empty(n).fill(2);
      const heap = getRuntime().allocator;
      let s = 0;
      for (let i = 0; i < 30; i++) s += lanes.scope(() => lanes.sum(lanes.add(lanes.mul(a, 2), b)));
      const scoped = heap.highWater;
      for (let i = 0; i < 30; i++) s += lanes.sum(lanes.add(lanes.mul(a, 2), b));
      console.log(JSON.stringify({ s, scoped, unscoped: heap.highWater }));
    `);
    expect(run.stderr).toBe('');
    const { s, scoped, unscoped } = JSON.parse(run.stdout);
    expect(s).toBe(60 * 4e6);
    expect(scoped).toBeLessThanOrEqual(4 * 8e6 + 2 ** 20); // a, b and the two temporaries
    expect(unscoped - scoped).toBeGreaterThanOrEqual(30 * 2 * 8e6 - 4 * 8e6);
  });
});

