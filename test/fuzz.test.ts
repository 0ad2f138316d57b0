// Seeded fuzzing of the public API, sync and lanes/promises: 100k random calls
// (LANES_FUZZ=long: 1M) mixing valid and invalid arguments, special values,
// misaligned and overlapping views, freed arrays, sizes 0 to 1e6 and 1 to 4
// threads. Each call must return the reference result (past 4096 elements,
// at the indices that tell: sampledMismatch) or throw the TypeError
// or RangeError that src/errors.ts words for its first bad argument, and
// must change nothing but its out: guard margins around every operand,
// inputs, and bystander arrays are checked after every call, and the heap
// must be back to its baseline once the call's arrays are freed.
// Reproduce with LANES_FUZZ_SEED=<seed>; a failure names the call's index.
// LANES_FUZZ_CALLS=<n> sets the number of calls (CI runs fewer, with other
// seeds, on the Node versions after the first).
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { describe, expect, it } from 'vitest';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { guarded, random, sameValue, values, VIEW } from './support/data.js';
import { getRuntime } from './support/internals.js';
import { arity, expectedElementwise, operandNames, reductionOk, sampledMismatch } from './support/reference.js';

const LONG = process.env.LANES_FUZZ === 'long';
const CALLS = Number(process.env.LANES_FUZZ_CALLS ?? (LONG ? 1_000_000 : 100_000));
const SEED = Number(process.env.LANES_FUZZ_SEED ?? 20_261_121);
// A hang fails the test, slowness does not: 100k calls took 43 s alone on 2
// cores (83–120 s beside the ULP sweeps before long results were sampled),
// about 0.4 ms a call; the limit allows 3.

type Dtype = 'float32' | 'float64';
type FloatArray = lanes.FloatArray;
const ROWS = REGISTRY as readonly OpRow[];
const other = (d: Dtype): Dtype => (d === 'float32' ? 'float64' : 'float32');
const isFloat = (v: unknown): v is FloatArray => v instanceof Float32Array || v instanceof Float64Array;
const dtypeOf = (v: FloatArray): Dtype => (v instanceof Float32Array ? 'float32' : 'float64');

/** Typed arrays, lanes or not, inside a larger block whose contents are snapshotted: all of it but out must survive the call. */
interface Region {
  block: FloatArray;
  original: FloatArray;
  lanes: boolean;
}

/** One argument: its value, how lanes must describe it in a TypeError, and where it lives. */
interface Arg {
  value: unknown;
  got?: string; // describe() of the value, for "must be …, got <got>"
  freed?: boolean; // lies in released memory
  bad?: { index: number; got: string }; // a number[] with a non-number
  region?: Region;
  offset?: number; // of the view within region.block
}

