// What each op should return, computed independently of lanes: the row's
// plain-JS expression in f64, rounded to the dtype. For + − × ÷, min, max,
// neg, abs and sqrt that is the exact IEEE result (f64 has more than twice
// f32's precision, so rounding twice never differs from rounding once).
import type { Dtype } from 'lanes';
import type { OpRow } from '../../src/ops/registry.js';
import { firstDifference } from './data.js';
import { add, type DD, exp2Reference, expm1Reference, expReference, coshReference, sigmoidReference, sinhReference, tanhReference, twoProd, twoSum, type Scaled } from './exp-reference.js';
import { INVERSE_REFERENCES, sqrtDD } from './inverse-reference.js';
import { type Exact, LOG_REFERENCES } from './log-reference.js';
import { powReference } from './pow-reference.js';
import { ARC_REFERENCES, atan2Reference } from './arc-reference.js';
import { TRIG_REFERENCES } from './trig-reference.js';
import { ERF_REFERENCES, erfcEstimate, erfEstimate } from './erf-reference.js';

export const round = (dtype: Dtype) => (dtype === 'float32' ? Math.fround : (x: number) => x);

type ElementFunction = (x: number, y: number, z: number, s: number) => number;
const elementFunctions = new Map<string, ElementFunction>();

/** The row's element function: f(x, y, z) in f64 (compiled once per row: fuzzing calls this 100k times). */
export function elementFunction(row: OpRow): ElementFunction {
  let f = elementFunctions.get(row.js);
  if (!f) elementFunctions.set(row.js, (f = new Function('x', 'y', 'z', 's', `return ${row.js};`) as ElementFunction));
  return f;
}

/** A row's operands, as its error messages name them. */
export function operandNames(row: OpRow): readonly string[] {
  return row.operands ?? { unary: ['a'], binary: ['a', 'b'], ternary: ['a', 'b', 'c'], sum: ['a'], dot: ['a', 'b'], scan: ['a'] }[row.kind];
}

/** How many operands a row takes. */
export function arity(row: OpRow): number {
  return operandNames(row).length;
}

/** Expected elementwise result; a number operand is rounded to the dtype first, as lanes does. */
export function expectedElementwise(row: OpRow, dtype: Dtype, ...operands: (ArrayLike<number> | number | undefined)[]): number[] {
  const f = elementFunction(row);
  const r = round(dtype);
  const at = (v: ArrayLike<number> | number | undefined, i: number) => (typeof v === 'number' ? r(v) : v === undefined ? 0 : v[i]);
  const n = (operands.find((v) => typeof v === 'object') as ArrayLike<number>).length;
  const [a, b, c] = operands;
  if (row.kind === 'scan') {
    // A plain loop's running sum in f64 (lanes' is within the same bound: scanMismatch).
    let s = -0;
    return Array.from({ length: n }, (_, i) => r((s = f(at(a, i), 0, 0, s))));
  }
  return Array.from({ length: n }, (_, i) => r(f(at(a, i), at(b, i), at(c, i), 0)));
}

/**
 * The first index where a cumsum result is wrong, or -1: NaN from a NaN or
 * opposite infinities so far, ±∞ from one infinity, otherwise within the
 * README's bound of the exact running sum Sᵢ (kept as a double-double),
 * up to where Σ|aⱼ| reaches 2^1000 (from there on, finite sums may overflow):
 *   |outᵢ − Sᵢ| ≤ γᵢ·Σⱼ≤ᵢ|aⱼ|,  γᵢ = i·2^-53/(1 − i·2^-53)
 * and, for float32, the one rounding to float32: half an ULP of outᵢ.
 */
export function scanMismatch(dtype: Dtype, actual: ArrayLike<number>, xs: ArrayLike<number>): number {
  let hi = 0, lo = 0, magnitude = 0, infinities = 0, nan = false;
  for (let i = 0; i < actual.length; i++) {
    const x = xs[i];
    if (x !== x) nan = true;
    else if (Math.abs(x) === Infinity) infinities |= x > 0 ? 1 : 2;
    else {
      const [sum, error] = twoSum(hi, x);
      [hi, lo] = twoSum(sum, lo + error);
      magnitude += Math.abs(x);
    }
    // Past 2^1000, finite partial sums may overflow, to either infinity: the order of additions decides.
    if (magnitude >= 2 ** 1000) return -1;
    const y = actual[i];
    if (nan || infinities === 3) {
      if (y === y) return i;
      continue;
    }
    if (infinities) {
      if (y !== (infinities === 1 ? Infinity : -Infinity)) return i;
      continue;
    }
    const gamma = (i * 2 ** -53) / (1 - i * 2 ** -53);
    const half = dtype === 'float32' ? 2 ** -24 * Math.abs(y) + 2 ** -150 : 0;
    if (!(Math.abs(y - hi - lo) <= gamma * magnitude * (1 + 2 ** -30) + half)) return i;
  }
  return -1;
}

