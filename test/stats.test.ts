// The reductions of one array beyond sum and dot: min(a) and max(a) (the
// elementwise ops' names, with one array), prod, argmin, argmax, mean, var,
// std and norm. min, max, argmin and argmax are exact, with numpy's NaN and
// signed-zero rules; mean is sum / n; prod, var, std and norm are held to
// the bounds the README states against an exact decimal reference. All are
// bit-identical for any thread count (reduction-rows.test.ts, with every row's
// sizes, errors and both APIs).
import Decimal from 'decimal.js';
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { firstDifference, random, sameValue, values, VIEW } from './support/data.js';
import { getRuntime } from './support/internals.js';
import { scanMismatch } from './support/reference.js';
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

describe('prod', () => {
  const exactProd = (xs: number[]) => xs.reduce((p, x) => p.times(exactDecimal(D, x)), new D(1));

  for (const dtype of DTYPES) {
    for (const [label, n, spread] of [
      ['near 1', 2000, 1e-3],
      ['near ±1 (mixed signs)', 20_001, 1e-2],
      ['spread wide', 257, 1.5],
    ] as const) {
      it(`${dtype}, ${n} values ${label}: within (n − 1)·2⁻⁵³ of the exact product, relative`, () => {
        const next = random(n);
        const xs = Array.from(new VIEW[dtype](Array.from({ length: n }, () => (label.includes('signs') && next() < 0.5 ? -1 : 1) * (1 + (next() - 0.5) * spread))));
        const exact = exactProd(xs);
        const got = lanes.prod(lanes.from(xs, dtype));
        const bound = exact.abs().times((n - 1) * 2 ** -53 * (1 + 2 ** -20)).toNumber();
        expect(exactDecimal(D, got).minus(exact).abs().toNumber(), `${got} vs ${exact}`).toBeLessThanOrEqual(bound);
      });
    }

    it(`${dtype}: special values, signed zeros, overflow, and 1 for no elements`, () => {
      expect(lanes.prod(lanes.empty(0, dtype))).toBe(1);
      expect(lanes.prod(lanes.from([2, 3, 0.5], dtype))).toBe(3);
      expect(Object.is(lanes.prod(lanes.from([2, -0, 3], dtype)), -0)).toBe(true);
      expect(Object.is(lanes.prod(lanes.from([-2, -0, 3], dtype)), 0)).toBe(true);
      expect(lanes.prod(lanes.from([1, NaN, 2], dtype))).toBeNaN();
      expect(lanes.prod(lanes.from([0, Infinity], dtype))).toBeNaN();
      expect(lanes.prod(lanes.from([-1, Infinity, 2], dtype))).toBe(-Infinity);
      expect(lanes.prod(lanes.from(new Array(2000).fill(dtype === 'float32' ? 3e38 : 1e300), dtype))).toBe(Infinity);
    });
  }

  it('float32 multiplies in f64: no overflow or underflow of float32 in between', () => {
    expect(lanes.prod(lanes.from([1e30, 1e30, 1e-30], 'float32'))).toBe(Math.fround(1e30) * Math.fround(1e30) * Math.fround(1e-30));
    expect(lanes.prod(lanes.from([1e-30, 1e-30, 1e30], 'float32'))).toBe(Math.fround(1e-30) * Math.fround(1e-30) * Math.fround(1e30));
  });

  it('prod(a * b) in an expression: within the bound of the exact product of the products', () => {
    for (const dtype of DTYPES) {
      const n = 3001;
      const a = lanes.from(data(dtype, n, 1, 1e-2, 1), dtype);
      const b = lanes.from(data(dtype, n, 1, 1e-2, 2), dtype);
      const exact = exactProd(Array.from(lanes.mul(a, b)));
      const got = lanes.evaluate('prod(a * b)', { a, b }) as number;
      expect(exactDecimal(D, got).minus(exact).abs().toNumber()).toBeLessThanOrEqual(exact.times((n - 1) * 2 ** -53 * (1 + 2 ** -20)).toNumber());
    }
  });
});

