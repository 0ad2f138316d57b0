// Fused expressions give, bit for bit, what composing the same lanes ops
// gives (random expressions over the op table, both dtypes, sizes around the
// block and chunk lengths), and the API behaves as the ops do: out, aliasing,
// foreign arrays, numbers, caching, promises.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composed, generate, print } from './support/expressions.js';
import { firstDifference, random, values, VIEW } from './support/data.js';
import { getRuntime } from './support/internals.js';
import { compensatedSum, reductionBound } from './support/reference.js';

type Dtype = 'float32' | 'float64';
const NAMES = ['a', 'b', 'c'];

function inputs(dtype: Dtype, n: number, seed: number): Record<string, lanes.FloatArray> {
  return Object.fromEntries(NAMES.map((name, i) => [name, lanes.from(new VIEW[dtype](values(n, seed + i)))]));
}

beforeAll(async () => {
  lanes.configure({ threads: 2 });
  await getRuntime().pool.ready();
});
afterAll(() => void lanes.configure({ threads: 2 }));

describe('random expressions equal the composed ops, bit for bit', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    // 0 and small sizes run inline; 20_000 spans several blocks; 300_000 runs on the pool.
    for (const n of [0, 1, 7, 33, 1000, 20_000, 300_000]) {
      it(`${dtype}, n = ${n}`, () => {
        const next = random(n * 7 + (dtype === 'float32' ? 1 : 2));
        const vars = inputs(dtype, n, n + 11);
        const count = n >= 100_000 ? 15 : 60;
        let checked = 0;
        for (let k = 0; k < count; k++) {
          const tree = generate(next, NAMES, 1 + Math.floor(next() * 4));
          const source = print(tree, next);
          if (!NAMES.some((name) => new RegExp(`\\b${name}\\b`).test(source))) continue;
          let expected = composed(tree, vars, dtype, n);
          if (typeof expected === 'number') expected = lanes.empty(n, dtype).fill(expected);
          const actual = lanes.evaluate(source, vars) as lanes.FloatArray;
          expect(actual).toBeInstanceOf(VIEW[dtype]);
          expect(firstDifference(actual, expected), source).toBe(-1);
          checked++;
        }
        expect(checked).toBeGreaterThan(count / 2);
      });
    }
  }
});