/**
 * Σ terms exactly rounded, via Neumaier summation in f64 over terms that are
 * themselves exact (f32 products are exact in f64; f64 products are split
 * into hi + lo with Veltkamp/Dekker): the reference for sum and dot.
 */
export function compensatedSum(terms: Iterable<number>): number {
  let s = 0;
  let c = 0;
  for (const x of terms) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

const SPLIT = 134217729;
/** x·y as hi + lo exactly (Dekker). */
export function exactProduct(x: number, y: number): [number, number] {
  const p = x * y;
  let t = SPLIT * x;
  const xh = t - (t - x), xl = x - xh;
  t = SPLIT * y;
  const yh = t - (t - y), yl = y - yh;
  return [p, xh * yh - p + xh * yl + xl * yh + xl * yl];
}

/**
 * The error bound the README states for sum and dot, to first order, over
 * the terms tᵢ (aᵢ, or aᵢbᵢ):
 *   |result − exact| ≤ (166 + p)·2^-53·Σ|tᵢ| + 2^-52·|exact|   (float64)
 * Each lane of a chunk adds ≤ 32 terms per block, ≤ 128 block sums per chunk
 * (chunks are ≤ 256 KiB), ≤ 3 remainder vectors, and 4 combining adds: 166
 * roundings; p = 1 for dot, whose products round once. The compensated
 * combination of chunk partials adds the 2^-52·|exact|. float32 accumulates
 * in f32 lanes, 16 terms a lane, then three pairwise adds, before the f64
 * part above takes over:
 *   + (18 + q)·2^-24·Σ|tᵢ| + r·n·2^-150                        (float32)
 * with q = r = 1 for dot (an f32 product rounds once, and may underflow).
 */
export function reductionBound(kind: 'sum' | 'dot', dtype: Dtype, terms: ArrayLike<number>): number {
  let magnitude = 0;
  for (let i = 0; i < terms.length; i++) magnitude += Math.abs(terms[i]);
  const dot = kind === 'dot' ? 1 : 0;
  const exact = compensatedSum(Array.from(terms));
  const f64Part = (166 + dot) * 2 ** -53 * magnitude * (1 + 2 ** -40) + 2 ** -52 * Math.abs(exact);
  if (dtype === 'float64') return f64Part;
  return f64Part + (18 + dot) * 2 ** -24 * magnitude * (1 + 2 ** -20) + dot * terms.length * 2 ** -150;
}

export function referenceSum(a: ArrayLike<number>): number {
  return compensatedSum(Array.from(a));
}

export function referenceDot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const terms: number[] = [];
  for (let i = 0; i < a.length; i++) terms.push(...exactProduct(a[i], b[i]));
  return compensatedSum(terms);
}

/** Error of y against exp(x) in units in the last place of the correctly rounded result. */
export function expUlpError(dtype: Dtype, x: number, y: number): number {
  return dtype === 'float32' ? ulpErrorF32(x, y) : ulpErrorF64(x, y);
}

/** f32: Math.exp in f64 is accurate to ~2^-29 f32 ULPs, far finer than measured errors. */
function ulpErrorF32(x: number, y: number): number {
  const e = Math.exp(x);
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : Infinity;
  if (e >= 2 ** 128 * (1 - 2 ** -25)) return y === Infinity ? 0 : Infinity; // rounds to +inf
  const exponent = e === 0 ? -149 : Math.max(Math.floor(Math.log2(e)), -126);
  return Math.abs(y - e) / 2 ** (exponent - 23);
}

/** Scales by 2^k in steps that neither overflow nor underflow. */
function scale(x: number, k: number): number {
  while (k > 900) (x *= 2 ** 900), (k -= 900);
  while (k < -900) (x *= 2 ** -900), (k += 900);
  return x * 2 ** k;
}

/** f64: against the double-double reference, kept as m·2^k so that nothing overflows. */
function ulpErrorF64(x: number, y: number): number {
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : Infinity;
  if (x > 710) return y === Infinity ? 0 : Infinity; // e^710 > the largest double
  if (x < -746) return Object.is(y, 0) ? 0 : Infinity; // e^-746 < half the smallest subnormal
  return scaledUlpError('float64', y, expReference(x));
}

