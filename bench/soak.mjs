// npm run soak [-- --seconds N] [--seed S]: random lanes calls for a few
// minutes (180 s by default), every result checked against a small reference.
// Calls mix ops, dtypes, sizes up to 1e6, thread counts 1-4, the sync API,
// single promise calls and batches of concurrent ones; some are deliberately
// invalid (exactly one bad argument each) and must throw the matching
// TypeError or RangeError. Every lanes operand sits between sentinel margins,
// and bystander arrays are never passed; both are checked after each call.
// Prints progress, then the number of calls, errors by kind, and anomalies
// (wrong results, unexpected errors, guard corruption, leaks). Exits 1 on
// any anomaly.
//
// Plain JavaScript on purpose (it cannot import test/support/*.ts): the
// reference is kept small and deliberately independent of lanes.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { getRuntime } from '../dist/dispatch/runtime.js';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const SECONDS = flag('seconds', 180);
const SEED = flag('seed', Date.now() % 2 ** 31);
if (!(SECONDS > 0) || !Number.isInteger(SEED)) {
  console.error('usage: node bench/soak.mjs [--seconds N] [--seed S]');
  process.exit(2);
}

// mulberry32, as in the tests.
let state = SEED >>> 0;
function next() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(next() * xs.length)];
const chance = (p) => next() < p;

// ---- Reference ------------------------------------------------------------

const OPS = {
  add: { kind: 'binary', f: (x, y) => x + y },
  sub: { kind: 'binary', f: (x, y) => x - y },
  mul: { kind: 'binary', f: (x, y) => x * y },
  div: { kind: 'binary', f: (x, y) => x / y },
  min: { kind: 'binary', f: Math.min },
  max: { kind: 'binary', f: Math.max },
  neg: { kind: 'unary', f: (x) => -x },
  abs: { kind: 'unary', f: Math.abs },
  sqrt: { kind: 'unary', f: Math.sqrt },
  exp: { kind: 'unary', f: Math.exp, approx: true },
  sum: { kind: 'sum' },
  dot: { kind: 'dot' },
};
const NAMES = Object.keys(OPS);
const VIEW = { float32: Float32Array, float64: Float64Array };
const round = (dtype) => (dtype === 'float32' ? Math.fround : (x) => x);
const same = (a, b) => (Number.isNaN(a) ? Number.isNaN(b) : Object.is(a, b));

/** Whether y is exp(x) to within 1 ULP of the dtype (Math.exp, itself within 1 f64 ULP, stands in for the exact value). */
function expOk(dtype, x, y) {
  const e = Math.exp(x);
  if (Number.isNaN(x)) return Number.isNaN(y);
  if (dtype === 'float32') {
    if (e >= 2 ** 128 * (1 - 2 ** -25)) return y === Infinity;
    const exponent = e === 0 ? -149 : Math.max(Math.floor(Math.log2(e)), -126);
    return Math.abs(y - e) < 2 ** (exponent - 23);
  }
  if (!Number.isFinite(e) || !Number.isFinite(y)) return e === y || Math.abs(x) > 709.7; // at the overflow edge either may round to Infinity
  return Math.abs(y - e) <= 2 * 2 ** -52 * e + 2 * 2 ** -1074;
}

/** Whether a sum or dot is right; undefined where the order of additions decides (possible overflow). */
function reductionOk(kind, dtype, actual, a, b) {
  let s = 0, c = 0, magnitude = 0, inf = 0;
  for (let i = 0; i < a.length; i++) {
    const t = kind === 'sum' ? a[i] : a[i] * b[i];
    if (Number.isNaN(t)) return Number.isNaN(actual);
    if (Math.abs(t) === Infinity) {
      inf |= t > 0 ? 1 : 2;
      continue;
    }
    magnitude += Math.abs(t);
    const u = s + t; // Neumaier
    c += Math.abs(s) >= Math.abs(t) ? s - u + t : t - u + s;
    s = u;
  }
  if (inf === 3) return Number.isNaN(actual);
  if (magnitude >= 2 ** 1000) return undefined;
  if (inf) return actual === (inf === 1 ? Infinity : -Infinity);
  const exact = s + c;
  // The README bound is 167 roundings of 2^-53·Σ|t|; f64 products round once more here.
  return Math.abs(actual - exact) <= 400 * 2 ** -53 * magnitude + 2 ** -52 * Math.abs(exact) + a.length * 2 ** -1073;
}

