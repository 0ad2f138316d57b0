// Every row of the op table's REDUCTIONS, for each dtype, with no per-op
// code: no elements, every size against the row's own JS loop (exact rows
// bit for bit, NaN and signed zeros included; the others to rounding, their
// tighter bounds are stats.test.ts'), { ddof }, bad operands, both APIs,
// the same bits on 1 to 4 threads, and abort.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { REDUCTIONS, type ReductionRow } from '../src/ops/registry.js';
import { random, sameValue, VIEW } from './support/data.js';

const DTYPES = ['float32', 'float64'] as const;
type Dtype = (typeof DTYPES)[number];
type Floats = Float32Array | Float64Array;
type Fn = (a: unknown, options?: object) => number;
type AsyncFn = (a: unknown, options?: object) => Promise<number>;

afterAll(() => lanes.configure({ threads: 1 }));

const ROWS = REDUCTIONS as readonly ReductionRow[];
/** 1, a vector ± 1, four vectors ± 1, and sizes that span chunks. */
const SIZES = [1, 3, 4, 5, 15, 16, 17, 33, 1000, 70_001, 300_001];
const syncOf = (row: ReductionRow) => (lanes as unknown as Record<string, Fn>)[row.name];
const asyncOf = (row: ReductionRow) => (lanesAsync as unknown as Record<string, AsyncFn>)[row.name];
/** The row's function on a, with { ddof } only where the row takes it (min(a, undefined) is elementwise min missing b). */
const call = (row: ReductionRow, a: unknown, ddof?: number) => (row.ddof && ddof !== undefined ? syncOf(row)(a, { ddof }) : syncOf(row)(a));
const callAsync = (row: ReductionRow, a: unknown, ddof?: number) => (row.ddof && ddof !== undefined ? asyncOf(row)(a, { ddof }) : asyncOf(row)(a));
const loopOf = (row: ReductionRow) => new Function('a', 'ddof = 0', row.js) as (a: Floats, ddof?: number) => number;

/**
 * Exact rows: mixed signs with repeats and ±0 (ties for arg*), optionally a
 * NaN and infinities at seeded places. Others: values within 2⁻¹⁰ of 1, so
 * that prod stays finite and float32 var's rounded mean is far below its
 * spread.
 */
function data(row: ReductionRow, dtype: Dtype, n: number, seed: number, withNaN: boolean): Floats {
  const next = random(seed);
  const a = lanes.empty(n, dtype);
  for (let i = 0; i < n; i++) a[i] = row.exact ? [0, -0, 1, -1, 2.5, -2.5][i % 6] * Math.floor(next() * 4) : 1 + (next() - 0.5) * 2 ** -9;
  if (row.exact && withNaN) {
    a[Math.floor(next() * n)] = Infinity;
    a[Math.floor(next() * n)] = -Infinity;
    a[Math.floor(next() * n)] = NaN;
  }
  return a;
}

/** Where the row is not exact: relative agreement with the f64 loop, from float32's 16-term blocks and both sums' roundings. */
function agrees(dtype: Dtype, n: number, got: number, loop: number): boolean {
  if (sameValue(got, loop)) return true;
  return Math.abs(got - loop) <= ((dtype === 'float32' ? 2 ** -18 : 0) + 4 * n * 2 ** -53) * Math.abs(loop);
}

describe.each(ROWS)('$name', (row) => {
  for (const dtype of DTYPES) {
    it(`${dtype}: no elements give ${row.empty ?? 'a RangeError naming it'}`, () => {
      const none = new VIEW[dtype](0);
      if (row.empty === undefined) expect(() => syncOf(row)(none)).toThrow(new RangeError(`lanes.${row.name}: ${row.name}() of zero elements has no value`));
      else expect(sameValue(syncOf(row)(none), row.empty)).toBe(true);
    });

    it(`${dtype}: what the row's JS loop gives, at every size${row.exact ? ', bit for bit, NaN and ±∞ too' : ''}${row.ddof ? ', ddof 0 and 1' : ''}`, () => {
      const loop = loopOf(row);
      for (const n of SIZES) {
        for (const withNaN of row.exact ? [false, true] : [false]) {
          const a = data(row, dtype, n, n * 7 + 1, withNaN);
          for (const ddof of row.ddof ? [0, 1] : [0]) {
            const got = call(row, a, ddof);
            const want = loop(a, ddof);
            const ok = row.exact ? sameValue(got, want) : agrees(dtype, n, got, want);
            if (!ok) expect.fail(`n = ${n}${withNaN ? ' with NaN' : ''}, ddof ${ddof}: ${got} but the loop gives ${want}`);
          }
          lanes.free(a);
        }
      }
    });
  }

  it('refuses what is not a float array, naming a; changes nothing', () => {
    for (const bad of [5, 'x', null, undefined, new Int32Array(3), {}]) {
      expect(() => syncOf(row)(bad)).toThrow(TypeError);
      expect(() => syncOf(row)(bad)).toThrow(`lanes.${row.name}: 'a' must be`);
    }
    const a = lanes.from([3, 1, 2]);
    expect(syncOf(row)([3, 1, 2])).toBe(syncOf(row)(a));
    expect(Array.from(a)).toEqual([3, 1, 2]);
  });

  if (row.ddof) {
    it('refuses a bad ddof, naming options.ddof', () => {
      const a = lanes.from([1, 2, 3]);
      expect(() => syncOf(row)(a, { ddof: -1 })).toThrow(new RangeError(`lanes.${row.name}: 'options.ddof' must be a non-negative integer, got -1`));
      expect(() => syncOf(row)(a, { ddof: 0.5 })).toThrow(RangeError);
      expect(() => syncOf(row)(a, { ddof: '1' })).toThrow(TypeError);
    });
  }

  for (const dtype of DTYPES) {
    it(`${dtype}: the same bits on 1 to 4 threads, blocking and as a promise`, async () => {
      const a = data(row, dtype, 1_000_003, 99, false);
      const seen: number[] = [];
      for (const threads of [1, 2, 3, 4]) {
        lanes.configure({ threads });
        seen.push(call(row, a, 1), await callAsync(row, a, 1));
      }
      expect(seen.every((x) => sameValue(x, seen[0]))).toBe(true);
      lanes.free(a);
    });
  }

  it('as a promise, aborts with the signal, and refuses bad operands by rejecting', async () => {
    const a = lanes.from(new Float64Array(4_000_000).fill(1));
    lanes.configure({ threads: 2 });
    await expect(asyncOf(row)(a, { signal: AbortSignal.abort() })).rejects.toThrow(lanes.AbortError);
    await expect(asyncOf(row)(5)).rejects.toThrow(TypeError);
    lanes.free(a);
  });
});
