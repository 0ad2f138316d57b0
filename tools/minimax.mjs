#!/usr/bin/env node
// Minimax polynomial coefficients for lanes' kernels, with their error bounds.
//
//   1. Remez exchange, in 64-digit decimal arithmetic, for the best polynomial
//      with real coefficients (weighted: absolute or relative error).
//   2. Coefficients rounded to f32/f64 one at a time from the lowest power up:
//      for each, both neighbouring floats are tried, the higher coefficients
//      are re-fitted by Remez with it fixed, and the choice with the smaller
//      re-fitted error is kept (greedy, as fpminimax without the lattice step).
//   3. The rounded polynomial is evaluated in decimal arithmetic (not in
//      floating point) on a dense grid and at its refined extrema.
//
// Usage: see tools/README.md. Plain Node ESM; only dependency: decimal.js.
// A tool, not part of the package build or tests.

import { pathToFileURL } from 'node:url';
import Decimal from 'decimal.js';

/** 64 significant digits: an error near 2^-60 is still known to ~40 digits. */
export const D = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_EVEN });
const ZERO = new D(0), ONE = new D(1);

// ---------------------------------------------------------------------------
// Exact conversion between decimals and binary floating-point formats.
// All of it is BigInt arithmetic on exact rationals: no double rounding.

export const FORMATS = {
  f32: { p: 24, emin: -126, emax: 127, ebits: 8, hex: 8, digits: 9 },
  f64: { p: 53, emin: -1022, emax: 1023, ebits: 11, hex: 16, digits: 17 },
};

function format(name) {
  const F = FORMATS[name];
  if (!F) throw new Error(`unknown format '${name}' (f32 or f64)`);
  return F;
}

/** |x| as an exact fraction [num, den] of BigInts. */
function rational(x) {
  const [mant, exp] = x.abs().toExponential().split('e'); // every digit, unrounded
  const digits = mant.replace('.', '');
  const k = Number(exp) - (digits.length - 1);
  const n = BigInt(digits);
  return k >= 0 ? [n * 10n ** BigInt(k), 1n] : [n, 10n ** BigInt(-k)];
}

const bitLength = (n) => n.toString(2).length;

/**
 * The bit pattern (BigInt) of x rounded to `fmt`. mode: 'nearest' (ties to
 * even), 'down' (toward −∞) or 'up' (toward +∞). Subnormals and overflow to
 * ±∞ follow IEEE 754.
 */
export function toBits(x, fmt, mode = 'nearest') {
  const F = format(fmt);
  x = new D(x);
  const frac = BigInt(F.p - 1);
  const sign = x.isNeg() ? 1n << BigInt(F.ebits + F.p - 1) : 0n;
  if (x.isZero()) return sign;
  const [num, den] = rational(x);
  // e = floor(log2 |x|): estimate from the bit lengths, then correct.
  const atLeast = (e) => (e >= 0 ? num >= den << BigInt(e) : num << BigInt(-e) >= den);
  let e = bitLength(num) - bitLength(den);
  while (!atLeast(e)) e--;
  while (atLeast(e + 1)) e++;
  e = Math.max(e, F.emin); // subnormals keep the quantum of the smallest normal binade
  const q = e - (F.p - 1); // |x| = (M + rem/dq) · 2^q, M an integer below 2^p
  const [nq, dq] = q >= 0 ? [num, den << BigInt(q)] : [num << BigInt(-q), den];
  let M = nq / dq;
  const rem = nq % dq;
  const up = mode === 'nearest'
    ? 2n * rem > dq || (2n * rem === dq && (M & 1n) === 1n)
    : rem !== 0n && (mode === 'up') !== x.isNeg();
  if (up) M++;
  if (M === 1n << BigInt(F.p)) { M >>= 1n; e++; } // carried into the next binade
  if (e > F.emax) return sign | (((1n << BigInt(F.ebits)) - 1n) << frac); // ±∞
  const biased = M >> frac ? BigInt(e - F.emin + 1) : 0n;
  return sign | (biased << frac) | (M & ((1n << frac) - 1n));
}