describe('numbers and constants', () => {
  it('take the arrays’ dtype: 0.1 is rounded to float32 for float32 arrays', () => {
    const a = lanes.from(new Float32Array([1, 3, 10]));
    expect(firstDifference(lanes.evaluate('a * 0.1', { a }) as Float32Array, lanes.mul(a, 0.1))).toBe(-1);
    expect((lanes.evaluate('a * 0.1', { a }) as Float32Array)[1]).toBe(Math.fround(3 * Math.fround(0.1)));
  });

  it('fold in the dtype as the ops compute them, exp included', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const a = lanes.from(new VIEW[dtype]([0.5, 2]));
      const one = (x: number) => lanes.from([x], dtype);
      const folded = lanes.exp(lanes.div(one(1), one(3)))[0];
      expect(firstDifference(lanes.evaluate('a + exp(1/3)', { a }) as lanes.FloatArray, lanes.add(a, folded))).toBe(-1);
    }
  });

  it('rewrites that keep the bits: x / 2^k as x * 2^-k, (-u) * c as u * (-c); specials and subnormals included', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const a = lanes.from(new VIEW[dtype]([...values(997, 3), 0, -0, Infinity, -Infinity, 1e-45, -1e-45, 2 ** -1074, 3e38, -3e38]));
      const cases: [string, () => lanes.FloatArray][] = [
        ['a / 2', () => lanes.div(a, 2)],
        ['a / 0.25', () => lanes.div(a, 0.25)],
        ['a / -1024', () => lanes.div(a, -1024)],
        ['a / 3', () => lanes.div(a, 3)],
        ['-a * 0.5', () => lanes.mul(lanes.neg(a), 0.5)],
        ['0.1 * -a', () => lanes.mul(0.1, lanes.neg(a))],
        ['-(a*a)/2', () => lanes.div(lanes.neg(lanes.mul(a, a)), 2)],
        ['-a / 0', () => lanes.div(lanes.neg(a), 0)],
        ['-a / 3', () => lanes.div(lanes.neg(a), 3)],
      ];
      for (const [source, expected] of cases) {
        expect(firstDifference(lanes.evaluate(source, { a }) as lanes.FloatArray, expected()), `${source} ${dtype}`).toBe(-1);
      }
      const huge = dtype === 'float32' ? 2 ** 127 : 2 ** 1023;
      expect(firstDifference(lanes.evaluate('a / k', { a, k: huge }) as lanes.FloatArray, lanes.div(a, huge))).toBe(-1);
    }
  });

  it('floor, ceil, trunc, rint and square run inline, with their kernels’ bits: halves, signed zeros, specials', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const a = lanes.from(new VIEW[dtype]([...values(997, 4), 0.5, -0.5, 1.5, 2.5, -2.5, 0.49999997, -0, 0, Infinity, -Infinity, NaN, 1e-45, 2 ** 52 + 0.5, 3e38]));
      for (const op of ['floor', 'ceil', 'trunc', 'rint', 'square'] as const) {
        const f = lanes[op] as (x: lanes.FloatArray) => lanes.FloatArray;
        expect(firstDifference(lanes.evaluate(`${op}(a)`, { a }) as lanes.FloatArray, f(a)), `${op}(a) ${dtype}`).toBe(-1);
        expect(firstDifference(lanes.evaluate(`${op}(a * 3 - 1) + 1`, { a }) as lanes.FloatArray, lanes.add(f(lanes.sub(lanes.mul(a, 3), 1)), 1)), `${op}(a * 3 - 1) + 1 ${dtype}`).toBe(-1);
      }
    }
  });

  it('number variables act as numbers; number[] and foreign arrays are read as the ops read them', () => {
    const a = [1, 2, 3];
    const b = new Float64Array([0.5, 0.25, 0.125]); // not lanes memory
    const y = lanes.evaluate('a * k + b', { a, b, k: 3 }) as Float64Array;
    expect(Array.from(y)).toEqual([3.5, 6.25, 9.125]);
    expect(lanes.evaluate('sum(a * k)', { a, k: 2 })).toBe(12);
  });

  it('a number variable is a parameter of one compiled kernel: every value gives what the ops give, specials included', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const r = (x: number) => new VIEW[dtype]([x])[0];
      const a = lanes.from(values(1001, 11), dtype);
      const f = lanes.compile('exp(a * s) + where(a > s, s, 1/3) - s / 4');
      for (const s of [0.1, -0, 0, NaN, Infinity, -Infinity, 3, 1e-310, 2 ** 127, -7.25]) {
        const chosen = lanes.from(Array.from(a, (x) => (x > r(s) ? r(s) : r(1 / 3))), dtype);
        const expected = lanes.sub(lanes.add(lanes.exp(lanes.mul(a, s)), chosen), r(r(s) / 4));
        expect(firstDifference(f({ a, s }) as lanes.FloatArray, expected), `${dtype} s=${s}`).toBe(-1);
      }
    }
  });

  it('** is pow: -a**b is -(a**b), a**b**c is a**(b**c), as in Python and numexpr', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const View = VIEW[dtype];
      const a = lanes.from(new View([4, 9, 0.5, -2, 1.5])), b = lanes.from(new View([0.5, 2, -3, 3, 1.25]));
      const same = (expr: string, want: lanes.FloatArray) => expect(Array.from(lanes.evaluate(expr, { a, b }) as lanes.FloatArray), expr).toEqual(Array.from(want));
      same('-a**2', lanes.neg(lanes.pow(a, 2)));
      same('a**b**2', lanes.pow(a, lanes.pow(b, 2)));
      same('2**a', lanes.pow(2, a));
      same('(a + 1)**0.5 * b', lanes.mul(lanes.pow(lanes.add(a, 1), 0.5), b));
      // 2**-1 folds to one number, as lanes.pow computes it.
      same('a * 2**-1', lanes.mul(a, 0.5));
    }
    const a = lanes.from([4, 9]);
    expect(Array.from(lanes.evaluate('-sqrt(a)', { a }) as Float64Array)).toEqual([-2, -3]);
  });
});

describe('where', () => {
  it('selects per element, NaN comparing false except for !=', () => {
    const a = lanes.from([1, NaN, 3, -0]);
    const b = lanes.from([2, 1, 1, 0]);
    const pick = (cmp: string) => Array.from(lanes.evaluate(`where(a ${cmp} b, 1, 0)`, { a, b }) as Float64Array);
    expect(pick('<')).toEqual([1, 0, 0, 0]);
    expect(pick('>=')).toEqual([0, 0, 1, 1]);
    expect(pick('==')).toEqual([0, 0, 0, 1]);
    expect(pick('!=')).toEqual([1, 1, 1, 0]);
    expect(Array.from(lanes.evaluate('where(0 < a, a, -a)', { a }) as Float64Array)).toEqual([1, NaN, 3, 0]);
  });
});