describe('argmin and argmax', () => {
  /** numpy's rule: the first index of the extreme value, or of the first NaN. */
  const reference = (xs: ArrayLike<number>, max: boolean) => {
    let best = 0;
    for (let i = 0; i < xs.length; i++) {
      if (xs[i] !== xs[i]) return i;
      if (max ? xs[i] > xs[best] : xs[i] < xs[best]) best = i;
    }
    return best;
  };

  for (const dtype of DTYPES) {
    it(`${dtype}: the first extreme, ties and NaN as numpy, at every size and position`, () => {
      for (const n of [1, 2, 3, 4, 5, 17, 513, 4099, 65_537, 300_007]) {
        const next = random(n);
        // Few distinct values, so that the extreme repeats.
        const a = lanes.from(Array.from({ length: n }, () => Math.floor(next() * 7) - 3), dtype);
        for (const max of [false, true]) expect(max ? lanes.argmax(a) : lanes.argmin(a), `n=${n}`).toBe(reference(a, max));
        const at = Math.floor(next() * n);
        a[at] = dtype === 'float32' ? 3e38 : 1e300;
        expect(lanes.argmax(a)).toBe(reference(a, true));
        a[at] = -Infinity;
        expect(lanes.argmin(a)).toBe(reference(a, false));
        a[Math.floor(next() * n)] = NaN;
        a[at] = NaN;
        expect(lanes.argmin(a)).toBe(reference(a, false));
        expect(lanes.argmax(a)).toBe(reference(a, true));
      }
      expect(lanes.argmax(lanes.from([-0, 0, -0], dtype))).toBe(0);
      expect(lanes.argmin(lanes.from([0, -0], dtype))).toBe(0);
      expect(lanes.argmax(lanes.from([1, Infinity, Infinity], dtype))).toBe(1);
    });
  }

  it('refuse no elements and bad operands', () => {
    expect(() => lanes.argmax([])).toThrow(new RangeError('lanes.argmax: argmax() of zero elements has no value'));
    expect(() => lanes.argmin(lanes.empty(0, 'float32'))).toThrow(RangeError);
    expect(() => lanes.argmin(new Int32Array(3) as never)).toThrow(new TypeError("lanes.argmin: 'a' must be a Float32Array, Float64Array or number[], got an Int32Array"));
  });
});