/** The exact value of a finite bit pattern as a decimal string. */
export function exactString(bits, fmt) {
  const F = format(fmt);
  bits = BigInt(bits);
  const frac = BigInt(F.p - 1);
  const neg = (bits >> BigInt(F.ebits + F.p - 1)) & 1n;
  const biased = Number((bits >> frac) & ((1n << BigInt(F.ebits)) - 1n));
  if (biased === 2 ** F.ebits - 1) throw new Error('not finite');
  let M = bits & ((1n << frac) - 1n);
  if (biased) M |= 1n << frac;
  const q = Math.max(biased, 1) - F.emax - (F.p - 1); // value = M · 2^q
  let s;
  if (q >= 0) s = (M << BigInt(q)).toString();
  else {
    // M · 2^q = M · 5^-q / 10^-q: an integer's digits with the point moved.
    const d = (M * 5n ** BigInt(-q)).toString().padStart(1 - q, '0');
    s = (d.slice(0, q) + '.' + d.slice(q)).replace(/\.?0+$/, '');
  }
  return (neg ? '-' : '') + s;
}

/** The exact value of a bit pattern as a Decimal (the constructor does not round). */
export const fromBits = (bits, fmt) => new D(exactString(bits, fmt));

export const hex = (bits, fmt) => '0x' + BigInt(bits).toString(16).padStart(format(fmt).hex, '0');

// ---------------------------------------------------------------------------
// The approximation problem.

const GRID = 1024; // Chebyshev-spaced points for locating extrema (then refined)
const DENSE = 4000; // uniform points added for the final measurement
const TOL = new D('1e-9'); // Remez stops when max and min |error| at the reference agree to this
const TINY = new D('1e-55'); // an error this small is zero (the polynomial is reproduced)
const gridCache = new Map();

/**
 * f(x), with a removable singularity handled by averaging f(x ± δ): the
 * average is off by O(δ²) and δ = 1e-13 leaves enough digits after cancelling
 * up to three orders at 64 digits. A series written into f is better.
 */
function evalF(f, x) {
  let y;
  try { y = f(x); } catch { y = null; }
  if (Decimal.isDecimal(y) && y.isFinite()) return new D(y);
  const d = new D('1e-13').mul(D.max(1, x.abs()));
  return new D(f(x.plus(d)).plus(f(x.minus(d))).div(2));
}

function setup(spec) {
  const F = format(spec.format);
  const rel = { rel: true, abs: false }[spec.error ?? 'rel'];
  if (rel === undefined) throw new Error(`error must be 'rel' or 'abs'`);
  let a = new D(spec.interval[0]), b = new D(spec.interval[1]);
  if (!a.lt(b)) throw new Error('empty interval');

  // Fixed coefficients must already be floats of the format: they are used as is.
  const fixed = new Map();
  for (const [k, v] of Object.entries(spec.fixed ?? {})) {
    const val = new D(v), bits = toBits(val, spec.format);
    if (!fromBits(bits, spec.format).eq(val)) throw new Error(`fixed c${k} = ${v} is not an ${spec.format}`);
    fixed.set(Number(k), { val, bits });
  }
  const free = (spec.powers ?? Array.from({ length: spec.degree + 1 }, (_, k) => k))
    .filter((k) => !fixed.has(k)).sort((x, y) => x - y);
  if (!free.length && !spec.coefficients) throw new Error('no free coefficient');
  const degree = Math.max(...free, ...fixed.keys());
  const C = Array(degree + 1).fill(ZERO);
  for (const [k, { val }] of fixed) C[k] = val;

  const P = { spec, F, rel, a, b, free, fixed, C, degree, notes: [] };
  const f = (x) => evalF(spec.f, x);
  P.point = (x) => {
    const fx = f(x);
    return { x, xd: x.toNumber(), f: fx, w: rel ? ONE.div(fx.abs()) : ONE };
  };

  // Same-parity powers on [-b, b] are not a Haar system there; when the target
  // has that parity (checked at three points) the error is symmetric and the
  // fit is done on [0, b] instead.
  const parity = free[0] % 2;
  if (free.length && a.eq(b.neg()) && free.every((k) => k % 2 === parity) && free.length < degree + 1 - fixed.size) {
    const h = (x) => { const p = P.point(x); return err(C, p).div(p.w); }; // fixed part − f
    const sym = ['0.3', '0.7', '1'].every((t) => {
      const x = b.mul(t), u = h(x), v = h(x.neg()), s = parity ? v.neg() : v;
      return u.minus(s).abs().lte(u.abs().plus(1e-60).mul('1e-40'));
    });
    if (sym) { a = ZERO; P.a = a; P.notes.push(`symmetric: fitted on [0, ${b}]`); }
    else P.notes.push('warning: powers with gaps on an interval around 0 may break the Haar condition');
  }
  // Inside an interval around 0 every free power vanishes at 0: see `sig`.
  P.straddle = a.isNeg() && b.isPos() && !b.isZero();

  // Grids (with f cached) are shared by fits of one function on one interval.
  const key = `${spec.name}|${a}|${b}|${spec.error}`;
  if (!gridCache.has(key)) {
    const mid = a.plus(b).div(2), half = b.minus(a).div(2);
    const at = (t) => P.point(mid.plus(half.mul(t)));
    const cheb = Array.from({ length: GRID + 1 }, (_, i) =>
      i === 0 ? P.point(a) : i === GRID ? P.point(b) : at(-Math.cos((Math.PI * i) / GRID)));
    const dense = Array.from({ length: DENSE + 1 }, (_, i) => at((2 * i) / DENSE - 1));
    gridCache.set(key, { cheb, dense });
  }
  Object.assign(P, gridCache.get(key));
  return P;
}

