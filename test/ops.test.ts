// Every op-table row, for each dtype: sizes around the vector and unroll
// widths, misaligned starts, out aliasing its inputs, and guard sentinels
// around out. Exact ops must match the f64 result rounded to the dtype bit
// for bit; exp and the log family within 1 ULP of their correctly rounded
// results (support/reference.ts: ulpError); reductions within their error bound.
import * as lanes from 'lanes';
import { afterAll, describe, expect, it } from 'vitest';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { elementBytes, firstDifference, guarded, values, VIEW } from './support/data.js';
import { arity, elementwiseMismatch, errorAgainst, exactOf, expectedElementwise, reductionBound, referenceDot, referenceSum, ulpError, type Reference } from './support/reference.js';

const DTYPES = ['float32', 'float64'] as const;
type Dtype = (typeof DTYPES)[number];

/**
 * A large odd size that spans several chunks (chunks are at most 256 KiB: 3
 * for float32, 5 for float64). Its references are most of this file's time,
 * so with LANES_SWEEP=small (CI, on three Node versions) it is 70,001: 2
 * chunks for float32, 3 for float64.
 */
const LARGE = process.env.LANES_SWEEP === 'small' ? 70_001 : 150_001;

/** 0, 1, lanes ± 1, unroll ± 1 (four vectors), and LARGE. */
function sizes(dtype: Dtype): number[] {
  const lanesPerVector = 16 / elementBytes(dtype);
  const unroll = 4 * lanesPerVector;
  return [...new Set([0, 1, lanesPerVector - 1, lanesPerVector, lanesPerVector + 1, unroll - 1, unroll, unroll + 1, LARGE])];
}

/** A lanes array of n elements starting `offset` elements past a 64-byte boundary. */
function lanesArray(dtype: Dtype, data: number[], offset: number): lanes.FloatArray {
  const block = lanes.empty(data.length + offset, dtype);
  const view = block.subarray(offset);
  view.set(data);
  return view;
}

/** Runs fn with out placed between guard sentinels (misaligned by `offset`), and checks them afterwards. */
function withGuards(dtype: Dtype, n: number, offset: number, fn: (out: lanes.FloatArray) => void): lanes.FloatArray {
  const { view, intact } = guarded(dtype, n, 19 + offset, 19);
  fn(view);
  expect(intact()).toBe(true);
  return view;
}

/** The double-double references of xs, computed once per input array (each is checked twice or more). */
const exactCache = new WeakMap<object, Map<string, Reference[]>>();
function exactResults(row: OpRow, xs: ArrayLike<number>): Reference[] | undefined {
  if (row.name === 'exp') return undefined; // exp's own reference is fast
  const byOp = exactCache.get(xs) ?? exactCache.set(xs, new Map()).get(xs)!;
  let exact = byOp.get(row.name);
  if (!exact) byOp.set(row.name, (exact = Array.from(xs, (x) => exactOf(row.name, x))));
  return exact;
}

function checkElementwise(row: OpRow, dtype: Dtype, actual: ArrayLike<number>, expected: number[], xs: ArrayLike<number> | number, ys?: ArrayLike<number> | number) {
  if (row.exact) {
    const i = firstDifference(actual, expected);
    expect(i, `${row.name} ${dtype} at ${i}: got ${actual[i]}, expected ${expected[i]}`).toBe(-1);
  } else if (row.kind !== 'unary') {
    const i = elementwiseMismatch(row, dtype, actual, expected, xs, ys);
    expect(i, `${row.name} ${dtype} at ${i}: got ${actual[i]} for ${(xs as ArrayLike<number>)[i]}`).toBe(-1);
  } else {
    // float64 against the cached double-double references; float32 against Math.* first (ulpError).
    const x = xs as ArrayLike<number>;
    expect(actual.length).toBe(expected.length);
    const exact = dtype === 'float64' ? exactResults(row, x) : undefined;
    let worst = 0, at = -1;
    for (let i = 0; i < actual.length; i++) {
      const error = exact ? errorAgainst(dtype, actual[i], exact[i]) : ulpError(row, dtype, x[i], actual[i], 1);
      if (!(error <= worst)) (worst = error), (at = i);
    }
    expect(worst, `${row.name} ${dtype} at ${at}: got ${actual[at]} for ${x[at]}`).toBeLessThan(1);
  }
}

function checkReduction(row: OpRow, dtype: Dtype, actual: number, a: ArrayLike<number>, b: ArrayLike<number>) {
  const kind = row.kind as 'sum' | 'dot';
  const expected = kind === 'sum' ? referenceSum(a) : referenceDot(a, b);
  const terms = kind === 'sum' ? Array.from(a) : Array.from(a, (x, i) => x * b[i]);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(reductionBound(kind, dtype, terms));
}

/** Inputs for reductions: finite, and small enough that no sum overflows. */
function finiteValues(n: number, seed: number): number[] {
  return values(n, seed).map((x) => (Math.abs(x) < 1e30 ? x : 1.5));
}

/**
 * An elementwise test's operands. LARGE takes the same data at every offset
 * (made once), so that its double-double references are computed once per op
 * and dtype, not three times: they are most of this file's time.
 */