describe('cumsum', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: within γᵢ·Σ|aⱼ| of the exact running sums at every i, over many chunks`, () => {
      for (const [offset, scale] of [[0, 1], [1e3, 1], [-1, 1e-6]]) {
        const xs = data(dtype, 1_000_003, offset, scale, 7 + offset);
        const got = lanes.cumsum(lanes.from(xs, dtype));
        expect(got).toBeInstanceOf(VIEW[dtype]);
        expect(scanMismatch(dtype, got, xs), `data ${offset} ± ${scale}`).toBe(-1);
      }
    });

    it(`${dtype}: NaN from a NaN or opposite infinities on, ±∞ from one, −0 kept`, () => {
      const n = 70_001;
      const xs = data(dtype, n, 0, 1, 3);
      const check = (ys: number[]) => expect(scanMismatch(dtype, lanes.cumsum(lanes.from(ys, dtype)), ys)).toBe(-1);
      check(xs.map((x, i) => (i === 40_000 ? Infinity : x)));
      check(xs.map((x, i) => (i === 30_000 ? NaN : x)));
      check(xs.map((x, i) => (i === 100 ? Infinity : i === 60_000 ? -Infinity : x)));
      expect(Array.from(lanes.cumsum(lanes.from([-0, -0, 2, -2], dtype))).map((x) => Object.is(x, -0))).toEqual([true, true, false, false]);
      expect(lanes.cumsum(lanes.empty(0, dtype))).toHaveLength(0);
    });

    it(`${dtype}: in place, and the same bits on 1 to 4 threads and as a promise`, async () => {
      const xs = data(dtype, 600_001, 1, 1, 5);
      const results: lanes.FloatArray[] = [];
      for (const threads of [1, 2, 3, 4]) {
        lanes.configure({ threads });
        results.push(lanes.cumsum(lanes.from(xs, dtype)));
        expect(firstDifference(await lanesAsync.cumsum(lanes.from(xs, dtype)), results[0])).toBe(-1);
        const a = lanes.from(xs, dtype);
        expect(lanes.cumsum(a, a)).toBe(a);
        expect(firstDifference(a, results[0])).toBe(-1);
      }
      for (const r of results) expect(firstDifference(r, results[0])).toBe(-1);
    });
  }

  for (const dtype of DTYPES) {
    it(`${dtype}: the scalar twins give the SIMD kernels' bits, from any offset, at every length`, () => {
      const { exports } = getRuntime();
      const t = dtype === 'float32' ? 'f32' : 'f64';
      const call = (name: string, ...args: number[]) => (exports[name] as (...a: number[]) => number)(...args);
      for (const n of [0, 1, 3, 4, 5, 7, 8, 9, 31, 1000, 4099]) {
        const a = lanes.from(data(dtype, n, 0.5, 3, n), dtype);
        const offset = lanes.from([n === 3 ? -0 : 1.25], 'float64');
        const [simd, scalar] = [lanes.empty(n, dtype), lanes.empty(n, dtype)];
        call(`vcumsum_${t}`, a.byteOffset, offset.byteOffset, simd.byteOffset, n);
        call(`vcumsum_${t}_scalar`, a.byteOffset, offset.byteOffset, scalar.byteOffset, n);
        expect(firstDifference(simd, scalar), `n=${n}`).toBe(-1);
        expect(sameValue(call(`rcumsum_${t}`, a.byteOffset, 0, n), call(`rcumsum_${t}_scalar`, a.byteOffset, 0, n)), `n=${n}`).toBe(true);
      }
    });
  }

  it('float32 carries the sum in f64: 1e8 + 1 − 1e8 is 1, not 0', () => {
    expect(Array.from(lanes.cumsum(lanes.from([1e8, 1, -1e8], 'float32')))).toEqual([1e8, 1e8, 1]);
  });

  it('the bound check itself rejects a result 2⁻²⁰ off', () => {
    const xs = data('float64', 10_000, 0, 1, 9);
    const got = lanes.cumsum(xs);
    expect(scanMismatch('float64', got, xs)).toBe(-1);
    got[5000] *= 1 + 2 ** -20;
    expect(scanMismatch('float64', got, xs)).toBe(5000);
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

    it(`${dtype}: at every scale, on both roads (one pass where Σa² is safe, two where it is not): within the stated bound`, () => {
      const next = random(17);
      const scales = dtype === 'float32' ? [1, 1e-12, 1e-14, 1e-16, 1e-18, 1e-30, 1e12, 1e18, 1e20] : [1, 1e-140, 1e-145, 1e-150, 1e-160, 1e-300, 1e100, 1e150, 1e160];
      for (const scale of scales) {
        const data = Array.from(new VIEW[dtype](Array.from({ length: 4099 }, () => (next() - 0.5) * scale)));
        const exact = exactNorm(data);
        const got = lanes.norm(lanes.from(data, dtype));
        const bound = exact.times(relative(dtype)).plus(2 ** -1074).toNumber();
        expect(exactDecimal(D, got).minus(exact).abs().toNumber(), `scale ${scale}: ${got} vs ${exact}`).toBeLessThanOrEqual(bound);
      }
    });

    it(`${dtype}: special values and exact cases`, () => {
      expect(lanes.norm(lanes.from([3, -4], dtype))).toBe(5);
      expect(lanes.norm(lanes.from([0, -0], dtype))).toBe(0);
      expect(lanes.norm(lanes.empty(0, dtype))).toBe(0);
      expect(lanes.norm(lanes.from([1, -Infinity], dtype))).toBe(Infinity);
      expect(lanes.norm(lanes.from([1, NaN, Infinity], dtype))).toBeNaN();
    });
  }
});