/**
 * Error of y against m·2^k in ULPs of the dtype at that value's binade
 * (subnormals: the smallest normal's). A value that rounds past the largest
 * finite one must give that infinity.
 */
export function scaledUlpError(dtype: Dtype, y: number, { m, k }: Scaled): number {
  const [p, emin, emax] = dtype === 'float32' ? [24, -126, 127] : [53, -1022, 1023];
  if (m[0] === 0) return y === 0 ? 0 : Infinity;
  let exponent = exponentOf(m[0]) + k;
  if (m[1] !== 0 && Math.sign(m[1]) !== Math.sign(m[0]) && Math.abs(m[0]) === 2 ** exponentOf(m[0])) exponent -= 1; // just below a power of two
  const infinity = Math.sign(m[0]) * Infinity;
  if (exponent > emax) return y === infinity ? 0 : Infinity;
  if (exponent === emax && Math.abs(scale(m[0], k - emax) + scale(m[1], k - emax)) >= 2 - 2 ** -p) return y === infinity ? 0 : Infinity;
  const ulp = Math.max(exponent, emin) - (p - 1);
  const error = Math.abs(scale(y, -ulp) - scale(m[0], k - ulp) - scale(m[1], k - ulp));
  return Number.isNaN(error) ? Infinity : error;
}

/** References of the exp family beyond exp, as m·2^k, with their special values (a number: y must be exactly it). */
const SCALED: Record<string, (x: number) => Scaled | number> = {
  exp2: (x) => (Number.isNaN(x) ? NaN : x > 1100 ? Infinity : x < -1100 ? 0 : x === 0 ? 1 : exp2Reference(x)),
  expm1: (x) => (Number.isNaN(x) ? NaN : x > 1100 ? Infinity : x === -Infinity ? -1 : x === 0 ? x : expm1Reference(x)),
  // Past 800, 1 − e^-x is 1 and e^x is 0 once rounded, in either dtype.
  sigmoid: (x) => (Number.isNaN(x) ? NaN : x > 800 ? 1 : x < -800 ? 0 : sigmoidReference(x)),
  // Past 40, tanh is ±1 once rounded; ±0 is itself.
  tanh: (x) => (Number.isNaN(x) ? NaN : x > 40 ? 1 : x < -40 ? -1 : x === 0 ? x : tanhReference(x)),
  // Past 711, both overflow (sinh to ±∞).
  sinh: (x) => (Number.isNaN(x) ? NaN : x > 711 ? Infinity : x < -711 ? -Infinity : x === 0 ? x : sinhReference(x)),
  cosh: (x) => (Number.isNaN(x) ? NaN : Math.abs(x) > 711 ? Infinity : x === 0 ? 1 : coshReference(x)),
};

const f64 = new Float64Array(1);
const f64High = new Uint32Array(f64.buffer, 4, 1); // little-endian: the sign and exponent word

/** floor(log2 |x|) for a finite x ≠ 0 (−1023 for subnormals, which the callers clamp). */
function exponentOf(x: number): number {
  f64[0] = x;
  return ((f64High[0] >>> 20) & 0x7ff) - 1023;
}

/**
 * Error of y against an exact value, in ULPs of the dtype at the exact
 * value's binade (subnormals: the smallest normal's). A number stands for an
 * exactly representable result: y must be that very value (sign of zero and
 * NaN included), else the error is Infinity. NaN errors are Infinity too.
 */
export function ulpFromExact(dtype: Dtype, y: number, exact: Exact): number {
  if (typeof exact === 'number') return sameValue(y, exact) ? 0 : Infinity;
  const [hi, lo] = exact;
  if (hi === 0) return y === 0 ? 0 : Infinity;
  let e = exponentOf(hi);
  if (lo !== 0 && Math.sign(lo) !== Math.sign(hi) && Math.abs(hi) === 2 ** e) e -= 1; // just below a power of two
  const q = dtype === 'float32' ? Math.max(e, -126) - 23 : Math.max(e, -1022) - 52;
  const error = Math.abs(scale(y - hi, -q) - scale(lo, -q));
  return Number.isNaN(error) ? Infinity : error;
}

const sameValue = (a: number, b: number) => (Number.isNaN(a) ? Number.isNaN(b) : Object.is(a, b));

