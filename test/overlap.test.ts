// `out` that overlaps an input only in part: the result is as if computed
// into a temporary first (README), for every elementwise op and dtype, with
// out ahead of or behind the input by 1 or 3 elements, and with a number
// operand. Kernels stream forward in vectors and chunks run in any order, so
// writing straight into out would clobber inputs not yet read. The reference
// is computed from copies of the inputs taken before the call.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { firstDifference, guarded, sameValue, values, VIEW } from './support/data.js';
import { getRuntime } from './support/internals.js';
import { arity, elementwiseMismatch, expectedElementwise } from './support/reference.js';

type Dtype = 'float32' | 'float64';
const ROWS = (REGISTRY as readonly OpRow[]).filter((row) => row.kind === 'unary' || row.kind === 'binary' || row.kind === 'ternary' || row.kind === 'scan');
const SHIFTS = [-3, -1, 1, 3]; // out's start minus the overlapping input's start, in elements
/** Inline on the caller, and just past the op's cutoff, where it runs on the pool in several chunks. */
const sizes = (row: OpRow, dtype: Dtype) => [1031, row.cutoff[dtype] + 17];

type Fn = (...args: unknown[]) => lanes.FloatArray | Promise<lanes.FloatArray>;

beforeAll(async () => {
  lanes.configure({ threads: 2 });
  await getRuntime().pool.ready();
});

/**
 * One lanes region holding out and the inputs that overlap it: out sits
 * |shift| elements in, `behind` starts at 0 (out is ahead of it by |shift|),
 * `ahead` starts at 2|shift| (out is behind it). Guard margins surround it.
 */
function region(dtype: Dtype, n: number, shift: number, data: number[]) {
  const s = Math.abs(shift);
  const g = guarded(dtype, n + 2 * s, 5, 5);
  g.view.set(data.slice(0, n + 2 * s));
  const at = (start: number) => g.view.subarray(start, start + n);
  return { ...g, out: at(s), behind: at(0), ahead: at(2 * s), original: Array.from(g.view), s };
}

/** The cases for a row: which operands overlap out, given shift (> 0: out is ahead of the input). */
function cases(row: OpRow, shift: number) {
  const input = shift > 0 ? 'behind' : 'ahead';
  const other = shift > 0 ? 'ahead' : 'behind';
  if (row.kind === 'unary' || row.kind === 'scan') return [{ name: 'a overlaps out', a: input, b: undefined, c: undefined }];
  if (row.kind === 'ternary') {
    return [
      { name: 'a overlaps out', a: input, b: 'separate', c: 'separate' },
      { name: 'c overlaps out', a: 'separate', b: 'separate', c: input },
      { name: 'a and c overlap out from either side', a: input, b: 'separate', c: other },
      { name: 'a overlaps out, b and c are numbers', a: input, b: -0.5, c: 2.5 },
      { name: 'b overlaps out, c is a number', a: 'separate', b: input, c: 2.5 },
    ] as const;
  }
  return [
    { name: 'a overlaps out', a: input, b: 'separate', c: undefined },
    { name: 'b overlaps out', a: 'separate', b: input, c: undefined },
    { name: 'a and b overlap out from either side', a: input, b: other, c: undefined },
    { name: 'a overlaps out, b is a number', a: input, b: 2.5, c: undefined },
  ] as const;
}

/** Input data, made once per size and dtype: shared read-only by every case. */
function inputs(dtype: Dtype, n: number) {
  return { data: values(n + 6, n), separate: Array.from(new VIEW[dtype](values(n, n + 1))) };
}

async function check(row: OpRow, dtype: Dtype, n: number, shift: number, api: 'sync' | 'async', data: ReturnType<typeof inputs>) {
  for (const c of cases(row, shift)) {
    const r = region(dtype, n, shift, data.data);
    const separate = lanes.from(data.separate, dtype);
    const operand = (which: unknown) =>
      which === 'behind' ? r.behind : which === 'ahead' ? r.ahead : which === 'separate' ? separate : which;
    const a = operand(c.a) as lanes.FloatArray;
    const b = operand(c.b) as lanes.FloatArray | number | undefined;
    const third = operand(c.c) as lanes.FloatArray | number | undefined;
    // The reference reads copies, taken before the call writes anything.
    const xs = Array.from(a);
    const copy = (v: lanes.FloatArray | number | undefined) => (typeof v === 'number' || v === undefined ? v : Array.from(v));
    const ys = copy(b);
    const expected = expectedElementwise(row, dtype, xs, ys, copy(third));

    const fn = (api === 'sync' ? lanes : lanesAsync)[row.name as 'add'] as Fn;
    const result = await fn(...[a, b, third].slice(0, arity(row)), r.out);
    const label = `${row.name} ${dtype} n=${n} shift=${shift} ${api}: ${c.name}`;
    expect(result, label).toBe(r.out);
    const i = elementwiseMismatch(row, dtype, r.out, expected, xs, ys);
    expect(i, `${label}: at ${i} got ${r.out[i]}, expected ${expected[i]}`).toBe(-1);
    // Nothing outside out changed: guards, and the inputs' parts that out does not cover.
    expect(r.intact(), label).toBe(true);
    const outside = [...Array(r.s).keys(), ...Array.from({ length: r.s }, (_, j) => n + r.s + j)];
    expect(outside.filter((k) => !sameValue(r.view[k], r.original[k])), `${label}: changed outside out`).toEqual([]);
    expect(firstDifference(separate, data.separate), label).toBe(-1);
    lanes.free(r.block);
    lanes.free(separate);
  }
}

for (const row of ROWS) {
  describe(row.name, () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const n of sizes(row, dtype)) {
        it(`${dtype}, n = ${n}: out shifted by ${SHIFTS.join(', ')} from its inputs`, async () => {
          const data = inputs(dtype, n);
          for (const shift of SHIFTS) await check(row, dtype, n, shift, 'sync', data);
          // The promise API takes the same path; once per size is enough.
          await check(row, dtype, n, SHIFTS[0], 'async', data);
        });
      }
    }
  });
}
