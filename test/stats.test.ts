// The reductions of one array beyond sum and dot: min(a) and max(a) (the
// elementwise ops' names, with one array), mean, var, std and norm. min and max
// are exact, with numpy's NaN and signed-zero rules; mean is sum / n; var and
// std are two-pass, held to the bound the README states against an exact
// decimal reference. All are bit-identical for any thread count.
import Decimal from 'decimal.js';
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { random, sameValue, values, VIEW } from './support/data.js';
import { exactDecimal } from './support/log-reference.js';

const DTYPES = ['float32', 'float64'] as const;
type Dtype = (typeof DTYPES)[number];
const D = Decimal.clone({ precision: 60 });

afterAll(() => lanes.configure({ threads: 1 }));

/** n values around `offset` with spread `scale`, rounded to the dtype. */
function data(dtype: Dtype, n: number, offset: number, scale: number, seed: number): number[] {
  const next = random(seed);
  return Array.from(new VIEW[dtype](Array.from({ length: n }, () => offset + (next() - 0.5) * scale)));
}

/** Σ(x − m)² exactly, m the exact mean: in decimal. */
function exactSquares(xs: number[]): { mean: Decimal; squares: Decimal } {
  const exact = xs.map((x) => exactDecimal(D, x));
  const mean = exact.reduce((s, x) => s.plus(x), new D(0)).div(xs.length);
  return { mean, squares: exact.reduce((s, x) => s.plus(x.minus(mean).pow(2)), new D(0)) };
}

/**
 * The README's bound on var·(n − ddof): 172·u·S′ + n·δ² (float64), and
 * 21·u₃₂·S′ more for float32, where δ is the computed mean (rounded to the
 * dtype) minus the exact one and S′ = S + n·δ².
 */
function squaresBound(dtype: Dtype, n: number, squares: number, delta: number): number {
  const shifted = squares + n * delta * delta;
  return (172 * 2 ** -53 + (dtype === 'float32' ? 21 * 2 ** -24 : 0)) * shifted * (1 + 2 ** -20) + n * delta * delta;
}

describe('min(a) and max(a)', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: the extreme value, NaN if any, −0 below +0, at every size`, () => {
      for (const n of [1, 3, 4, 5, 17, 513, 4099, 300_007]) {
        const xs = values(n, n).map((x) => (Number.isNaN(x) ? 0.5 : x));
        const a = lanes.from(xs, dtype);
        const ys = Array.from(a);
        expect(lanes.min(a), `n=${n}`).toBe(ys.reduce((m, x) => Math.min(m, x)));
        expect(lanes.max(a), `n=${n}`).toBe(ys.reduce((m, x) => Math.max(m, x)));
        a[n >> 1] = NaN;
        expect(lanes.min(a)).toBeNaN();
        expect(lanes.max(a)).toBeNaN();
      }
      expect(Object.is(lanes.min(lanes.from([0, -0, 0], dtype)), -0)).toBe(true);
      expect(Object.is(lanes.max(lanes.from([-0, 0, -0], dtype)), 0)).toBe(true);
    });
  }

  it('with two operands they stay elementwise; with none a RangeError', () => {
    expect(Array.from(lanes.min([1, 5], [3, 2]))).toEqual([1, 2]);
    expect(Array.from(lanes.max([1, 5], 4))).toEqual([4, 5]);
    expect(() => lanes.min([])).toThrow(new RangeError('lanes.min: min() of zero elements has no value'));
    expect(() => lanes.max('a' as never)).toThrow(new TypeError("lanes.max: 'a' must be a Float32Array, Float64Array or number[], got a string"));
  });
});

describe('mean', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: sum / n, bit for bit`, () => {
      for (const n of [1, 7, 1000, 300_007]) {
        const a = lanes.from(values(n, 3 * n).map((x) => (Math.abs(x) < 1e30 ? x : 1)), dtype);
        expect(lanes.mean(a)).toBe(lanes.sum(a) / n);
      }
      expect(lanes.mean(lanes.empty(0, dtype))).toBeNaN();
    });
  }
});