const next = random(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
const chance = (p: number) => next() < p;

/** Inputs are slices of one pool of values: random magnitudes with NaN, ±Infinity, ±0 and subnormals. */
const POOL = new Float64Array(values(1_100_000, SEED));
const slice = (n: number) => {
  const at = Math.floor(next() * (POOL.length - n));
  return POOL.subarray(at, at + n);
};

/** Mostly small sizes, so that 100k calls fit the time budget; a few past the cutoffs; rarely up to 1e6. */
function size(): number {
  const p = next();
  if (p < 0.65) return Math.floor(next() * 17);
  if (p < 0.9) return 17 + Math.floor(next() * 284);
  if (p < 0.99) return 301 + Math.floor(next() * 1700);
  if (p < 0.9995) return 2001 + Math.floor(next() * 150_000);
  return chance(0.3) ? 1_000_000 : 150_000 + Math.floor(next() * 850_000);
}

/** Per call: every region made, every lanes block to free afterwards. */
let regions: Region[] = [];
let blocks: FloatArray[] = [];
/** Lanes arrays no call is given: they must never change. */
let bystanders: { array: FloatArray; original: FloatArray }[] = [];
const stats = { calls: 0, ok: 0, async: 0, unchecked: 0, overlap: 0, alias: 0, large: 0, errors: {} as Record<string, number>, threads: [0, 0, 0, 0, 0] };

/** A view of n elements inside a region with 0-5 sentinel elements each side (lanes, or foreign memory). */
function view(dtype: Dtype, n: number, inLanes = true): Arg {
  const before = Math.floor(next() * 6);
  const { block, view } = guarded(dtype, n, before, Math.floor(next() * 6), inLanes);
  view.set(slice(n));
  if (inLanes) blocks.push(block);
  const region = { block, original: block.slice(), lanes: inLanes };
  regions.push(region);
  return { value: view, region, offset: before };
}

/** A view of released memory: the freed array itself, or a subarray of it (an empty one is not refused). */
function freedView(dtype: Dtype, n: number): Arg {
  const block = lanes.empty(n + 2, dtype);
  lanes.free(block);
  if (chance(0.5)) return { value: block, freed: true };
  return { value: block.subarray(1, n + 1), freed: n > 0 };
}

const INVALID: (() => Arg)[] = [
  () => ({ value: 'abc', got: 'a string' }),
  () => ({ value: null, got: 'null' }),
  () => ({ value: undefined, got: 'undefined' }),
  () => ({ value: { length: 3 }, got: 'an object (Object)' }),
  () => ({ value: new Int32Array(3), got: 'an Int32Array' }),
  () => ({ value: new BigInt64Array(3), got: 'a BigInt64Array' }),
  () => ({ value: 7n, got: 'a bigint' }),
  () => ({ value: true, got: 'a boolean' }),
  () => ({ value: 3, got: 'the number 3' }), // valid only as a binary op's operand
];
const NOT_NUMBERS: [unknown, string][] = [['1', 'a string'], [undefined, 'undefined'], [null, 'null'], [{}, 'an object (Object)'], [1n, 'a bigint']];

/** An operand of a call of dtype d and length n: mostly valid, sometimes not. */
function operand(d: Dtype, n: number, numbers: boolean, freedLast: (() => void)[]): Arg {
  if (numbers && chance(0.12)) return { value: POOL[Math.floor(next() * 1000)] };
  const p = next();
  if (p < 0.62) return view(d, n);
  if (p < 0.73) return view(d, n, false);
  if (p < 0.81) return { value: Array.from(slice(n)) };
  if (p < 0.85) return pick(INVALID)();
  if (p < 0.88) return view(other(d), n); // mixed dtypes
  if (p < 0.91) return view(d, n === 0 || chance(0.5) ? n + 1 : n - 1); // length mismatch
  if (p < 0.94 && n > 0) {
    const list: unknown[] = Array.from(slice(n));
    const index = Math.floor(next() * n);
    const [value, got] = pick(NOT_NUMBERS);
    list[index] = value;
    return { value: list, bad: { index, got } };
  }
  if (p < 0.96) return view(d, n);
  // Freed last, after every other array of the call exists: no allocation may take the block back.
  const arg: Arg = { value: undefined };
  freedLast.push(() => Object.assign(arg, freedView(chance(0.8) ? d : other(d), n)));
  return arg;
}

/** out for a call whose operands are `args`: none, a fresh view, an input itself, an overlapping view, or something invalid. */
function output(d: Dtype, n: number, args: Arg[], freedLast: (() => void)[]): Arg | undefined {
  const p = next();
  if (p < 0.35) return chance(0.9) ? undefined : { value: null };
  if (p < 0.6) return view(d, n);
  if (p < 0.68) return view(d, n, false);
  const typed = args.filter((a) => isFloat(a.value) && a.value.length === n);
  if (p < 0.78 && typed.length > 0) return pick(typed); // out is an input, exactly
  if (p < 0.9 && n > 0) {
    // out overlaps an operand in part: both views of one region, shifted by one element.
    const i = Math.floor(next() * args.length);
    const whole = view(d, n + 1, chance(0.85));
    const region = whole.region!;
    const at = (k: number): Arg => ({ value: region.block.subarray(whole.offset! + k, whole.offset! + k + n), region, offset: whole.offset! + k });
    const shift = chance(0.5) ? 1 : 0;
    args[i] = at(shift);
    return at(1 - shift);
  }
  if (p < 0.93) return { value: Array.from(slice(n)), got: 'an Array' };
  if (p < 0.95) return pick(INVALID)();
  if (p < 0.97) return view(other(d), n);
  if (p < 0.985) return view(d, n + 1);
  const arg: Arg = { value: undefined };
  freedLast.push(() => Object.assign(arg, freedView(d, n)));
  return arg;
}

/** The error lanes must throw for these arguments, in the order src/dispatch/operands.ts checks them; undefined if none. */
function expectedError(row: OpRow, ops: Arg[], out: Arg | undefined): Error | undefined {
  const fn = `lanes.${row.name}`;
  const numbers = row.kind === 'binary' || row.kind === 'ternary';
  const names = operandNames(row);
  const must = numbers ? 'a Float32Array, Float64Array, number[] or number' : 'a Float32Array, Float64Array or number[]';
  const freed = (name: string) => new TypeError(`${fn}: '${name}' refers to memory released by lanes.free`);
  const mixed = (t: { name: string; dtype: Dtype }, name: string, dtype: Dtype) =>
    new TypeError(`${fn}: '${t.name}' is ${t.dtype} but '${name}' is ${dtype}; convert one with lanes.from(${name}, '${t.dtype}')`);
  const lengths = (s: { name: string; length: number }, name: string, length: number) =>
    new RangeError(`${fn}: '${s.name}' has length ${s.length} but '${name}' has length ${length}`);
  let typed: { name: string; dtype: Dtype } | undefined;
  let sized: { name: string; length: number } | undefined;
  for (const [i, arg] of ops.entries()) {
    const name = names[i];
    const v = arg.value;
    if (typeof v === 'number' && numbers) continue;
    if (!isFloat(v) && !Array.isArray(v)) return new TypeError(`${fn}: '${name}' must be ${must}, got ${arg.got}`);
    if (isFloat(v)) {
      if (arg.freed) return freed(name);
      if (typed && dtypeOf(v) !== typed.dtype) return mixed(typed, name, dtypeOf(v));
      typed ??= { name, dtype: dtypeOf(v) };
    }
    if (sized && v.length !== sized.length) return lengths(sized, name, v.length);
    sized ??= { name, length: v.length };
  }
  if (!sized) return new TypeError(`${fn}: at least one operand must be an array, got ${ops.length === 3 ? 'three' : 'two'} numbers`);
  if (out) {
    const o = out.value;
    if (!isFloat(o)) return new TypeError(`${fn}: 'out' must be a Float32Array or Float64Array, got ${out.got}`);
    if (out.freed) return freed('out');
    if (typed && dtypeOf(o) !== typed.dtype) return mixed(typed, 'out', dtypeOf(o));
    if (o.length !== sized.length) return lengths(sized, 'out', o.length);
  }
  // number[] elements are checked as they are copied in, a before b.
  for (const [i, arg] of ops.entries()) if (arg.bad) return new TypeError(`${fn}: '${names[i]}[${arg.bad.index}]' must be a number, got ${arg.bad.got}`);
  return undefined;
}

/** The error kinds, by message, for the coverage counts. */
const KINDS: [string, RegExp][] = [
  ['operand type', /'(a|b|lo|hi)' must be/],
  ['out type', /'out' must be/],
  ['not a number', /'(a|b|lo|hi)\[\d+\]' must be a number/],
  ['dtype mismatch', /is float\d\d but/],
  ['length mismatch', /has length/],
  ['freed', /released by lanes\.free/],
  ['two numbers', /got (two|three) numbers/],
];
const kindOf = (message: string) => KINDS.find(([, re]) => re.test(message))?.[0] ?? 'other';

/** A short account of an argument, for failure messages. */
function label(arg: Arg | undefined): string {
  if (arg === undefined) return '-';
  const v = arg.value;
  if (isFloat(v)) return `${v.constructor.name}(${v.length})${arg.region ? (arg.region.lanes ? '@lanes+' : '@foreign+') + arg.offset : ''}${arg.freed ? ' freed' : ''}`;
  if (Array.isArray(v)) return `number[${v.length}]${arg.bad ? ` bad at ${arg.bad.index}` : ''}`;
  return typeof v === 'number' ? String(v) : (arg.got ?? typeof v);
}

/** The elements of an operand as the call sees them: a number stays a number; number[] is rounded to the dtype. */
function elements(arg: Arg, dtype: Dtype): number[] | number {
  const v = arg.value;
  return typeof v === 'number' ? v : Array.from(Array.isArray(v) ? new VIEW[dtype](v as number[]) : (v as FloatArray));
}

/** Why a successful call's result is wrong, or undefined. */
function wrongResult(row: OpRow, dtype: Dtype, n: number, xs: (number[] | number)[], out: Arg | undefined, result: unknown): string | undefined {
  const [a, b] = xs;
  if (row.kind === 'sum' || row.kind === 'dot') {
    if (typeof result !== 'number') return `returned ${typeof result}`;
    const ok = reductionOk(row.kind, dtype, result, a as number[], (b ?? a) as number[]);
    if (ok === undefined) stats.unchecked++;
    return ok === false ? `${row.name} = ${result}, outside the bound` : undefined;
  }
  if (out ? result !== out.value : !(result instanceof VIEW[dtype]) || (result as FloatArray).length !== n) return `returned ${label({ value: result })}`;
  const i = sampledMismatch(row, dtype, result as FloatArray, xs);
  if (i < 0) return undefined;
  const expected = expectedElementwise(row, dtype, ...xs);
  return `element ${i}: got ${(result as FloatArray)[i]}, expected ${expected[i]} (x = ${typeof a === 'number' ? a : a[i]})`;
}

/** Why the memory around the call is wrong, or undefined: every region unchanged outside out, bystanders unchanged. */
function wrongMemory(out: Arg | undefined, wrote: boolean, n: number): string | undefined {
  for (const region of regions) {
    const from = wrote && out?.region === region ? out.offset! : -1;
    for (let i = 0; i < region.block.length; i++) {
      if (i === from) i += n;
      if (i < region.block.length && !sameValue(region.block[i], region.original[i])) {
        return `${region.lanes ? 'lanes' : 'foreign'} block of ${region.block.length}: element ${i} changed from ${region.original[i]} to ${region.block[i]}`;
      }
    }
  }
  for (const [i, b] of bystanders.entries()) if (b.array.some((x, k) => !sameValue(x, b.original[k]))) return `bystander ${i} changed`;
  return undefined;
}

/** Makes and runs call number `index`; returns why it went wrong, or undefined. */
async function fuzzOne(index: number, threads: number): Promise<string | undefined> {
  const row = pick(ROWS);
  const api = chance(0.3) ? 'async' : 'sync';
  let dtype: Dtype = chance(0.5) ? 'float32' : 'float64';
  const n = size();
  const freedLast: (() => void)[] = [];
  const ops = Array.from({ length: arity(row) }, () => operand(dtype, n, row.kind === 'binary' || row.kind === 'ternary', freedLast));
  const hasOut = row.kind !== 'sum' && row.kind !== 'dot';
  let out = hasOut ? output(dtype, n, ops, freedLast) : undefined;
  for (const make of freedLast) make();

  const args: unknown[] = ops.map((a) => a.value);
  if (hasOut) args.push(out?.value);
  if (api === 'async' && chance(0.1)) args.push({ signal: new AbortController().signal });
  // null means no out; so does an options-like object in out's place, for the promise API.
  const v = out?.value;
  if (v === null || v === undefined || (api === 'async' && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v))) out = undefined;
  const error = expectedError(row, ops, out);
  // The dtype of a valid call: its typed operands', else out's, else float64.
  const typed = [...ops, ...(out ? [out] : [])].find((a) => isFloat(a.value));
  dtype = typed ? dtypeOf(typed.value as FloatArray) : 'float64';
  const xs = error ? [] : ops.map((a) => elements(a, dtype));
  // Its length: a lone array of the "wrong" length is no mismatch.
  const length = (ops.find((a) => typeof a.value !== 'number')?.value as ArrayLike<number> | undefined)?.length ?? n;

  const fn = (api === 'sync' ? lanes : lanesAsync)[row.name] as (...args: unknown[]) => unknown;
  let result: unknown;
  let thrown: unknown;
  try {
    result = await fn(...args);
  } catch (e) {
    thrown = e;
  }

  const what = `call #${index} (seed ${SEED}, ${threads} threads): ${api} ${row.name}(${ops.map(label).join(', ')}${hasOut ? `, out ${label(out)}` : ''})`;
  stats.calls++;
  if (api === 'async') stats.async++;
  let problem: string | undefined;
  if (error) {
    const e = thrown as Error;
    if (e === undefined) problem = `returned instead of throwing ${error.constructor.name}: ${error.message}`;
    else if (e.constructor !== error.constructor || e.message !== error.message) problem = `threw ${e.constructor.name}: ${e.message}; expected ${error.constructor.name}: ${error.message}`;
    const kind = kindOf(error.message);
    stats.errors[kind] = (stats.errors[kind] ?? 0) + 1;
  } else if (thrown) {
    problem = `threw ${(thrown as Error).constructor.name}: ${(thrown as Error).message}`;
  } else {
    problem = wrongResult(row, dtype, length, xs, out, result);
    stats.ok++;
    if (out && ops.some((a) => a.value === out!.value)) stats.alias++;
    if (out?.region && ops.some((a) => a.region === out!.region && a.value !== out!.value)) stats.overlap++;
    if (length >= 150_000) stats.large++;
  }
  problem ??= wrongMemory(out, !error && !thrown, length);
  // Release the call's arrays; then the heap must be as before the call.
  if (!error && !thrown && !out && isFloat(result)) lanes.free(result);
  for (const block of blocks) lanes.free(block);
  regions = [];
  blocks = [];
  return problem && `${what}: ${problem}`;
}