/** Weighted error p(x) − f(x) at a point, p given by coefficients C (index = power). */
function err(C, pt) {
  let p = C[C.length - 1];
  for (let k = C.length - 2; k >= 0; k--) p = p.mul(pt.x).plus(C[k]);
  return p.minus(pt.f).mul(pt.w);
}

/**
 * The sign that the error's alternation is counted in. With lowest free power
 * m on an interval around 0, the error is x^m·(q(x) − h(x)) with q from a Haar
 * space: it is q − h that alternates, so for odd m the sign of x is divided out.
 */
const sig = (P, m, pt) => (P.straddle && m % 2 === 1 && pt.x.isNeg() ? -1 : 1);

const maxAbs = (ex) => ex.reduce((m, c) => D.max(m, c.e.abs()), ZERO);

/** Local extrema of |error| over the Chebyshev grid, each refined. */
function extrema(P, C) {
  const g = P.cheb, e = g.map((pt) => err(C, pt)), A = e.map((v) => Math.abs(v.toNumber()));
  const out = [];
  for (let k = 0; k < g.length; k++) {
    const l = k > 0 ? A[k - 1] : -1, r = k < g.length - 1 ? A[k + 1] : -1;
    if (!(A[k] >= l && A[k] > r)) continue;
    out.push(k === 0 || k === g.length - 1 ? { pt: g[k], e: e[k] } : refine(P, C, g[k - 1], g[k], g[k + 1], e[k - 1], e[k], e[k + 1]));
  }
  return out;
}

/**
 * Successive parabolic interpolation for the extremum bracketed by three grid
 * points. Only the location is a double; values stay decimal. A location off
 * by δ costs O(δ²) in the value, so ~1e-8 of the interval is plenty.
 */
function refine(P, C, p0, p1, p2, e0, e1, e2) {
  const s = e1.isNeg() ? -1 : 1, stop = 1e-8 * (P.b.toNumber() - P.a.toNumber());
  for (let it = 0; it < 12; it++) {
    const h0 = p1.xd - p0.xd, h2 = p2.xd - p1.xd;
    const d0 = e1.minus(e0).toNumber() * s, d2 = e1.minus(e2).toNumber() * s;
    const den = 2 * (d2 * h0 + d0 * h2);
    if (!(den > 0)) break;
    const t = (d0 * h2 * h2 - d2 * h0 * h0) / den, x = p1.xd + t;
    if (!(x > p0.xd && x < p2.xd) || x === p1.xd) break;
    const pt = P.point(new D(x)), et = err(C, pt);
    if (et.minus(e1).toNumber() * s > 0) {
      if (t < 0) [p0, p1, p2, e0, e1, e2] = [p0, pt, p1, e0, et, e1];
      else [p0, p1, p2, e0, e1, e2] = [p1, pt, p2, e1, et, e2];
    } else if (t < 0) [p0, e0] = [pt, et];
    else [p2, e2] = [pt, et];
    if (Math.abs(t) < stop) break;
  }
  return { pt: p1, e: e1 };
}