/** Math.* in f64 for the log family and the rest: within 2^-29 float32 ULPs, so a float32 error below 0.99 by it is below 1 (erf and erfc: support/erf-reference.ts). */
export const MATH: Record<string, (x: number) => number> = { log: Math.log, log2: Math.log2, log10: Math.log10, log1p: Math.log1p, exp2: (x) => 2 ** x, expm1: Math.expm1, sigmoid: (x) => 1 / (1 + Math.exp(-x)), tanh: Math.tanh, sinh: Math.sinh, cosh: Math.cosh, asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh, cbrt: Math.cbrt, sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan, erf: erfEstimate, erfc: erfcEstimate };

/**
 * A float32 result's reference for the sweeps: an f64 estimate (Math.* or
 * the like, within a few f64 ULPs: 2^-28 float32 ULPs) as a double word with
 * no low part, where it is a normal float32, so that every maximum is exact
 * to well past the four digits printed; the correctly rounded reference
 * elsewhere (overflow, underflow, specials, NaN). The double-double
 * references take about 20 times as long, and are checked on their own.
 */
export function float32Reference(estimate: number | undefined, exact: () => Reference): Reference {
  if (estimate !== undefined && Math.abs(estimate) >= 2 ** -126 && Math.abs(estimate) < 2 ** 128 * (1 - 2 ** -25)) return [estimate, 0];
  return exact();
}

/** √(x² + y²) as m·2^k to ~2^-100: both scaled by 2^-k, the squares exact, and one Newton step on √hi. */
function hypotReference(x: number, y: number): Scaled | number {
  const a = Math.abs(x), b = Math.abs(y);
  if (a === Infinity || b === Infinity) return Infinity;
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return 0;
  const k = exponentOf(Math.max(a, b));
  const [p, q] = [scale(a, -k), scale(b, -k)];
  return { m: sqrtDD(add(twoProd(p, p), twoProd(q, q))), k };
}

/** The references of binary ops held to a ULP bound. */
const BINARY: Record<string, (x: number, y: number) => Reference> = { hypot: hypotReference, pow: powReference, atan2: atan2Reference };

/** A correctly rounded reference: exact (a number: y must be that value), a double-double, or m·2^k. */
export type Reference = Exact | Scaled;

/** The reference of op `name` at x, for the log family, the exp family beyond exp, and the inverse hyperbolic ops and cbrt. */
export function exactOf(name: string, x: number, y?: number): Reference {
  if (BINARY[name]) return BINARY[name](x, y!);
  const reference = LOG_REFERENCES[name] ?? SCALED[name] ?? INVERSE_REFERENCES[name] ?? TRIG_REFERENCES[name] ?? ARC_REFERENCES[name] ?? ERF_REFERENCES[name];
  if (!reference) throw new Error(`no ULP reference for ${name}`);
  return reference(x);
}

/** The error of y against a reference, in ULPs (Infinity: a wrong special value or NaN). */
export function errorAgainst(dtype: Dtype, y: number, reference: Reference): number {
  if (typeof reference === 'object' && 'k' in reference) return scaledUlpError(dtype, y, reference);
  return ulpFromExact(dtype, y, reference);
}

/**
 * The error of y = op(x) in ULPs, for any row held to a ULP bound (exact:
 * false), against its correctly rounded reference (exp-reference.ts,
 * log-reference.ts). With `bound`, a float32 error that Math.* already puts
 * below bound − 2^-20 is returned as that estimate, and only the rest go to
 * the double-double reference.
 */
export function ulpError(row: OpRow | string, dtype: Dtype, x: number, y: number, bound?: number, other?: number): number {
  const name = typeof row === 'string' ? row : row.name;
  if (name === 'exp') return expUlpError(dtype, x, y);
  if (BINARY[name]) return errorAgainst(dtype, y, BINARY[name](x, other!));
  if (bound !== undefined && dtype === 'float32' && MATH[name] && Number.isFinite(y) && y !== 0) {
    const estimate = MATH[name](x);
    const q = Math.max(exponentOf(estimate), -126) - 23;
    const error = Math.abs(y - estimate) * 2 ** -q;
    if (error < bound - 2 ** -20) return error;
  }
  return errorAgainst(dtype, y, exactOf(name, x));
}

/**
 * The first index where an elementwise result departs from the reference, or
 * -1: exact ops bit for bit against `expected`, the others within 1 ULP of
 * their correctly rounded result (ulpError).
 */