describe('fuzz', () => {
  it(`${CALLS} random calls, valid and invalid, sync and async, 1 to 4 threads`, { timeout: Math.max(120_000, CALLS * 3) }, async () => {
    const rt = getRuntime();
    bystanders = [1, 17, 100, 1000].map((n) => {
      const array = lanes.from(slice(n), chance(0.5) ? 'float32' : 'float64');
      return { array, original: array.slice() };
    });
    const baseline = rt.allocator.inUse;
    let threads = 1;
    for (let i = 0; i < CALLS; i++) {
      if (i % 1000 === 0) lanes.configure({ threads: (threads = 1 + Math.floor(next() * 4)) });
      stats.threads[threads]++;
      const problem = await fuzzOne(i, threads);
      if (problem) expect.fail(problem);
      if (rt.allocator.inUse !== baseline) expect.fail(`call #${i} (seed ${SEED}): ${rt.allocator.inUse - baseline} bytes left allocated`);
    }
    console.log(`fuzz (seed ${SEED}): ${JSON.stringify(stats)}`);
    expect(stats.calls).toBe(CALLS);
    // The mix covered what it is meant to: results of every kind, and every error.
    expect(stats.ok).toBeGreaterThan(CALLS / 2);
    for (const [kind] of KINDS) expect(stats.errors[kind] ?? 0, kind).toBeGreaterThan(CALLS / 1000);
    expect(stats.errors.other).toBeUndefined();
    expect(Math.min(stats.overlap, stats.alias, stats.async)).toBeGreaterThan(CALLS / 100);
    expect(stats.large).toBeGreaterThan(0);
    expect(stats.threads.slice(1).every((count) => count > 0)).toBe(true);
  });
});