/**
 * The new reference: of each run of extrema with one sign keep the largest,
 * then thin to `count`, always dropping the smallest: an end one alone, an
 * inner one with the smaller of its (now adjacent, same-sign) neighbours.
 * Dropping only ends is enough for a Haar system, but with a fixed low part
 * around 0 the error has small bumps there that must not stay in.
 */
function select(P, ex, count, m) {
  const runs = [];
  const push = (c, s) => {
    const last = runs[runs.length - 1];
    if (last && last.s === s) { if (c.e.abs().gt(last.e.abs())) Object.assign(last, c); }
    else runs.push({ ...c, s });
  };
  for (const c of ex) if (!c.e.isZero()) push(c, (c.e.isNeg() ? -1 : 1) * sig(P, m, c.pt));
  while (runs.length > count) {
    let j = 0;
    runs.forEach((c, i) => { if (c.e.abs().lt(runs[j].e.abs())) j = i; });
    const end = j === 0 || j === runs.length - 1;
    if (!end && runs.length - count < 2) j = runs[0].e.abs().lt(runs[runs.length - 1].e.abs()) ? 0 : runs.length - 1;
    if (j === 0 || j === runs.length - 1) { runs.splice(j, 1); continue; }
    const k = runs[j - 1].e.abs().lt(runs[j + 1].e.abs()) ? j - 1 : j + 1;
    runs.splice(Math.min(j, k), 2);
  }
  return runs.length === count ? runs.map((c) => c.pt) : null;
}

/** n+1 Chebyshev extrema taken from the grid, avoiding 0 where the error must vanish. */
function chebRef(P, n, m) {
  let k = n + 1;
  const avoid0 = P.straddle && m > 0;
  if (avoid0) k++;
  let idx = Array.from({ length: k }, (_, i) => Math.round((i * GRID) / (k - 1)));
  if (avoid0) {
    const far = idx.map((j) => Math.abs(P.cheb[j].xd));
    idx.splice(far.indexOf(Math.min(...far)), 1);
  }
  return idx.map((j) => P.cheb[j]);
}

/** Solve Σ c_k x_i^k − (−1)^i σ_i E / w_i = f_i − fixed(x_i) for the free c_k and E. */
function solve(P, free, C, ref, m) {
  const n = free.length;
  const A = ref.map((pt, i) => {
    const alt = (i % 2 ? -1 : 1) * sig(P, m, pt);
    const rhs = pt.f.minus(err(C, { ...pt, f: ZERO, w: ONE }));
    return [...free.map((k) => pt.x.pow(k)), new D(-alt).div(pt.w), rhs];
  });
  // Gaussian elimination with partial pivoting (n ≤ ~15: no need for more).
  for (let c = 0; c <= n; c++) {
    let piv = c;
    for (let r = c + 1; r <= n; r++) if (A[r][c].abs().gt(A[piv][c].abs())) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    if (A[c][c].isZero()) throw new Error('singular Remez system');
    for (let r = c + 1; r <= n; r++) {
      const q = A[r][c].div(A[c][c]);
      for (let j = c; j <= n + 1; j++) A[r][j] = A[r][j].minus(q.mul(A[c][j]));
    }
  }
  const x = Array(n + 1);
  for (let r = n; r >= 0; r--) {
    let s = A[r][n + 1];
    for (let j = r + 1; j <= n; j++) s = s.minus(A[r][j].mul(x[j]));
    x[r] = s.div(A[r][r]);
  }
  const coefs = C.slice();
  free.forEach((k, j) => { coefs[k] = x[j]; });
  return { coefs, E: x[n] };
}

/**
 * Best free coefficients (sorted powers `free`) with the others fixed in C.
 * `start` (extrema of a nearby polynomial) seeds the reference.
 */
function remez(P, free, C, start) {
  if (!free.length) { const ex = extrema(P, C); return { coefs: C, error: maxAbs(ex), extrema: ex, iters: 0 }; }
  const n = free.length, m = free[0];
  let ref = (start && select(P, start, n + 1, m)) || chebRef(P, n, m);
  for (let it = 1; it <= 60; it++) {
    const { coefs, E } = solve(P, free, C, ref, m);
    const ex = extrema(P, coefs), hi = maxAbs(ex);
    if (hi.lt(TINY)) return { coefs, error: hi, extrema: ex, iters: it };
    const next = select(P, ex, n + 1, m);
    if (!next) throw new Error(`${P.spec.name}: error lost its alternation (iteration ${it})`);
    const lo = next.reduce((v, pt) => D.min(v, err(coefs, pt).abs()), hi);
    if (hi.minus(lo).lte(hi.mul(TOL))) return { coefs, error: hi, levelled: E.abs(), extrema: ex, iters: it };
    ref = next;
  }
  throw new Error(`${P.spec.name}: Remez did not converge`);
}