describe('reductions', () => {
  const n = 100_003;
  it('sum, dot, mean, min and max over expressions', () => {
    const a = lanes.from(new Float64Array(n).map((_, i) => (i % 17) - 8));
    const b = lanes.from(new Float64Array(n).map((_, i) => (i % 5) * 0.5));
    const prod = lanes.mul(a, b);
    expect(lanes.evaluate('dot(a, b)', { a, b })).toBe(lanes.dot(a, b));
    expect(lanes.evaluate('sum(a)', { a })).toBe(lanes.sum(a));
    expect(lanes.evaluate('sum(a*b)', { a, b })).toBeCloseTo(lanes.sum(prod), 6);
    expect(lanes.evaluate('mean(a*b)', { a, b })).toBeCloseTo(lanes.sum(prod) / n, 12);
    expect(lanes.evaluate('min(a*b)', { a, b })).toBe(Math.min(...prod));
    expect(lanes.evaluate('max(a - b)', { a, b })).toBe(Math.max(...lanes.sub(a, b)));
    expect(lanes.evaluate('dot(a + 1, b)', { a, b })).toBeCloseTo(lanes.dot(lanes.add(a, 1), b), 6);
  });

  it('sum(a*b) on float32 sums the float32 products, not exact ones', () => {
    const a = lanes.from(new Float32Array([1 + 2 ** -20, 3]));
    const b = lanes.from(new Float32Array([1 + 2 ** -20, 1]));
    expect(lanes.evaluate('sum(a*b)', { a, b })).toBe(Math.fround((1 + 2 ** -20) ** 2) + 3);
    expect(lanes.evaluate('dot(a, b)', { a, b })).toBe((1 + 2 ** -20) ** 2 + 3);
  });

  it('sum the values of the expression within the bound lanes.sum states, f32 overflow included', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const n of [1, 31, 513, 100_003, 400_003]) {
        const next = random(n + 5);
        const a = lanes.from(new VIEW[dtype](n).map(() => (next() - 0.3) * 2 ** Math.floor(next() * 20 - 10)));
        const b = lanes.from(new VIEW[dtype](n).map(() => next() * 4 - 1));
        for (const [source, terms] of [
          ['sum(a*b)', lanes.mul(a, b)],
          ['dot(a + 1, b)', lanes.mul(lanes.add(a, 1), b)],
          ['mean(a - b)', lanes.sub(a, b)],
        ] as const) {
          const actual = lanes.evaluate(source, { a, b }) as number;
          const exact = compensatedSum(Array.from(terms)) / (source.startsWith('mean') ? n : 1);
          const bound = reductionBound('sum', dtype, terms) / (source.startsWith('mean') ? n : 1);
          expect(Math.abs(actual - exact), `${source} ${dtype} n = ${n}`).toBeLessThanOrEqual(bound * (1 + 2 ** -40));
        }
      }
    }
    // Float32 lanes overflow on these (3e38 sixteen times), so blocks are summed again in f64.
    const big = lanes.from(new Float32Array(5000).fill(3e38));
    expect(lanes.evaluate('sum(a * 1)', { a: big })).toBe(5000 * Math.fround(3e38));
    expect(lanes.evaluate('sum(a * 1)', { a: big.subarray(0, 1000) })).toBe(1000 * Math.fround(3e38));
  });

  it('min and max propagate NaN and order -0 below +0', () => {
    const a = lanes.from([3, -0, 0, 5]);
    expect(Object.is(lanes.evaluate('min(a + 0)', { a }), -0)).toBe(false); // -0 + 0 is +0
    expect(Object.is(lanes.evaluate('min(a * 1)', { a }), -0)).toBe(true);
    const withNaN = lanes.from(new Float32Array(5000).fill(1).map((x, i) => (i === 4321 ? NaN : x)));
    expect(lanes.evaluate('max(a * 2)', { a: withNaN })).toBeNaN();
    expect(lanes.evaluate('min(a * 2)', { a: withNaN })).toBeNaN();
  });

  it('of zero elements: sum 0, mean NaN, min and max a RangeError', () => {
    const a = lanes.empty(0, 'float64');
    expect(lanes.evaluate('sum(a*2)', { a })).toBe(0);
    expect(lanes.evaluate('mean(a*2)', { a })).toBeNaN();
    expect(() => lanes.evaluate('min(a)', { a })).toThrow(new RangeError('lanes.evaluate: min() of zero elements has no value'));
  });
});