describe('var and std', () => {
  for (const dtype of DTYPES) {
    for (const [offset, scale] of [[0, 1], [1e4, 1], [-3, 1e-6], [1e8, 1e3]]) {
      it(`${dtype}, data ${offset} ± ${scale}: within the stated bound of the exact value, ddof 0 and 1`, () => {
        const n = 2000;
        const xs = data(dtype, n, offset, scale, offset + scale);
        const a = lanes.from(xs, dtype);
        const { mean, squares } = exactSquares(xs);
        const computedMean = new VIEW[dtype]([lanes.mean(a)])[0];
        const delta = exactDecimal(D, computedMean).minus(mean).abs().toNumber();
        for (const ddof of [0, 1]) {
          const exact = squares.div(n - ddof);
          const got = lanes.var(a, { ddof });
          const bound = squaresBound(dtype, n, squares.toNumber(), delta) / (n - ddof);
          expect(exactDecimal(D, got).minus(exact).abs().toNumber(), `ddof ${ddof}: ${got} vs ${exact}`).toBeLessThanOrEqual(bound);
          expect(lanes.std(a, { ddof })).toBe(Math.sqrt(got));
        }
      });
    }

    it(`${dtype}: NaN where n − ddof ≤ 0 or the data holds NaN or ±∞`, () => {
      expect(lanes.var(lanes.from([2], dtype), { ddof: 1 })).toBeNaN();
      expect(lanes.var(lanes.empty(0, dtype))).toBeNaN();
      expect(lanes.var(lanes.from([1, Infinity], dtype))).toBeNaN();
      expect(lanes.std(lanes.from([1, NaN, 2], dtype))).toBeNaN();
      expect(lanes.var(lanes.from([5, 5, 5], dtype))).toBe(0);
    });
  }

  it('refuse a bad ddof or operand, naming it', () => {
    const a = [1, 2, 3];
    expect(() => lanes.var(a, { ddof: -1 })).toThrow(new RangeError("lanes.var: 'options.ddof' must be a non-negative integer, got -1"));
    expect(() => lanes.std(a, { ddof: 0.5 })).toThrow(RangeError);
    expect(() => lanes.std(a, { ddof: '1' as never })).toThrow(new TypeError("lanes.std: 'options.ddof' must be a number, got a string"));
    expect(() => lanes.var(a, 2 as never)).toThrow(new TypeError("lanes.var: 'options' must be an object, got the number 2"));
    expect(() => lanes.std(new Int32Array(3) as never)).toThrow(new TypeError("lanes.std: 'a' must be a Float32Array, Float64Array or number[], got an Int32Array"));
  });
});

describe('norm', () => {
  /** The README's bound on norm, relative: 87·u, and 10·u₃₂ more for float32. */
  const relative = (dtype: Dtype) => (87 * 2 ** -53 + (dtype === 'float32' ? 10 * 2 ** -24 : 0)) * (1 + 2 ** -20);
  const exactNorm = (xs: number[]) => xs.reduce((s, x) => s.plus(exactDecimal(D, x).pow(2)), new D(0)).sqrt();

  for (const dtype of DTYPES) {
    const [huge, tiny] = dtype === 'float32' ? [3e38, 1e-44] : [1e306, 5e-323];
    for (const [label, xs] of [
      ['random', values(3001, 5).map((x) => (Number.isFinite(x) && Math.abs(x) < 1e30 ? x : 2))],
      ['near the largest finite value, whose squares overflow', Array.from({ length: 999 }, (_, i) => huge * (0.3 + (i % 7) / 10))],
      ['subnormal, whose squares underflow', Array.from({ length: 999 }, (_, i) => tiny * (1 + (i % 5)))],
      ['a huge value among small ones', [1e-20, ...Array.from({ length: 500 }, (_, i) => i), huge / 4]],
    ] as const) {
      it(`${dtype}, ${label}: within the stated bound of √Σa²`, () => {
        const data = Array.from(new VIEW[dtype](xs));
        const exact = exactNorm(data);
        const got = lanes.norm(lanes.from(data, dtype));
        // (A subnormal float64 result also rounds at 2^-1074.)
        const bound = exact.times(relative(dtype)).plus(2 ** -1074).toNumber();
        expect(exactDecimal(D, got).minus(exact).abs().toNumber(), `${got} vs ${exact}`).toBeLessThanOrEqual(bound);
      });
    }

    it(`${dtype}: special values and exact cases`, () => {
      expect(lanes.norm(lanes.from([3, -4], dtype))).toBe(5);
      expect(lanes.norm(lanes.from([0, -0], dtype))).toBe(0);
      expect(lanes.norm(lanes.empty(0, dtype))).toBe(0);
      expect(lanes.norm(lanes.from([1, -Infinity], dtype))).toBe(Infinity);
      expect(lanes.norm(lanes.from([1, NaN, Infinity], dtype))).toBeNaN();
    });
  }
});

describe('every thread count, and the promise API', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: the same bits on 1 to 4 threads, and as promises`, async () => {
      const n = 1_000_003;
      const a = lanes.from(data(dtype, n, 10, 4, 99), dtype);
      const results: number[][] = [];
      for (const threads of [1, 2, 3, 4]) {
        lanes.configure({ threads });
        const sync = [lanes.min(a), lanes.max(a), lanes.mean(a), lanes.var(a), lanes.std(a, { ddof: 1 }), lanes.norm(a)];
        const promised = [await lanesAsync.min(a), await lanesAsync.max(a, {}), await lanesAsync.mean(a), await lanesAsync.var(a), await lanesAsync.std(a, { ddof: 1 }), await lanesAsync.norm(a)];
        expect(promised.every((x, i) => sameValue(x, sync[i]))).toBe(true);
        results.push(sync);
      }
      for (const r of results) expect(r).toEqual(results[0]);
    });
  }

  it('promise calls abort with the signal', async () => {
    const a = lanes.from(new Float64Array(4_000_000).fill(1));
    lanes.configure({ threads: 2 });
    await expect(lanesAsync.var(a, { signal: AbortSignal.abort() })).rejects.toThrow(lanes.AbortError);
    await expect(lanesAsync.min(a, { signal: AbortSignal.abort() })).rejects.toThrow(lanes.AbortError);
  });
});