/** Max |error| of C on the dense grid and at the given extrema. */
function measure(P, C, ex) {
  return P.dense.reduce((v, pt) => D.max(v, err(C, pt).abs()), maxAbs(ex));
}

/** Round the coefficients of `real` to the format (see the header), lowest power first. */
function roundGreedy(P, real) {
  let C = P.C.slice(), free = P.free.slice(), sol = real;
  const bits = new Map([...P.fixed].map(([k, v]) => [k, v.bits]));
  let refits = 0, kept = 0;
  while (free.length) {
    const k = free[0], rest = free.slice(1), c = sol.coefs[k];
    const cands = [...new Set([toBits(c, P.spec.format, 'down'), toBits(c, P.spec.format, 'up')])];
    let best = null;
    for (const bi of cands) {
      const Ck = C.slice();
      Ck[k] = fromBits(bi, P.spec.format);
      let s;
      try { s = remez(P, rest, Ck, sol.extrema); } catch {
        // Degenerate refit: the error at 0, fixed by the lower coefficients,
        // is then the maximum, and any near polynomial is as good. Keep the
        // previous higher coefficients: within the rounding of c_k of optimal.
        const Cp = sol.coefs.slice();
        Cp[k] = Ck[k];
        const ex = extrema(P, Cp);
        s = { coefs: Cp, error: maxAbs(ex), extrema: ex };
        kept++;
      }
      refits++;
      if (!best || s.error.lt(best.s.error)) best = { bi, Ck, s };
    }
    bits.set(k, best.bi);
    C = best.Ck; free = rest; sol = best.s;
  }
  return { C, bits, extrema: sol.extrema, refits, kept };
}

// ---------------------------------------------------------------------------
// Public entry points.

const log2 = (e) => (e.isZero() ? -Infinity : D.log2(e).toNumber());

/**
 * Fit one spec: { name, f (Decimal → Decimal), interval: [a, b], degree or
 * powers (free powers), fixed: { power: value }, error: 'rel'|'abs',
 * format: 'f32'|'f64', hornerFrom?, label?, describe? }.
 * With `coefficients: { power: value }` instead, nothing is fitted: those
 * values, rounded to nearest, are only measured (to compare, e.g. Taylor).
 */
export function fit(spec) {
  const t0 = performance.now();
  if (spec.coefficients) {
    const near = (v) => exactString(toBits(new D(v), spec.format), spec.format);
    const fixed = Object.fromEntries(Object.entries(spec.coefficients).map(([k, v]) => [k, near(v)]));
    spec = { ...spec, fixed, powers: [] };
  }
  const P = setup(spec);
  let real = null, rounded;
  if (spec.coefficients) {
    const bits = new Map([...P.fixed].map(([k, v]) => [k, v.bits]));
    rounded = { C: P.C, bits, extrema: extrema(P, P.C), refits: 0 };
  } else {
    real = remez(P, P.free, P.C);
    rounded = roundGreedy(P, real);
  }
  const realError = real ? measure(P, real.coefs, real.extrema) : null;
  // For comparison: every real coefficient rounded to nearest, no refitting.
  let nearestError = null;
  if (real) {
    const C = real.coefs.map((c, k) => (P.fixed.has(k) ? c : fromBits(toBits(c, spec.format), spec.format)));
    nearestError = measure(P, C, extrema(P, C));
  }
  const roundedError = measure(P, rounded.C, rounded.extrema);
  return {
    spec, P, real, rounded, realError, roundedError, nearestError,
    points: P.dense.length + rounded.extrema.length,
    seconds: (performance.now() - t0) / 1000,
  };
}

const fmtErr = (e) => (e === null ? '—' : e.isZero() ? '0 (exact)' : `2^${log2(e).toFixed(4)} (${e.toSignificantDigits(6).toExponential()})`);
const label = (spec) => spec.label ?? (spec.degree !== undefined ? `deg ${spec.degree}` : '');