const largeData = new Map<string, number[][]>();
function operandData(row: OpRow, dtype: Dtype, n: number, offset: number): number[][] {
  const raw = row.kind === 'sum' || row.kind === 'dot' || row.kind === 'scan' ? finiteValues : values;
  const make = (seed: number) => [11, 13, 17].map((m, j) => Array.from(new VIEW[dtype](raw(n, m * n + seed + [0, 7, 5][j]))));
  if (n !== LARGE) return make(offset).slice(0, arity(row));
  const key = `${dtype} ${raw === values}`;
  if (!largeData.has(key)) largeData.set(key, make(0));
  return largeData.get(key)!.slice(0, arity(row));
}

for (const row of REGISTRY as readonly OpRow[]) {
  describe(`${row.name}`, () => {
    afterAll(() => {
      for (const data of largeData.values()) exactCache.get(data[0])?.delete(row.name);
    });
    for (const dtype of DTYPES) {
      describe(dtype, () => {
        for (const n of sizes(dtype)) {
          for (const offset of [0, 1, 3]) {
            it(`n=${n}, misaligned by ${offset}`, () => {
              const data = operandData(row, dtype, n, offset);
              const [xs, ys] = data;
              const arrays = data.map((d, j) => lanesArray(dtype, d, (offset + j) % 4));
              if (row.kind === 'sum') return checkReduction(row, dtype, lanes[row.name](arrays[0]), xs, xs);
              if (row.kind === 'dot') return checkReduction(row, dtype, lanes[row.name](arrays[0], arrays[1]), xs, ys);
              const expected = expectedElementwise(row, dtype, ...data);
              const op = lanes[row.name] as (...args: unknown[]) => lanes.FloatArray;
              const out = withGuards(dtype, n, offset, (o) => op(...arrays, o));
              checkElementwise(row, dtype, out, expected, xs, ys);
              // Without out: a fresh array of the operands' dtype.
              const fresh = op(...arrays);
              expect(fresh).toBeInstanceOf(VIEW[dtype]);
              checkElementwise(row, dtype, fresh, expected, xs, ys);
              // The inputs are untouched.
              arrays.forEach((array, j) => expect(firstDifference(array, data[j])).toBe(-1));
            });
          }
        }

        if (row.kind === 'unary' || row.kind === 'binary' || row.kind === 'ternary' || row.kind === 'scan') {
          const n = 1031;
          const data = [5, 6, 8].slice(0, arity(row)).map((seed) => Array.from(new VIEW[dtype](values(n, seed))));
          const op = lanes[row.name] as (...args: unknown[]) => lanes.FloatArray;

          it('out aliasing each operand, or all of them', () => {
            for (let j = 0; j < data.length; j++) {
              const arrays = data.map((d) => lanes.from(d, dtype));
              expect(op(...arrays, arrays[j])).toBe(arrays[j]);
              checkElementwise(row, dtype, arrays[j], expectedElementwise(row, dtype, ...data), data[0], data[1]);
            }
            const a = lanes.from(data[0], dtype);
            const same = data.map(() => a);
            expect(op(...same, a)).toBe(a);
            checkElementwise(row, dtype, a, expectedElementwise(row, dtype, ...data.map(() => data[0])), data[0], data.length > 1 ? data[0] : undefined);
          });

          it('arrays from outside lanes memory, and number[]', () => {
            const expected = expectedElementwise(row, dtype, ...data);
            const plain = data.map((d) => new VIEW[dtype](d));
            checkElementwise(row, dtype, op(...plain), expected, data[0], data[1]);
            checkElementwise(row, dtype, op(plain[0], ...data.slice(1)), expected, data[0], data[1]);
            const plainOut = new VIEW[dtype](n);
            expect(op(data[0], ...plain.slice(1), plainOut)).toBe(plainOut);
            checkElementwise(row, dtype, plainOut, expected, data[0], data[1]);
          });
        }

        if (row.kind === 'binary' || row.kind === 'ternary') {
          it('number operands in every place but the first alone, rounded to the dtype first', () => {
            const xs = Array.from(new VIEW[dtype](values(517, 9)));
            const ys = Array.from(new VIEW[dtype](values(517, 10)));
            const op = lanes[row.name] as (...args: unknown[]) => lanes.FloatArray;
            for (const c of [0.1, -3, 1e-30, 7e38, NaN, -0]) {
              // Every pattern of numbers and arrays with at least one array: for a
              // ternary op, a number in one or two of the places.
              const places = arity(row);
              for (let mask = 1; mask < 2 ** places - 1; mask++) {
                const operands = Array.from({ length: places }, (_, j) => (mask & (1 << j) ? (j ? -c / 2 : c) : j === 1 ? ys : xs));
                const arrays = operands.map((o) => (typeof o === 'number' ? o : lanes.from(o, dtype)));
                checkElementwise(row, dtype, op(...arrays), expectedElementwise(row, dtype, ...operands), operands[0], operands[1]);
              }
            }
          });
        }
      });
    }
  });
}
