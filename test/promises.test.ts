// lanes/promises under concurrency: a thousand mixed calls in flight at once
// are queued and all complete correctly, also with blocking calls mixed in.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { firstDifference, random, values, VIEW } from './support/data.js';
import { getRuntime } from './support/internals.js';
import { arity, expectedElementwise, reductionBound, referenceDot, referenceSum, scanMismatch } from './support/reference.js';

beforeAll(async () => {
  lanes.configure({ threads: 2 });
  await getRuntime().pool.ready();
});

const ROWS = (REGISTRY as readonly OpRow[]).filter((row) => row.exact || row.kind === 'sum' || row.kind === 'dot' || row.kind === 'scan');
const SIZES = [0, 1, 17, 1000, 40_000, 300_000];

/** Inputs per (dtype, size), shared read-only by the calls, with expected results cached. */
const inputs = new Map<string, { xs: number[]; ys: number[]; a: lanes.FloatArray; b: lanes.FloatArray }>();
const expectations = new Map<string, (value: unknown) => boolean>();

function operands(dtype: 'float32' | 'float64', n: number) {
  const key = `${dtype} ${n}`;
  if (!inputs.has(key)) {
    const finite = (seed: number) => Array.from(new VIEW[dtype](values(n, seed).map((x) => (Math.abs(x) < 1e30 ? x : 3))));
    const xs = finite(n + 1), ys = finite(n + 2);
    inputs.set(key, { xs, ys, a: lanes.from(xs, dtype), b: lanes.from(ys, dtype) });
  }
  return inputs.get(key)!;
}

function expectation(row: OpRow, dtype: 'float32' | 'float64', n: number) {
  const key = `${row.name} ${dtype} ${n}`;
  if (!expectations.has(key)) {
    const { xs, ys } = operands(dtype, n);
    if (row.kind === 'sum' || row.kind === 'dot') {
      const exact = row.kind === 'sum' ? referenceSum(xs) : referenceDot(xs, ys);
      const bound = reductionBound(row.kind, dtype, row.kind === 'sum' ? xs : xs.map((x, i) => x * ys[i]));
      expectations.set(key, (value) => Math.abs((value as number) - exact) <= bound);
    } else if (row.kind === 'scan') {
      expectations.set(key, (value) => scanMismatch(dtype, value as ArrayLike<number>, xs) === -1);
    } else {
      const expected = expectedElementwise(row, dtype, ...[xs, ys, ys].slice(0, arity(row)));
      expectations.set(key, (value) => firstDifference(value as ArrayLike<number>, expected) === -1);
    }
  }
  return expectations.get(key)!;
}

/** One random call: its promise, and a check of its result. */
function randomCall(next: () => number, blocking: boolean) {
  const row = ROWS[Math.floor(next() * ROWS.length)];
  const dtype = next() < 0.5 ? 'float32' : 'float64';
  const n = SIZES[Math.floor(next() * SIZES.length)];
  const { a, b } = operands(dtype, n);
  const api = (blocking ? lanes : lanesAsync) as unknown as Record<string, (...args: unknown[]) => unknown>;
  const args = [a, b, b].slice(0, arity(row));
  const result = Promise.resolve(api[row.name](...args));
  return { name: `${row.name} ${dtype} n=${n}`, result, check: expectation(row, dtype, n) };
}

describe('many calls at once', () => {
  it('1000 concurrent mixed promise calls all complete correctly', async () => {
    const next = random(2024);
    const calls = Array.from({ length: 1000 }, () => randomCall(next, false));
    const results = await Promise.all(calls.map((c) => c.result));
    const wrong = calls.filter((c, i) => !c.check(results[i])).map((c) => c.name);
    expect(wrong).toEqual([]);
  });

  it('blocking calls in between promise calls in flight', async () => {
    const next = random(7);
    const calls = [];
    for (let i = 0; i < 300; i++) {
      calls.push(randomCall(next, false));
      if (i % 10 === 0) calls.push(randomCall(next, true));
      if (i % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    const results = await Promise.all(calls.map((c) => c.result));
    const wrong = calls.filter((c, i) => !c.check(results[i])).map((c) => c.name);
    expect(wrong).toEqual([]);
  });

  it('the promise functions take out, or options in its place', async () => {
    const a = lanes.from([1, 2, 3], 'float32');
    const out = lanes.empty(3, 'float32');
    expect(await lanesAsync.add(a, 1, out)).toBe(out);
    expect(Array.from(out)).toEqual([2, 3, 4]);
    expect(Array.from(await lanesAsync.add(a, 1, { signal: new AbortController().signal }))).toEqual([2, 3, 4]);
    expect(Array.from(await lanesAsync.neg(a, null, {}))).toEqual([-1, -2, -3]);
    expect(await lanesAsync.dot(a, a, {})).toBe(14);
    // Validation errors reject, they do not throw.
    const pending = lanesAsync.add(a, 'x' as never);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toThrow(TypeError);
  });
});