export function elementwiseMismatch(row: OpRow, dtype: Dtype, actual: ArrayLike<number>, expected: ArrayLike<number>, xs: ArrayLike<number> | number, ys?: ArrayLike<number> | number): number {
  if (row.exact || actual.length !== expected.length) return firstDifference(actual, expected);
  if (row.kind === 'scan') return scanMismatch(dtype, actual, xs as ArrayLike<number>);
  const at = (v: ArrayLike<number> | number | undefined, i: number) => (typeof v === 'number' ? round(dtype)(v) : v?.[i]);
  for (let i = 0; i < actual.length; i++) if (!(ulpError(row, dtype, at(xs, i)!, actual[i], 1, at(ys, i)) < 1)) return i;
  return -1;
}

/**
 * elementwiseMismatch over the elements that tell, for results too long to
 * check whole against a reference that costs microseconds per element (the
 * load and fuzz tests): all of them up to WHOLE elements; beyond, SPREAD
 * indices spread evenly, the first and last 16 (where the vector tails are)
 * and every index where an operand is not a normal number (±0, subnormal,
 * ±∞, NaN). Exact ops and scans, whose references are cheap, are checked
 * whole. `operands` as for expectedElementwise. Returns the index in
 * `actual` of the first mismatch found, or -1.
 */
export function sampledMismatch(row: OpRow, dtype: Dtype, actual: ArrayLike<number>, operands: (ArrayLike<number> | number)[]): number {
  const n = actual.length;
  const whole = row.exact || row.kind === 'scan' || n <= WHOLE;
  const at = whole ? undefined : tellingIndices(dtype, n, operands);
  const pick = (v: ArrayLike<number> | number) => (at === undefined || typeof v === 'number' ? v : at.map((i) => v[i]));
  const picked = operands.map(pick);
  const i = elementwiseMismatch(row, dtype, pick(actual) as ArrayLike<number>, expectedElementwise(row, dtype, ...picked), picked[0], picked[1]);
  return i < 0 || at === undefined ? i : at[i];
}

const WHOLE = 4096;
const SPREAD = 240;

function tellingIndices(dtype: Dtype, n: number, operands: (ArrayLike<number> | number)[]): number[] {
  const smallest = dtype === 'float32' ? 2 ** -126 : 2 ** -1022;
  const at = new Set<number>();
  const stride = Math.ceil(n / SPREAD);
  for (let i = 0; i < n; i += stride) at.add(i);
  for (let i = 0; i < 16; i++) at.add(i).add(n - 1 - i);
  for (const v of operands) {
    if (typeof v === 'number') continue;
    for (let i = 0; i < n; i++) if (!(Math.abs(v[i]) >= smallest && Math.abs(v[i]) < Infinity)) at.add(i);
  }
  return [...at].sort((x, y) => x - y);
}

/**
 * Whether a sum or dot result is right for any data, special values
 * included: NaN where a NaN term or opposite infinities decide it, that
 * infinity where one sign of infinity does, otherwise within reductionBound
 * of the exact value. Returns undefined where the order of additions decides
 * (finite terms that may overflow): no single answer is right there.
 */
export function reductionOk(kind: 'sum' | 'dot', dtype: Dtype, actual: number, a: ArrayLike<number>, b: ArrayLike<number> = a): boolean | undefined {
  const terms = Array.from(a, (x, i) => (kind === 'sum' ? x : x * b[i]));
  let finite = 0;
  let largestFactor = 0;
  let infinities = 0;
  let sign = 0;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i];
    if (Number.isNaN(t)) return Number.isNaN(actual);
    // A product of finite factors that overflows is a finite term too large
    // for f64: whether it shows as ±Infinity depends on a fused multiply-add.
    const overflowed = kind === 'dot' && Number.isFinite(a[i]) && Number.isFinite(b[i]) && !Number.isFinite(t);
    if (Math.abs(t) === Infinity && !overflowed) (infinities |= t > 0 ? 1 : 2), (sign = t);
    else finite += Math.abs(t);
    largestFactor = Math.max(largestFactor, Math.abs(a[i]), Math.abs(b[i]));
  }
  if (infinities === 3) return Number.isNaN(actual);
  if (finite >= 2 ** 1000) return undefined; // partial sums may overflow, to either infinity
  if (infinities) return actual === sign;
  // Dekker's split in referenceDot overflows past 2^996: the reference itself is unknown there.
  if (kind === 'dot' && largestFactor >= 2 ** 996) return undefined;
  const exact = kind === 'sum' ? referenceSum(a) : referenceDot(a, b);
  // f64 products that underflow lose up to half a subnormal ULP each, in lanes and in the reference.
  const underflow = kind === 'dot' && dtype === 'float64' ? terms.length * 2 ** -1073 : 0;
  return Math.abs(actual - exact) <= reductionBound(kind, dtype, terms) + underflow;
}