/** Exact value for a comment: at most 21 significant digits, '…' if cut. */
function shortExact(s) {
  const m = s.match(/^(-?)(0\.0*)?(\d+)(\.\d*)?$/);
  const sig = (m[3] + (m[4] ?? '')).replace('.', '');
  if (sig.length <= 21) return s;
  return new D(s).toSignificantDigits(21, Decimal.ROUND_DOWN).toString() + '…';
}

/** Human-readable report of one fit, with lines to paste into AssemblyScript. */
export function report(res) {
  const { spec, P, rounded } = res;
  const fixedList = [...P.fixed].map(([k, v]) => `c${k} = ${v.val}`).join(', ');
  const lines = [
    `== ${spec.name} ${label(spec)}: ${spec.describe ?? 'f'} on [${spec.interval.map((x) => new D(x).toSignificantDigits(12)).join(', ')}], ` +
      `${P.rel ? 'relative' : 'absolute'} error, ${spec.format} coefficients`,
    `   free powers ${spec.coefficients ? '(none: measured only)' : P.free.join(' ')}` + (fixedList ? `; fixed ${fixedList}` : ''),
    ...P.notes.map((n) => `   ${n}`),
    `   real minimax error     ${fmtErr(res.realError)}` + (res.real ? `  [${res.real.iters} Remez iterations]` : ''),
    ...(res.nearestError ? [`   each rounded to nearest ${fmtErr(res.nearestError)}  (no refit, for comparison)`] : []),
    `   rounded coefficients   ${fmtErr(res.roundedError)}  [${res.points} points, ${rounded.refits} refits` +
      (rounded.kept ? `, ${rounded.kept} degenerate (previous coefficients kept)` : '') + `, ${res.seconds.toFixed(1)} s]`,
  ];
  const from = spec.hornerFrom ?? 0;
  lines.push(`   // Horner, highest power first${from ? `; this is P(r) = Σ c_k·r^(k−${from})` : ''}:`);
  for (let k = P.degree; k >= from; k--) {
    const bits = rounded.bits.get(k);
    const tag = P.fixed.has(k) && !spec.coefficients ? ' (fixed)' : '';
    if (bits === undefined) { lines.push(`   p = p * r; // c${k} = 0`); continue; }
    const K = `K(${hex(bits, spec.format)})`;
    const code = k === P.degree ? `p = ${K};` : `p = fma(p, r, ${K});`;
    lines.push(`   ${code.padEnd(36)} // c${k} = ${shortExact(exactString(bits, spec.format))}${tag}`);
  }
  lines.push('   exact values:');
  for (let k = P.degree; k >= 0; k--) {
    const bits = rounded.bits.get(k);
    if (bits !== undefined) lines.push(`     c${k} = ${hex(bits, spec.format)} = ${exactString(bits, spec.format)}`);
  }
  return lines.join('\n');
}

/** The same as a plain object, for --json. */
export function toJSON(res) {
  const { spec, P, real, rounded } = res;
  const err = (e) => (e === null ? null : { log2: log2(e), value: e.toSignificantDigits(10).toExponential() });
  return {
    name: spec.name, label: label(spec), describe: spec.describe ?? null,
    interval: spec.interval.map(String), error: spec.error ?? 'rel', format: spec.format,
    fitInterval: [P.a.toString(), P.b.toString()],
    freePowers: spec.coefficients ? [] : P.free,
    fixed: Object.fromEntries([...P.fixed].map(([k, v]) => [k, v.val.toString()])),
    realError: err(res.realError), nearestError: err(res.nearestError), roundedError: err(res.roundedError),
    coefficients: [...rounded.bits].sort((x, y) => x[0] - y[0]).map(([k, bits]) => ({
      power: k, hex: hex(bits, spec.format), exact: exactString(bits, spec.format),
      fixed: P.fixed.has(k) && !spec.coefficients,
      real: real ? real.coefs[k].toSignificantDigits(30).toString() : null,
    })),
  };
}

/** Fit a list of specs and print reports (or JSON), then a summary table. */
export function runFits(specs, { json = false } = {}) {
  const results = specs.map((s) => {
    const r = fit(s);
    if (!json) console.log(report(r) + '\n');
    return r;
  });
  if (json) { console.log(JSON.stringify(results.map(toJSON), null, 2)); return results; }
  const cell = (e) => (e === null ? '—' : log2(e).toFixed(2));
  console.log('| fit | degree | real minimax (log2) | rounded to nearest (log2) | rounded, refitted (log2) |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.spec.name} | ${label(r.spec)} | ${cell(r.realError)} | ${cell(r.nearestError)} | ${cell(r.roundedError)} |`);
  }
  return results;
}

