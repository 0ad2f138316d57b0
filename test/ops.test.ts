// Every op-table row, for each dtype: sizes around the vector and unroll
// widths, misaligned starts, out aliasing its inputs, and guard sentinels
// around out. Exact ops must match the f64 result rounded to the dtype bit
// for bit; exp and the log family within 1 ULP of their correctly rounded
// results (support/reference.ts: ulpError); reductions within their error bound.
import * as lanes from 'lanes';
import { describe, expect, it } from 'vitest';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { elementBytes, firstDifference, guarded, values, VIEW } from './support/data.js';
import { LOG_REFERENCES, type Exact } from './support/log-reference.js';
import { expectedElementwise, reductionBound, referenceDot, referenceSum, ulpError, ulpFromExact } from './support/reference.js';

const DTYPES = ['float32', 'float64'] as const;
type Dtype = (typeof DTYPES)[number];

/** 0, 1, lanes ± 1, unroll ± 1 (four vectors), a large odd size that spans several chunks. */
function sizes(dtype: Dtype): number[] {
  const lanesPerVector = 16 / elementBytes(dtype);
  const unroll = 4 * lanesPerVector;
  return [...new Set([0, 1, lanesPerVector - 1, lanesPerVector, lanesPerVector + 1, unroll - 1, unroll, unroll + 1, 300_007])];
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
const exactCache = new WeakMap<object, Exact[]>();
function exactResults(row: OpRow, xs: ArrayLike<number>): Exact[] | undefined {
  const reference = LOG_REFERENCES[row.name];
  if (!reference) return undefined;
  let exact = exactCache.get(xs);
  if (!exact) exactCache.set(xs, (exact = Array.from(xs, reference)));
  return exact;
}

function checkElementwise(row: OpRow, dtype: Dtype, actual: ArrayLike<number>, expected: number[], xs: ArrayLike<number>) {
  if (row.exact) {
    const i = firstDifference(actual, expected);
    expect(i, `${row.name} ${dtype} at ${i}: got ${actual[i]}, expected ${expected[i]}`).toBe(-1);
  } else {
    let worst = 0;
    const exact = dtype === 'float64' ? exactResults(row, xs) : undefined;
    for (let i = 0; i < actual.length; i++) worst = Math.max(worst, exact ? ulpFromExact(dtype, actual[i], exact[i]) : ulpError(row, dtype, xs[i], actual[i], 1));
    expect(worst).toBeLessThan(1);
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

for (const row of REGISTRY as readonly OpRow[]) {
  describe(`${row.name}`, () => {
    for (const dtype of DTYPES) {
      describe(dtype, () => {
        for (const n of sizes(dtype)) {
          for (const offset of [0, 1, 3]) {
            it(`n=${n}, misaligned by ${offset}`, () => {
              const raw = row.kind === 'sum' || row.kind === 'dot' ? finiteValues : values;
              const xs = Array.from(new VIEW[dtype](raw(n, 11 * n + offset)));
              const ys = Array.from(new VIEW[dtype](raw(n, 13 * n + offset + 7)));
              const a = lanesArray(dtype, xs, offset);
              const b = lanesArray(dtype, ys, (offset + 1) % 4);
              if (row.kind === 'sum') return checkReduction(row, dtype, lanes[row.name](a), xs, xs);
              if (row.kind === 'dot') return checkReduction(row, dtype, lanes[row.name](a, b), xs, ys);
              const expected = expectedElementwise(row, dtype, xs, ys);
              const op = lanes[row.name] as (a: unknown, b: unknown, out?: unknown) => lanes.FloatArray;
              const out = withGuards(dtype, n, offset, (o) => (row.kind === 'binary' ? op(a, b, o) : op(a, o)));
              checkElementwise(row, dtype, out, expected, xs);
              // Without out: a fresh array of the operands' dtype.
              const fresh = row.kind === 'binary' ? op(a, b) : op(a);
              expect(fresh).toBeInstanceOf(VIEW[dtype]);
              checkElementwise(row, dtype, fresh, expected, xs);
              // The inputs are untouched.
              expect(firstDifference(a, xs)).toBe(-1);
              expect(firstDifference(b, ys)).toBe(-1);
            });
          }
        }

        if (row.kind === 'unary' || row.kind === 'binary') {
          const n = 1031;
          it('out aliasing a, b, or both', () => {
            const xs = Array.from(new VIEW[dtype](values(n, 5)));
            const ys = Array.from(new VIEW[dtype](values(n, 6)));
            const op = lanes[row.name] as (...args: unknown[]) => lanes.FloatArray;
            if (row.kind === 'unary') {
              const a = lanes.from(xs, dtype);
              expect(op(a, a)).toBe(a);
              checkElementwise(row, dtype, a, expectedElementwise(row, dtype, xs), xs);
              return;
            }
            const a1 = lanes.from(xs, dtype), b1 = lanes.from(ys, dtype);
            expect(op(a1, b1, a1)).toBe(a1);
            checkElementwise(row, dtype, a1, expectedElementwise(row, dtype, xs, ys), xs);
            const a2 = lanes.from(xs, dtype), b2 = lanes.from(ys, dtype);
            expect(op(a2, b2, b2)).toBe(b2);
            checkElementwise(row, dtype, b2, expectedElementwise(row, dtype, xs, ys), xs);
            const a3 = lanes.from(xs, dtype);
            expect(op(a3, a3, a3)).toBe(a3);
            checkElementwise(row, dtype, a3, expectedElementwise(row, dtype, xs, xs), xs);
          });
        }

        if (row.kind === 'binary') {
          it('a number operand on either side, rounded to the dtype first', () => {
            const xs = Array.from(new VIEW[dtype](values(517, 9)));
            const a = lanes.from(xs, dtype);
            const op = lanes[row.name] as (a: unknown, b: unknown) => lanes.FloatArray;
            for (const c of [0.1, -3, 1e-30, 7e38, NaN, -0]) {
              checkElementwise(row, dtype, op(a, c), expectedElementwise(row, dtype, xs, c), xs);
              checkElementwise(row, dtype, op(c, a), expectedElementwise(row, dtype, c, xs), xs);
            }
          });

          it('arrays from outside lanes memory, and number[]', () => {
            const xs = Array.from(new VIEW[dtype](values(257, 3)));
            const ys = Array.from(new VIEW[dtype](values(257, 4)));
            const op = lanes[row.name] as (...args: unknown[]) => lanes.FloatArray;
            const expected = expectedElementwise(row, dtype, xs, ys);
            const plainA = new VIEW[dtype](xs), plainB = new VIEW[dtype](ys);
            checkElementwise(row, dtype, op(plainA, plainB), expected, xs);
            checkElementwise(row, dtype, op(plainA, ys), expected, xs);
            const plainOut = new VIEW[dtype](257);
            expect(op(xs, plainB, plainOut)).toBe(plainOut);
            checkElementwise(row, dtype, plainOut, expected, xs);
          });
        }
      });
    }
  });
}