describe('out', () => {
  it('is written and returned; it may alias an input exactly; a partial overlap acts as if through a temporary', () => {
    const a = lanes.from([1, 2, 3, 4, 5, 6]);
    const b = lanes.from([10, 20, 30, 40, 50, 60]);
    const out = lanes.empty(6, 'float64');
    expect(lanes.evaluate('a * b + a', { a, b }, out)).toBe(out);
    expect(Array.from(out)).toEqual([11, 42, 93, 164, 255, 366]);
    lanes.evaluate('a * b + a', { a, b }, a);
    expect(Array.from(a)).toEqual([11, 42, 93, 164, 255, 366]);
    const block = lanes.from([1, 2, 3, 4, 5, 6, 7]);
    const x = block.subarray(0, 6);
    const shifted = block.subarray(1, 7);
    lanes.evaluate('x * 2 + x', { x }, shifted);
    expect(Array.from(block)).toEqual([1, 3, 6, 9, 12, 15, 18]);
  });

  it('may be a foreign Float64Array', () => {
    const a = lanes.from([1, 2]);
    const out = new Float64Array(2);
    expect(lanes.evaluate('exp(a * 0)', { a }, out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 1]);
  });
});

describe('lanes.compile', () => {
  it('returns a reusable function with the same results, for each dtype and binding', () => {
    const f = lanes.compile('2*a + exp(-b*b)');
    for (const dtype of ['float32', 'float64'] as const) {
      const { a, b } = inputs(dtype, 5000, 3);
      const expected = lanes.add(lanes.mul(2, a), lanes.exp(lanes.mul(lanes.neg(b), b)));
      expect(firstDifference(f({ a, b }) as lanes.FloatArray, expected)).toBe(-1);
      expect(firstDifference(lanes.evaluate('2*a + exp(-b*b)', { a, b }) as lanes.FloatArray, expected)).toBe(-1);
      expect(firstDifference(f({ a, b: 0.5 }) as lanes.FloatArray, lanes.add(lanes.mul(2, a), lanes.exp(lanes.from([-0.25], dtype))[0]))).toBe(-1);
    }
  });

  it('throws a malformed expression’s SyntaxError at compile time', () => {
    expect(() => lanes.compile('2 * (a + b')).toThrow(SyntaxError);
  });
});

describe('lanes/promises', () => {
  it('evaluate and compile resolve to the same results', async () => {
    const { a, b } = inputs('float64', 300_000, 5);
    const expected = lanes.evaluate('a*b + 1', { a, b }) as Float64Array;
    expect(firstDifference((await lanesAsync.evaluate('a*b + 1', { a, b })) as Float64Array, expected)).toBe(-1);
    const f = lanesAsync.compile('a*b + 1');
    const out = lanes.empty(300_000, 'float64');
    expect(await f({ a, b }, out, {})).toBe(out);
    expect(firstDifference(out, expected)).toBe(-1);
    expect(await lanesAsync.evaluate('sum(a*b)', { a, b })).toBe(lanes.evaluate('sum(a*b)', { a, b }));
  });

  it('an aborted signal rejects with an AbortError and writes nothing', async () => {
    const { a } = inputs('float64', 300_000, 6);
    const out = lanes.empty(300_000, 'float64').fill(7);
    const controller = new AbortController();
    controller.abort('stop');
    const error = await lanesAsync.evaluate('a + 1', { a }, out, { signal: controller.signal }).then(() => undefined, (e: Error) => e);
    expect(error).toBeInstanceOf(lanes.AbortError);
    expect(out.every((x) => x === 7)).toBe(true);
    await expect(lanesAsync.compile('a+1')({ a }, { signal: 'no' as unknown as AbortSignal })).rejects.toThrow(
      new TypeError("lanes.compile: 'options.signal' must be an AbortSignal, got a string"),
    );
  });

  it('an abort mid-call stops it between chunks', async () => {
    const n = 8_000_000;
    const a = lanes.empty(n, 'float64').fill(0.5);
    const controller = new AbortController();
    const call = lanesAsync.evaluate('exp(a) * exp(a)', { a }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 2);
    await expect(call).rejects.toBeInstanceOf(lanes.AbortError);
    expect(lanes.evaluate('sum(a)', { a })).toBe(n / 2); // the pool still works
    lanes.free(a);
  });
});