// ---------------------------------------------------------------------------
// Self-test.

function check() {
  let bad = 0;
  const ok = (cond, what) => { if (!cond) bad++; console.log(`${cond ? 'ok  ' : 'FAIL'} ${what}`); };
  const p2 = (k) => D.pow(2, k);
  const third = ONE.div(3);
  const cases = [
    [third, 'f32', '0x3eaaaaab'], [third, 'f64', '0x3fd5555555555555'],
    [third.neg(), 'f32', '0xbeaaaaab'], ['0.1', 'f32', '0x3dcccccd'], ['0.1', 'f64', '0x3fb999999999999a'],
    [ONE.plus(p2(-24)), 'f32', '0x3f800000', '1 + 2^-24 (tie, to even)'],
    [ONE.plus(p2(-24).mul(3)), 'f32', '0x3f800002', '1 + 3·2^-24 (tie, to even)'],
    [ONE.plus(p2(-53)), 'f64', '0x3ff0000000000000', '1 + 2^-53 (tie)'],
    [ONE.plus(p2(-53).mul(3)), 'f64', '0x3ff0000000000002', '1 + 3·2^-53 (tie)'],
    // Just above an f32 tie, by less than an f64 ULP: Math.fround(Number(x)) rounds twice and gets 1.
    [ONE.plus(p2(-24)).plus(p2(-80)), 'f32', '0x3f800001', '1 + 2^-24 + 2^-80'],
    [p2(-149), 'f32', '0x00000001', '2^-149'], [p2(-150), 'f32', '0x00000000', '2^-150 (tie)'],
    [p2(-150).mul(3), 'f32', '0x00000002', '3·2^-150 (tie)'],
    [p2(-126).minus(p2(-151)), 'f32', '0x00800000', '2^-126 − 2^-151 (carries into the normals)'],
    [p2(127).mul(ONE.mul(2).minus(p2(-23))), 'f32', '0x7f7fffff', 'largest f32'], [p2(128), 'f32', '0x7f800000', '2^128'],
    [p2(-1074), 'f64', '0x0000000000000001', '2^-1074'], [new D('-0'), 'f64', '0x8000000000000000', '-0'],
  ];
  for (const [x, fmt, want, what] of cases) {
    const got = hex(toBits(x, fmt), fmt);
    ok(got === want, `${fmt} ${what ?? new D(x).toSignificantDigits(12)} → ${got} (want ${want})`);
  }
  ok(hex(toBits(third, 'f32', 'down'), 'f32') === '0x3eaaaaaa' && hex(toBits(third.neg(), 'f32', 'down'), 'f32') === '0xbeaaaaab',
    'directed rounding of ±1/3');
  ok(exactString(0x3e2aaaabn, 'f32') === '0.16666667163372039794921875', 'exact value of 0x3e2aaaab');
  ok(fromBits(toBits(third, 'f64'), 'f64').toNumber() === 1 / 3, 'f64 1/3 is the JS double 1/3');
  ok(evalF((x) => D.exp(x).minus(1).div(x), ZERO).minus(1).abs().lt('1e-24'), 'removable singularity (e^x − 1)/x at 0');

  // Against the JS conversions on random 20-digit decimals: f64 must match
  // Number() (correctly rounded); f32 must match Math.fround(Number()) except
  // at an f32 tie, which random inputs do not hit.
  const buf = new DataView(new ArrayBuffer(8));
  let mism = 0;
  for (let i = 0; i < 2000; i++) {
    const s = `${(Math.random() * 1e10).toFixed(0)}${(Math.random() * 1e10).toFixed(0)}e${Math.floor(Math.random() * 80) - 60}`;
    buf.setFloat64(0, Number(s));
    if (buf.getBigUint64(0) !== toBits(s, 'f64')) mism++;
    buf.setFloat32(0, Math.fround(Number(s)));
    if (BigInt(buf.getUint32(0)) !== toBits(s, 'f32')) mism++;
  }
  ok(mism === 0, `2000 random decimals agree with Number() and Math.fround (${mism} mismatches)`);

  // Fits with a known answer.
  const quiet = (spec) => fit({ format: 'f64', error: 'abs', ...spec });
  const cubic = (x) => x.mul('0.1875').minus('0.375').mul(x).plus('0.5').mul(x).plus(1); // dyadic coefficients
  let r = quiet({ name: 'check-cubic', f: cubic, interval: [-1, 1], degree: 3 });
  ok(r.realError.lt('1e-50') && r.roundedError.lt('1e-50'), `cubic reproduced: real ${fmtErr(r.realError)}, rounded ${fmtErr(r.roundedError)}`);
  r = quiet({ name: 'check-cubic-rel', f: cubic, interval: [0, 2], degree: 3, error: 'rel', fixed: { 0: 1 } });
  ok(r.roundedError.lt('1e-50'), `cubic, relative, c0 fixed: rounded ${fmtErr(r.roundedError)}`);
  r = quiet({ name: 'check-x5', f: (x) => x.pow(5), interval: [-1, 1], degree: 4 });
  ok(Math.abs(log2(r.realError) + 4) < 1e-8, `x^5 by degree 4 on [-1, 1]: ${fmtErr(r.realError)} (want 2^-4, Chebyshev)`);
  // e^x on [-1, 1] by a line: slope sinh 1, inner extremum at ln(sinh 1).
  const a1 = D.sinh(1), xs = D.ln(a1), a0 = D.exp(-1).plus(a1.mul(xs.neg().plus(2))).div(2);
  const E1 = D.exp(-1).minus(a0).plus(a1);
  r = quiet({ name: 'check-exp-line', f: (x) => D.exp(x), interval: [-1, 1], degree: 1 });
  ok(r.realError.div(E1).minus(1).abs().lt('1e-9'), `e^x by a line on [-1, 1]: ${r.realError.toSignificantDigits(15)} (want ${E1.toSignificantDigits(15)})`);
  r = quiet({ name: 'check-cos', f: (x) => D.cos(x), interval: [-1, 1], powers: [0, 2, 4, 6] });
  ok(r.P.notes[0]?.startsWith('symmetric') && log2(r.realError) < -20, `cos by even powers to 6: ${fmtErr(r.realError)} (${r.P.notes[0]})`);
  console.log(bad ? `${bad} FAILED` : 'all ok');
  return bad === 0;
}