// ---- Arguments ------------------------------------------------------------

/** Values: random magnitudes, with NaN, ±Infinity, ±0, subnormals and extremes spread through. */
const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 2 ** -1074, -(2 ** -1074), 1e-40, 2 ** -149, 3.4e38, -3.4e38, 1e308, 1, -1];
const POOL = new Float64Array(1_100_000).map(() => {
  const p = next();
  if (p < 0.05) return pick(SPECIALS);
  if (p < 0.55) return (next() - 0.5) * 20;
  return (next() < 0.5 ? -1 : 1) * 2 ** (next() * 80 - 40);
});
const slice = (n) => {
  const at = Math.floor(next() * (POOL.length - n));
  return POOL.subarray(at, at + n);
};

function size() {
  const p = next();
  if (p < 0.7) return Math.floor(next() * 65);
  if (p < 0.9) return Math.floor(next() * 5000);
  if (p < 0.99) return Math.floor(next() * 100_000);
  return Math.floor(next() * 1_000_001);
}

const SENTINEL = -123.5;
const MARGIN = 4;
/** Per batch: the lanes blocks made for operands, checked and freed once the calls settle. */
let blocks = [];

/** A lanes view of n elements between sentinel margins, at an odd offset half the time. */
function guarded(dtype, n) {
  const before = MARGIN + (chance(0.5) ? 1 : 0);
  const block = lanes.empty(before + n + MARGIN, dtype).fill(SENTINEL);
  const view = block.subarray(before, before + n);
  view.set(slice(n));
  blocks.push({ block, before, n });
  return view;
}

/** An operand of dtype d, length n, valid in one of several forms. */
function operand(dtype, n, numbers) {
  const p = next();
  if (numbers && p < 0.15) return POOL[Math.floor(next() * 1000)];
  if (p < 0.75) return guarded(dtype, n);
  if (p < 0.9) return new VIEW[dtype](slice(n));
  return Array.from(slice(n), round(dtype));
}

/** Puts a bad array where the first operand's dtype and length are compared with it: b, else out; false if neither. */
function second(c, bad) {
  if (c.arity === 2 || c.hasOut) c.args[1] = bad;
  else return false;
}