// ---------------------------------------------------------------------------
// Command line.

const HELP = `usage:
  node tools/minimax.mjs --all [--json] [name...]   every fit in tools/fits.mjs (or those named)
  node tools/minimax.mjs --check                    self-test
  node tools/minimax.mjs --fn 'x => D.exp(x)' --interval -0.5,0.5 (--degree 6 | --powers 1,2,3)
        [--fixed 0=1 ...] [--error rel|abs] [--format f32|f64] [--json]`;

async function main(argv) {
  const opt = { fixed: {}, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = () => argv[++i];
    if (a === '--all' || a === '--json' || a === '--check' || a === '--help') opt[a.slice(2)] = true;
    else if (a === '--fn') opt.fn = v();
    else if (a === '--interval') opt.interval = v().split(',');
    else if (a === '--degree') opt.degree = Number(v());
    else if (a === '--powers') opt.powers = v().split(',').map(Number);
    else if (a === '--fixed') { const [k, x] = v().split('='); opt.fixed[k] = x; }
    else if (a === '--error') opt.error = v();
    else if (a === '--format') opt.format = v();
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}\n${HELP}`);
    else opt.rest.push(a);
  }
  if (opt.check) process.exitCode = check() ? 0 : 1;
  else if (opt.all) {
    const { fits } = await import('./fits.mjs');
    const chosen = opt.rest.length ? fits.filter((s) => opt.rest.includes(s.name)) : fits;
    runFits(chosen, { json: opt.json });
  } else if (opt.fn) {
    const f = new Function('D', `return (${opt.fn});`)(D); // a developer's own expression
    runFits([{ name: 'cli', describe: opt.fn, f, interval: opt.interval, degree: opt.degree, powers: opt.powers,
      fixed: opt.fixed, error: opt.error ?? 'rel', format: opt.format ?? 'f64' }], { json: opt.json });
  } else console.log(HELP);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e) => { console.error(e.message); process.exitCode = 1; });
}