/** Ways to make a call invalid, each with the error class and message it must give. */
const INVALID = [
  ['operand type', TypeError, /^lanes\.\w+: 'a' must be a Float32Array, Float64Array(, number\[\] or number| or number\[\]), got /, (c) => (c.args[0] = pick(['x', null, undefined, {}, new Int32Array(3), new BigInt64Array(3)]))],
  ['out type', TypeError, /^lanes\.\w+: 'out' must be a Float32Array or Float64Array, got /, (c) => c.hasOut && (c.args[c.arity] = pick(['x', [1, 2], new Int32Array(c.n), 5]))],
  ['dtype mismatch', TypeError, /^lanes\.\w+: '\w+' is float\d\d but '\w+' is float\d\d; convert one with lanes\.from\(/, (c) => second(c, guarded(c.dtype === 'float32' ? 'float64' : 'float32', c.n))],
  ['length mismatch', RangeError, /^lanes\.\w+: '\w+' has length \d+ but '\w+' has length \d+$/, (c) => second(c, guarded(c.dtype, c.n + 1))],
  ['freed', TypeError, /^lanes\.\w+: '\w+' refers to memory released by lanes\.free$/, (c, batched) => {
    const dead = lanes.empty(c.n + 2, c.dtype);
    lanes.free(dead);
    // A subarray of released memory is refused only while no new block covers it (and if not empty):
    // in a batch, later calls allocate before this one runs.
    c.args[0] = batched || c.n === 0 || chance(0.5) ? dead : dead.subarray(1, c.n + 1);
  }],
  ['not a number', TypeError, /^lanes\.\w+: '\w+\[\d+\]' must be a number, got /, (c) => c.n > 0 && (c.args[0] = Object.assign(Array.from(slice(c.n)), { [Math.floor(next() * c.n)]: 'x' }))],
];

/** A random call: { name, dtype, n, args, invalid? }; the dtype of every typed operand is dtype. */
function randomCall(batched = false) {
  const name = pick(NAMES);
  const { kind } = OPS[name];
  const dtype = chance(0.5) ? 'float32' : 'float64';
  const n = size();
  const arity = kind === 'binary' || kind === 'dot' ? 2 : 1;
  const hasOut = kind === 'unary' || kind === 'binary';
  const call = { name, kind, dtype, n, arity, hasOut, args: [] };
  // The first operand is typed, so that it fixes the call's dtype.
  call.args.push(chance(0.8) ? guarded(dtype, n) : new VIEW[dtype](slice(n)));
  for (let i = 1; i < arity; i++) call.args.push(operand(dtype, n, kind === 'binary'));
  if (hasOut) {
    const p = next();
    if (p < 0.4) call.args.push(guarded(dtype, n));
    else if (p < 0.5 && typeof call.args[0] !== 'number') call.args.push(call.args[0]); // in place
    else if (p < 0.6 && n > 0 && kind === 'unary') {
      const both = guarded(dtype, n + 1); // out overlaps a by one element
      call.args[0] = both.subarray(0, n);
      call.args.push(both.subarray(1));
    } else call.args.push(undefined);
  }
  if (chance(0.1)) {
    const [kindName, type, message, make] = pick(INVALID);
    if (make(call, batched) !== false) call.invalid = { kind: kindName, type, message };
  }
  return call;
}

// ---- Running and checking -------------------------------------------------

const counts = { calls: 0, sync: 0, promise: 0, batched: 0, ok: 0, unchecked: 0, threads: {} };
const errors = {}; // expected errors, by class and kind
const anomalies = {}; // by kind, with the first example of each
function anomaly(kind, detail) {
  anomalies[kind] ??= { count: 0, first: detail };
  anomalies[kind].count++;
}

/** The elements an operand contributes: rounded to the dtype, as lanes copies them in. */
const elements = (v, dtype) => (typeof v === 'number' ? round(dtype)(v) : Array.from(v, round(dtype)));

/** Snapshots the operands (before an in-place call overwrites them), for the check after it. */
function prepare(call) {
  call.inputs = call.args.slice(0, call.arity).map((v) => (v === undefined || v === null || typeof v === 'string' ? v : elements(v, call.dtype)));
}

function check(call, outcome) {
  const what = `${call.name} ${call.dtype} n=${call.n}`;
  if (call.invalid) {
    const { kind, type, message } = call.invalid;
    if (!('error' in outcome)) return anomaly('invalid call returned', `${what}: ${kind}`);
    const e = outcome.error;
    if (e.constructor !== type || !message.test(e.message)) return anomaly('wrong error', `${what}: expected ${type.name} ${kind}, got ${e.constructor.name}: ${e.message}`);
    const key = `${type.name}: ${kind}`;
    errors[key] = (errors[key] ?? 0) + 1;
    return;
  }
  if ('error' in outcome) return anomaly('unexpected error', `${what}: ${outcome.error.constructor.name}: ${outcome.error.message}`);
  const { value } = outcome;
  const [a, b] = call.inputs;
  if (call.kind === 'sum' || call.kind === 'dot') {
    const ok = reductionOk(call.kind, call.dtype, value, a, b ?? a);
    if (ok === undefined) counts.unchecked++;
    else if (!ok) anomaly('wrong result', `${what}: ${value}`);
    else counts.ok++;
    return;
  }
  const out = call.args[call.arity];
  if (out !== undefined && value !== out) return anomaly('wrong result', `${what}: did not return out`);
  if (!(value instanceof VIEW[call.dtype]) || value.length !== call.n) return anomaly('wrong result', `${what}: returned ${value?.constructor?.name}`);
  const { f, approx } = OPS[call.name];
  const r = round(call.dtype);
  const at = (v, i) => (v === undefined || typeof v === 'number' ? v : v[i]);
  for (let i = 0; i < call.n; i++) {
    const good = approx ? expOk(call.dtype, a[i], value[i]) : same(value[i], r(f(a[i], at(b, i))));
    if (!good) return anomaly('wrong result', `${what}: element ${i} = ${value[i]} for ${a[i]}${b === undefined ? '' : `, ${at(b, i)}`}`);
  }
  counts.ok++;
  if (out === undefined) lanes.free(value);
}

async function run(call, api) {
  if (!call.invalid) prepare(call);
  const fn = (api === 'sync' ? lanes : lanesAsync)[call.name];
  try {
    return { value: await fn(...call.args) };
  } catch (error) {
    return { error };
  }
}

/** Margins and bystanders intact; then the call's blocks are freed. */
function checkMemory() {
  for (const { block, before, n } of blocks) {
    for (let i = 0; i < block.length; i++) {
      if ((i < before || i >= before + n) && block[i] !== SENTINEL) {
        anomaly('guard corrupted', `block of ${block.length}: element ${i} = ${block[i]}`);
        break;
      }
    }
    lanes.free(block);
  }
  blocks = [];
  for (const { array, original } of bystanders) {
    if (array.some((x, i) => !same(x, original[i]))) anomaly('bystander changed', `bystander of ${array.length}`);
  }
}

// ---- Main -----------------------------------------------------------------

const rt = getRuntime();
const bystanders = [3, 100, 4096].map((n) => {
  const array = lanes.from(slice(n), chance(0.5) ? 'float32' : 'float64');
  return { array, original: array.slice() };
});
const baseline = rt.allocator.inUse;
const start = performance.now();
const until = start + SECONDS * 1000;
let lastReport = start;
let threads = 1;
let rounds = 0;
console.log(`soak: ${SECONDS} s, seed ${SEED}`);

while (performance.now() < until) {
  if (rounds++ % 300 === 0) lanes.configure({ threads: (threads = 1 + Math.floor(next() * 4)) });
  const p = next();
  let batch;
  if (p < 0.6) {
    const call = randomCall();
    batch = [[call, await run(call, 'sync')]];
    counts.sync++;
  } else if (p < 0.9) {
    const call = randomCall();
    batch = [[call, await run(call, 'promise')]];
    counts.promise++;
  } else {
    // Several promise calls in flight at once, queued on the pool.
    const calls = Array.from({ length: 2 + Math.floor(next() * 15) }, () => randomCall(true));
    const outcomes = await Promise.all(calls.map((c) => run(c, 'promise')));
    batch = calls.map((c, i) => [c, outcomes[i]]);
    counts.promise += calls.length;
    counts.batched += calls.length;
  }
  for (const [call, outcome] of batch) check(call, outcome);
  counts.calls += batch.length;
  counts.threads[threads] = (counts.threads[threads] ?? 0) + batch.length;
  checkMemory();
  if (rt.allocator.inUse !== baseline) {
    anomaly('memory not returned', `${rt.allocator.inUse - baseline} bytes after call ${counts.calls}`);
    break; // everything after would repeat it
  }
  const now = performance.now();
  if (now - lastReport >= 10_000) {
    lastReport = now;
    const bad = Object.values(anomalies).reduce((s, a) => s + a.count, 0);
    console.log(`  ${((now - start) / 1000).toFixed(0)} s: ${counts.calls} calls, ${bad} anomalies`);
  }
}

const total = Object.values(anomalies).reduce((s, a) => s + a.count, 0);
console.log(`\ncalls: ${counts.calls} in ${((performance.now() - start) / 1000).toFixed(1)} s (sync ${counts.sync}, promise ${counts.promise}, of which ${counts.batched} in concurrent batches)`);
console.log(`  checked results: ${counts.ok}; reductions left unchecked (possible overflow): ${counts.unchecked}`);
console.log(`  by thread count: ${Object.entries(counts.threads).map(([t, c]) => `${t}: ${c}`).join(', ')}`);
console.log(`errors (expected, from deliberately invalid calls): ${Object.values(errors).reduce((s, c) => s + c, 0)}`);
for (const [kind, count] of Object.entries(errors).sort()) console.log(`  ${kind}: ${count}`);
console.log(`anomalies: ${total}`);
for (const [kind, { count, first }] of Object.entries(anomalies)) console.log(`  ${kind}: ${count} (first: ${first})`);
process.exitCode = total > 0 ? 1 : 0;
