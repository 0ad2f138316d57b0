import { narrow, widenHigh, widenLow } from "../simd/memory";
import { define, konst, konstBits, Slot, tableAddress, Table } from "../simd/constants";
import { fastSumError, highHalf, keepLowWord, squareError, sumError } from "../simd/double";
import { horner } from "../simd/poly";
import { add, choose, madd, mul, sub } from "../simd/vec";
import { writeLogTable } from "./log-table";

// log, log2, log10 and log1p over <T, V>, faithfully rounded (max error below
// 1 ULP) on all of T, in both builds: fused or not, every madd below keeps
// the bound (the comments say why).
//
// float32 runs in f64 lanes, with no table:
//   x = 2^k·m, m in [√½, √2),  f = m − 1 (exact),  s = f/(2 + f),  |s| ≤ 0.1716
//   log(x) = k·ln2 + 2s + 2s·s²·Q(s²)
// Everything after the exact f is f64 arithmetic, within 2^-35 of the true
// value, and one rounding to f32 ends it: about 0.5 ULP. log2 and log10 take
// k·log_b(2) + log(m)·log_b(e); log1p takes f = x itself where 1 + x lies in
// [√½, √2) (k = 0), so small x lose nothing, and else m from 1 + x in f64,
// which is exact up to x = 2^29 and harmless above.
//
// float64, with a table of 128 entries (tools/log-table.mjs, written once at
// start-up), none of it needing an FMA:
//   x = 2^k·z, z in [0.6895, 1.3789),  c = 1/invc near z (c = 1 exactly for
//   the interval around 1),  r = z·invc − 1 exact as rHi + rLo,  |r| ≤ 2^-8
//   log_b(x) = k·K + log_b(c) + (r − r²·G(r))·C,   K = log_b(2), C = log_b(e)
// invc has 26 bits, so with z split 26 + 27 bits both partial products are
// exact; k·K_hi + log_b(c)_hi is exact too (both on a 2^-42 grid), and so is
// adding r·C_hi to it (Fast2Sum: that sum is larger except where it is 0).
// Only the last addition rounds at full size; the rest is below 2^-60 of the
// result: about 0.51 ULP. log1p adds the rounding error e of u = 1 + x
// (TwoSum) as e/u ≈ e·invc·2^-k·(1 − r).
//
// The fast path takes positive normal finite x (log1p: x > −1, finite); the
// map driver sends steps with any other x, NaN included (its payload would
// reach the exponent arithmetic), to `redo`, which scales subnormal x by 2^23
// or 2^52 and sets the special values: log_b(0) = −∞, log_b(x < 0) = NaN,
// log_b(+∞) = +∞; log1p(−1) = −∞, log1p(x < −1) = NaN, log1p(±0) = ±0.

/** What logF64 takes the log of, as a compile-time constant. */
const enum Mode {
  /** log_b(x). */
  Plain = 0,
  /** log(1 + x): 1 + x as a double word (TwoSum), its low word added as e/u. */
  Log1p = 1,
  /** log(2^j·h) + extra (inverse hyperbolic ops: extra is l/h of a double word h + l). */
  Words = 2,
  /** ln x as a double word, to about 2^-68 (pow: powTail). */
  Pow = 3,
}

/** The base of a log op, as a compile-time constant. */
export const enum Base {
  E = 0,
  Two = 1,
  Ten = 2,
}

@final @unmanaged export class Log {
  @inline apply<T, V>(a: V, b: V): V { return logOf<T, V>(a, Base.E, false); }
  @inline usual<T>(a: v128): v128 { return positiveNormal<T>(a); }
  @inline usualOne<T>(a: T): bool { return positiveNormalOne<T>(a); }
  @inline redo<T, V>(a: V, b: V): V { return logOf<T, V>(a, Base.E, true); }
}

@final @unmanaged export class Log2 {
  @inline apply<T, V>(a: V, b: V): V { return logOf<T, V>(a, Base.Two, false); }
  @inline usual<T>(a: v128): v128 { return positiveNormal<T>(a); }
  @inline usualOne<T>(a: T): bool { return positiveNormalOne<T>(a); }
  @inline redo<T, V>(a: V, b: V): V { return logOf<T, V>(a, Base.Two, true); }
}

@final @unmanaged export class Log10 {
  @inline apply<T, V>(a: V, b: V): V { return logOf<T, V>(a, Base.Ten, false); }
  @inline usual<T>(a: v128): v128 { return positiveNormal<T>(a); }
  @inline usualOne<T>(a: T): bool { return positiveNormalOne<T>(a); }
  @inline redo<T, V>(a: V, b: V): V { return logOf<T, V>(a, Base.Ten, true); }
}

@final @unmanaged export class Log1p {
  @inline apply<T, V>(a: V, b: V): V { return log1pOf<T, V>(a, false); }
  @inline usual<T>(a: v128): v128 {
    return v128.and(v128.gt<T>(a, konst<T, v128>(Slot.MinusOne)), v128.le<T>(a, konst<T, v128>(Slot.MaxFinite)));
  }
  @inline usualOne<T>(a: T): bool { return a > konst<T, T>(Slot.MinusOne) && a <= konst<T, T>(Slot.MaxFinite); }
  @inline redo<T, V>(a: V, b: V): V { return log1pOf<T, V>(a, true); }
}

/** Lanes of a holding a positive normal finite value (NaN fails). */
@inline function positiveNormal<T>(a: v128): v128 {
  return v128.and(v128.ge<T>(a, konst<T, v128>(Slot.MinNormal)), v128.le<T>(a, konst<T, v128>(Slot.MaxFinite)));
}

@inline function positiveNormalOne<T>(a: T): bool {
  return a >= konst<T, T>(Slot.MinNormal) && a <= konst<T, T>(Slot.MaxFinite);
}

/** The slot of constant `which` (BaseSlot) of a base. */
@inline function baseSlot(base: Base, which: BaseSlot): Slot {
  return <Slot>(<i32>Slot.LogBases + <i32>base * <i32>BaseSlot.Count + <i32>which);
}

/** Per base, in this order from Slot.LogBases (f64 halves; the f32 halves are unused). */
const enum BaseSlot {
  /** log_b(2) to 42 bits, and the rest (float64). */
  KHi,
  KLo,
  /** log_b(e) to 26 bits, and the rest (float64). */
  CHi,
  CLo,
  /** log_b(2) and log_b(e) rounded (float32, in f64 lanes). */
  K,
  C,
  Count,
}

@inline function logOf<T, V>(x: V, base: Base, full: bool): V {
  let y: V;
  if (sizeof<T>() == 4) y = logF32<V>(x, base, full);
  else y = logF64<V>(x, base, Mode.Plain, full);
  if (full) y = specials<T, V>(x, y, false);
  return y;
}

@inline function log1pOf<T, V>(x: V, full: bool): V {
  let y: V;
  if (sizeof<T>() == 4) y = log1pF32<V>(x);
  else y = logF64<V>(x, Base.E, Mode.Log1p, false);
  if (full) y = specials<T, V>(x, y, true);
  return y;
}

/**
 * The special values over y computed for ordinary x: at the pole (0, or −1
 * for log1p) −∞, below it NaN, +∞ and NaN themselves. log1p(±0) = ±0 is
 * already right (log1pF64 and log1pF32 keep the sign).
 */
@inline export function specials<T, V>(x: V, y: V, log1p: bool): V {
  if (isVector<V>()) {
    const pole = log1p ? konst<T, v128>(Slot.MinusOne) : v128.splat<T>(0);
    y = v128.bitselect(konst<T, v128>(Slot.NegInfinity), y, v128.eq<T>(x, pole));
    y = v128.bitselect(konst<T, v128>(Slot.QuietNaN), y, v128.lt<T>(x, pole));
    return v128.bitselect(x, y, v128.not(v128.le<T>(x, konst<T, v128>(Slot.MaxFinite))));
  } else {
    const pole: T = log1p ? -1 : 0;
    if (x == pole) return konst<T, T>(Slot.NegInfinity);
    if (x < pole) return konst<T, T>(Slot.QuietNaN);
    if (!(x <= konst<T, T>(Slot.MaxFinite))) return x;
    return y;
  }
}

// ---------------------------------------------------------------------------
// float32, in f64 lanes.

/** log_b(1 + f) in f64 for f = m − 1 (W = f64, or v128 of f64). */
@inline function log1pCore<W>(f: W, base: Base): W {
  const two = add<f64, W>(konst<f64, W>(Slot.One), konst<f64, W>(Slot.One));
  const s = div64<W>(f, add<f64, W>(two, f));
  const w = mul<f64, W>(s, s);
  // Q(w) with 2·atanh(s) = 2s + 2s·w·Q(w): tools/fits.mjs log_atanh_f64_for_f32 deg 3,
  // within 2^-29.1 of Q, so within 2^-35.7 of 2·atanh(s) (relative).
  const q = horner<f64, W>(w, Slot.LogQ0, 3);
  const s2 = add<f64, W>(s, s);
  const l = madd<f64, W>(mul<f64, W>(s2, w), q, s2);
  if (base == Base.E) return l;
  return mul<f64, W>(l, konst<f64, W>(baseSlot(base, BaseSlot.C)));
}

/** k·log_b(2) + l in f64: |k·K| ≥ 2|l| where k ≠ 0, so the sum loses at most a bit, far below f32's. */
@inline function addK<W>(kd: W, l: W, base: Base): W {
  return madd<f64, W>(kd, konst<f64, W>(baseSlot(base, BaseSlot.K)), l);
}

@inline function div64<W>(a: W, b: W): W {
  if (isVector<W>()) return f64x2.div(a, b);
  else return a / b;
}

/** float32 log_b; `full` also takes subnormal x (special values are set after). */
@inline function logF32<V>(x: V, base: Base, full: bool): V {
  if (isVector<V>()) {
    let u = x;
    let kAdjust = i32x4.splat(0);
    if (full) {
      // Subnormal x: scale by 2^23 (exact), take 23 off k.
      const tiny = f32x4.lt(x, konst<f32, v128>(Slot.MinNormal));
      u = v128.bitselect(f32x4.mul(x, konst<f32, v128>(Slot.LogSubnormalScale)), x, tiny);
      kAdjust = v128.and(tiny, konstBits<f32>(Slot.LogSubnormalK));
    }
    // x = 2^k·m, m in [√½, √2): m's pattern is u − k·2^23.
    const tmp = i32x4.sub(u, konstBits<f32>(Slot.LogOffset));
    const k0 = i32x4.shr_s(tmp, 23);
    const m = i32x4.sub(u, i32x4.shl(k0, 23));
    const k = i32x4.add(k0, kAdjust);
    const one = konst<f64, v128>(Slot.One);
    const kHigh = v128.shuffle<i32>(k, k, 2, 3, 2, 3);
    const yLow = addK<v128>(f64x2.convert_low_i32x4_s(k), log1pCore<v128>(f64x2.sub(widenLow<f32>(m), one), base), base);
    const yHigh = addK<v128>(f64x2.convert_low_i32x4_s(kHigh), log1pCore<v128>(f64x2.sub(widenHigh<f32>(m), one), base), base);
    return narrow(yLow, yHigh);
  } else {
    let u = reinterpret<i32>(x);
    let kAdjust = 0;
    if (full && x < konst<f32, f32>(Slot.MinNormal)) {
      u = reinterpret<i32>(x * konst<f32, f32>(Slot.LogSubnormalScale));
      kAdjust = reinterpret<i32>(konst<f32, f32>(Slot.LogSubnormalK));
    }
    const tmp = u - reinterpret<i32>(konst<f32, f32>(Slot.LogOffset));
    const k0 = tmp >> 23;
    const m = reinterpret<f32>(u - (k0 << 23));
    return <f32>addK<f64>(<f64>(k0 + kAdjust), log1pCore<f64>(<f64>m - 1.0, base), base);
  }
}

/** float32 log1p for x > −1 (special values are set after). */
@inline function log1pF32<V>(x: V): V {
  if (isVector<V>()) return narrow(log1pWide<v128>(widenLow<f32>(x)), log1pWide<v128>(widenHigh<f32>(x)));
  else return <f32>log1pWide<f64>(<f64>x);
}

/**
 * ln(1 + x) in f64 (W = f64, or v128 of f64) for a finite f64 x > −1, within
 * 2^-35 of it (relative): float32's log1p, and the inverse hyperbolic ops'
 * float32 math. u = 1 + x rounds (exactly, for float32 x below 2^29); where
 * k = 0, f = x itself, so small x lose nothing, and elsewhere log1p(x) > 0.34
 * and u's rounding costs 2^-53 absolute. log1pWide(±0) = ±0.
 */
@inline export function log1pWide<W>(x: W): W {
  return logWideOf<W>(add<f64, W>(konst<f64, W>(Slot.One), x), x, true);
}

/**
 * ln(u) in f64 for a positive normal finite f64 u, as log1pWide: within
 * 2^-35 of ln(m) for u = 2^k·m, m in [√½, √2), plus k·ln2 to 2^-53 (float32 pow).
 */
@inline export function logWide<W>(u: W): W {
  return logWideOf<W>(u, u, false);
}

/** ln(u), m − 1 exact; log1p (u = 1 + x) takes f = x itself where k = 0. */
@inline function logWideOf<W>(u: W, x: W, log1p: bool): W {
  const one = konst<f64, W>(Slot.One);
  if (isVector<W>()) {
    const tmp = i64x2.sub(u, konstBits<f64>(Slot.LogOffsetF32));
    const kd = exponentOf(tmp);
    let f = f64x2.sub(i64x2.sub(u, v128.and(tmp, konstBits<f64>(Slot.LogExponentMask))), one);
    if (!log1p) return addK<v128>(kd, log1pCore<v128>(f, Base.E), Base.E);
    const kZero = f64x2.eq(kd, f64x2.splat(0));
    f = v128.bitselect(x, f, kZero);
    const l = log1pCore<v128>(f, Base.E);
    // k = 0: l alone, so that log1p(−0) = −0 (0·ln2 + −0 would be +0).
    return v128.bitselect(l, addK<v128>(kd, l, Base.E), kZero);
  } else {
    const tmp = reinterpret<i64>(u) - reinterpret<i64>(konst<f64, f64>(Slot.LogOffsetF32));
    const k = tmp >> 52;
    if (log1p && k == 0) return log1pCore<W>(x, Base.E);
    const f = reinterpret<f64>(reinterpret<i64>(u) - (k << 52)) - 1.0;
    return <W>addK<f64>(<f64>k, log1pCore<f64>(f, Base.E), Base.E);
  }
}

/**
 * ln x in float64 for x positive and finite (`full`: subnormal x too), as a
 * double word: returns the high word and leaves the low one for lowWordOf
 * (simd/double.ts). Within about 2^-68 of ln x, relative (powTail): pow's
 * y·ln x, up to 745 in size, needs 2^-60 absolute.
 */
@inline export function logPow<V>(x: V, full: bool): V {
  return logF64<V>(x, Base.E, Mode.Pow, full);
}

/**
 * ln(2^j·h) + extra in float64, for h positive, normal and finite, j = 0 or
 * 1 (as f64 lanes) and |extra| ≤ 2^-50: about 0.51 ULP, as log. With extra =
 * l/h it is ln(2^j·(h + l)) for a double word h + l (the l²/h² it leaves out
 * is below 2^-100): the inverse hyperbolic ops' argument, past f64's precision.
 */
@inline export function logWords<V>(h: V, extra: V, j: V): V {
  return logF64<V>(h, Base.E, Mode.Words, false, extra, j);
}

// ---------------------------------------------------------------------------
// float64, with the table.

/**
 * float64 log_b of x (Log1p: of 1 + x; Words: of 2^j·x, plus low); `full`
 * also takes subnormal x (special values are set after).
 */
@inline function logF64<V>(x: V, base: Base, mode: Mode, full: bool, low: V = x, j: V = x): V {
  const one = konst<f64, V>(Slot.One);
  const log1p = mode == Mode.Log1p;
  const hasExtra = mode == Mode.Log1p || mode == Mode.Words;
  let u = x;
  let e: V = low; // Log1p: the rounding error of 1 + x; Words: the extra
  if (log1p) {
    // u + e = 1 + x exactly (TwoSum).
    u = add<f64, V>(one, x);
    e = sumError<V>(one, x, u);
  }
  if (isVector<V>()) {
    let tiny = v128.splat<i32>(0);
    if (full) {
      // Subnormal x: scale by 2^52 (exact), take 52 off k.
      tiny = f64x2.lt(u, konst<f64, v128>(Slot.MinNormal));
      u = v128.bitselect(f64x2.mul(u, konst<f64, v128>(Slot.LogSubnormalScale)), u, tiny);
    }
    // x = 2^k·z: z's pattern is u − k·2^52; the entry is bits 45..51 of u − OFF.
    const tmp = i64x2.sub(u, konstBits<f64>(Slot.LogOffset));
    const z = i64x2.sub(u, v128.and(tmp, konstBits<f64>(Slot.LogExponentMask)));
    let kd = exponentOf(tmp);
    if (full) kd = f64x2.add(kd, v128.and(tiny, konst<f64, v128>(Slot.LogSubnormalK)));
    if (mode == Mode.Words) kd = f64x2.add(kd, j);
    const table = tableAddress(Table.Log);
    const e0 = table + (<usize>((<u32>i32x4.extract_lane(tmp, 1) >> 13) & 127) << 6);
    const e1 = table + (<usize>((<u32>i32x4.extract_lane(tmp, 3) >> 13) & 127) << 6);
    const invc = v128.load64_lane(e1, v128.load64_zero(e0), 1);
    const pair0 = v128.load(e0 + 16 + 16 * <usize>base);
    const pair1 = v128.load(e1 + 16 + 16 * <usize>base);
    const logcHi = v128.shuffle<i64>(pair0, pair1, 0, 2);
    const logcLo = v128.shuffle<i64>(pair0, pair1, 1, 3);
    if (mode == Mode.Pow) return powTail<v128>(z, invc, logcHi, logcLo, kd);
    if (!hasExtra) return logTail<v128>(z, invc, logcHi, logcLo, kd, base, x, x, false, false);
    if (!log1p) return logTail<v128>(z, invc, logcHi, logcLo, kd, base, x, e, true, false);
    // e/u = e·invc·2^-k·(1 − r + …), 1 − r = 2 − z·invc; 2^-k from min(k, 1000),
    // as e/u is below 2^-999 past that.
    // (1023 − min(k, 1000))·2^52, from k in the high 32 bits of tmp (no subnormal x here).
    const kClamped = i32x4.min_s(i32x4.shr_s(tmp, 20), i32x4.splat(1000));
    const scale = v128.and(i32x4.shl(i32x4.sub(i32x4.splat(1023), kClamped), 20), konstBits<f64>(Slot.LogExponentMask));
    const extra = log1pExtra<v128>(e, invc, scale, z);
    const near0 = f64x2.lt(f64x2.abs(x), konst<f64, v128>(Slot.Log1pNearZero));
    const y = logTail<v128>(z, invc, logcHi, logcLo, kd, base, x, extra, true, true, near0);
    // log1p(±0) = ±0: 0 + −0 would be +0.
    return v128.bitselect(x, y, f64x2.eq(x, f64x2.splat(0)));
  } else {
    let bits = reinterpret<i64>(u);
    let kAdjust: i64 = 0;
    if (full && u < konst<f64, f64>(Slot.MinNormal)) {
      bits = reinterpret<i64>(u * konst<f64, f64>(Slot.LogSubnormalScale));
      kAdjust = -52;
    }
    const tmp = bits - reinterpret<i64>(konst<f64, f64>(Slot.LogOffset));
    const k0 = tmp >> 52;
    const z = reinterpret<f64>(bits - (k0 << 52));
    const k = k0 + kAdjust;
    const entry = tableAddress(Table.Log) + (<usize>((<u64>tmp >> 45) & 127) << 6);
    const invc = load<f64>(entry);
    const logcHi = load<f64>(entry + 16 + 16 * <usize>base);
    const logcLo = load<f64>(entry + 24 + 16 * <usize>base);
    let kd = reinterpret<f64>(k + reinterpret<i64>(konst<f64, f64>(Slot.Shifter))) - konst<f64, f64>(Slot.Shifter);
    if (mode == Mode.Words) kd += <f64>j;
    if (mode == Mode.Pow) return <V>powTail<f64>(z, invc, logcHi, logcLo, kd);
    if (!hasExtra) return <V>logTail<f64>(z, invc, logcHi, logcLo, kd, base, 0, 0, false, false);
    if (!log1p) return <V>logTail<f64>(z, invc, logcHi, logcLo, kd, base, <f64>x, <f64>e, true, false);
    const scale = reinterpret<f64>((1023 - min<i64>(k, 1000)) << 52);
    const extra = log1pExtra<f64>(<f64>e, invc, scale, z);
    const near0: f64 = abs<f64>(<f64>x) < konst<f64, f64>(Slot.Log1pNearZero) ? 1 : 0;
    const y = logTail<f64>(z, invc, logcHi, logcLo, kd, base, <f64>x, extra, true, true, near0);
    return x == 0 ? x : <V>y;
  }
}

/** e/u for log1p, u = 2^k·z: e·invc·2^-k·(1 − r), 1 − r = 2 − z·invc (the r² term is below 2^-16 of it). */
@inline function log1pExtra<W>(e: W, invc: W, scale: W, z: W): W {
  const one = konst<f64, W>(Slot.One);
  const oneMinusR = sub<f64, W>(add<f64, W>(one, one), mul<f64, W>(z, invc));
  return mul<f64, W>(mul<f64, W>(e, scale), mul<f64, W>(invc, oneMinusR));
}

/**
 * log_b(2^k·z) from z's table entry, plus `extra` (hasExtra: e/u, the low
 * word's share). log1p, where near0 holds (|x| < 2^-9: there z = 1 + x
 * rounded, c = 1, k = 0), takes r = x itself, exact, and no extra: e/u
 * would be as large as the result.
 */
@inline function logTail<W>(z: W, invc: W, logcHi: W, logcLo: W, kd: W, base: Base, x: W, extra: W, hasExtra: bool, log1p: bool, near0: W = z): W {
  // z = zHi + zLo, 26 + 27 bits: zHi·invc and zLo·invc are exact.
  const zHi = highHalf<W>(z);
  const zLo = sub<f64, W>(z, zHi);
  // t = zHi·invc − 1 is exact (an exact product near 1, minus 1: Sterbenz), fused or not.
  const t = madd<f64, W>(zHi, invc, konst<f64, W>(Slot.MinusOne));
  const p = mul<f64, W>(zLo, invc);
  // r = rHi + rLo = t + p exactly (TwoSum).
  let rHi = add<f64, W>(t, p);
  let rLo = sumError<W>(t, p, rHi);
  if (log1p) {
    rHi = choose<W>(x, rHi, near0);
    rLo = choose<W>(konst<f64, W>(Slot.Zero), rLo, near0);
    extra = choose<W>(konst<f64, W>(Slot.Zero), extra, near0);
  }
  // w = k·K_hi + log_b(c)_hi: exact (both on a 2^-42 grid, |w| < 2^11), fused or not.
  const w = madd<f64, W>(kd, konst<f64, W>(baseSlot(base, BaseSlot.KHi)), logcHi);
  // a1 + a2 = rHi·C_hi exactly: rHi split 26 + 27 bits, C_hi has 26.
  let a1 = rHi;
  let a2 = rHi;
  if (base != Base.E) {
    const r1 = highHalf<W>(rHi);
    const cHi = konst<f64, W>(baseSlot(base, BaseSlot.CHi));
    a1 = mul<f64, W>(r1, cHi);
    a2 = mul<f64, W>(sub<f64, W>(rHi, r1), cHi);
  }
  // hi + lo = w + a1 exactly (Fast2Sum: |w| ≥ |a1| wherever w ≠ 0).
  const hi = add<f64, W>(w, a1);
  const lo = add<f64, W>(sub<f64, W>(w, hi), a1);
  // log1p(r) − r = −r²·G(r): tools/fits.mjs log1p_tab128_f64 deg 5, G within
  // 2^-54.6 (relative), so log1p(r) within 2^-63.5: G0 = 1/2 exactly.
  const g = horner<f64, W>(rHi, Slot.LogG0, 5);
  const r2 = mul<f64, W>(rHi, rHi);
  // The small terms, each far below ulp(hi)·2^8 (their roundings cost < 2^-60 of the result).
  let small = madd<f64, W>(kd, konst<f64, W>(baseSlot(base, BaseSlot.KLo)), add<f64, W>(lo, logcLo));
  if (base == Base.E) {
    small = add<f64, W>(small, rLo);
    small = madd<f64, W>(neg64<W>(r2), g, small);
  } else {
    // r·C − a1 = a2 + rHi·C_lo + rLo·C; the polynomial times C (to f64).
    small = add<f64, W>(small, a2);
    small = madd<f64, W>(rHi, konst<f64, W>(baseSlot(base, BaseSlot.CLo)), small);
    small = madd<f64, W>(rLo, konst<f64, W>(baseSlot(base, BaseSlot.CHi)), small);
    small = madd<f64, W>(mul<f64, W>(neg64<W>(r2), konst<f64, W>(baseSlot(base, BaseSlot.C))), g, small);
  }
  if (hasExtra) small = add<f64, W>(small, extra);
  return add<f64, W>(hi, small);
}

/**
 * ln(2^k·z) as a double word from z's table entry (natural base), for pow:
 * log1p(r) = r − r²/2 + r³·H(r) with r = rHi + rLo exact (as logTail makes
 * it) and r²/2 exact too (Dekker), so that only r³·H (below 2^-25.6) and
 * the small terms round: within about 2^-68 of ln x, relative, where
 * logTail's r²·G reaches 2^-62 near 1. Returns the high word, keeps the low.
 */
@inline function powTail<W>(z: W, invc: W, logcHi: W, logcLo: W, kd: W): W {
  const zHi = highHalf<W>(z);
  // r = rHi + rLo = z·invc − 1 exactly, as in logTail.
  const t = madd<f64, W>(zHi, invc, konst<f64, W>(Slot.MinusOne));
  const p = mul<f64, W>(sub<f64, W>(z, zHi), invc);
  const rHi = add<f64, W>(t, p);
  const rLo = sumError<W>(t, p, rHi);
  // w = k·ln2_hi + ln(c)_hi exact (a 2^-42 grid); hi + lo = w + rHi exactly
  // (Fast2Sum: |w| ≥ |rHi| wherever w ≠ 0).
  const w = madd<f64, W>(kd, konst<f64, W>(baseSlot(Base.E, BaseSlot.KHi)), logcHi);
  const hi = add<f64, W>(w, rHi);
  const lo = fastSumError<W>(w, rHi, hi);
  // −r²/2 = q + qe: rHi² exact as sq + sqe, halved exactly; the rest of r² is 2·rHi·rLo.
  const half = konst<f64, W>(Slot.Half);
  const sq = mul<f64, W>(rHi, rHi);
  const q = neg64<W>(mul<f64, W>(sq, half));
  const qe = neg64<W>(madd<f64, W>(rHi, rLo, mul<f64, W>(squareError<W>(rHi, sq), half)));
  // hi2 + lo2 = hi + q exactly (Fast2Sum: |hi| ≥ 2^8·|q|, or both 0).
  const hi2 = add<f64, W>(hi, q);
  const lo2 = fastSumError<W>(hi, q, hi2);
  // H(r): tools/fits.mjs log_pow_tab128_f64 deg 5, within 2^-53.7 of H
  // (relative), so r³·H within 2^-71 of log1p(r).
  const h = horner<f64, W>(rHi, Slot.PowH0, 5);
  // The small terms: each at most 2^-17 of hi2, so their roundings cost 2^-70.
  let small = madd<f64, W>(kd, konst<f64, W>(baseSlot(Base.E, BaseSlot.KLo)), add<f64, W>(lo, logcLo));
  small = add<f64, W>(small, add<f64, W>(rLo, lo2));
  small = add<f64, W>(small, qe);
  small = madd<f64, W>(mul<f64, W>(sq, rHi), h, small);
  const y = add<f64, W>(hi2, small);
  keepLowWord<W>(fastSumError<W>(hi2, small, y));
  return y;
}

/**
 * k as f64 lanes from tmp = u − OFF (k = tmp >> 52, arithmetically): from the
 * high 32 bits with i32 shifts, as wasm's i64x2.shr_s is several instructions on x86.
 */
@inline function exponentOf(tmp: v128): v128 {
  const k = i32x4.shr_s(tmp, 20);
  return f64x2.convert_low_i32x4_s(v128.shuffle<i32>(k, k, 1, 3, 1, 3));
}

@inline function neg64<W>(a: W): W {
  if (isVector<W>()) return f64x2.neg(a);
  else return -a;
}

/** The log family's constants and the table (see simd/constants.ts). */
export function logConstants(): void {
  // f32: the pattern of √½ rounded down (0.70710677); f64: the table's OFF (0.689453125).
  define(Slot.LogOffset, 0x3f3504f3, 0x3fe6100000000000);
  // √½ (f64), for float32 log1p's 1 + x in f64 lanes.
  define(Slot.LogOffsetF32, 0, 0x3fe6a09e667f3bcd);
  // Subnormal x: 2^23 or 2^52, and −23 or −52 as integers of the lane width.
  define(Slot.LogSubnormalScale, 0x4b000000, 0x4330000000000000);
  // −23 as an i32 (float32), −52.0 as an f64 (float64).
  define(Slot.LogSubnormalK, <u32>-23, 0xc04a000000000000);
  define(Slot.LogExponentMask, 0, 0xfff0000000000000);
  // Clears the low 27 fraction bits: keeps 26 significant bits.
  define(Slot.MinusOne, 0xbf800000, 0xbff0000000000000);
  define(Slot.Zero, 0, 0);
  // log1p takes r = x below this |x| (f64): 2^-9, inside G's fit (|r| ≤ 2^-8).
  define(Slot.Log1pNearZero, 0, 0x3f60000000000000);
  define(Slot.NegInfinity, 0xff800000, 0xfff0000000000000);
  define(Slot.QuietNaN, 0x7fc00000, 0x7ff8000000000000);
  // Q(w), for float32 (f64 lanes): log_atanh_f64_for_f32 deg 3 (rounded: 2^-29.14 relative).
  define(Slot.LogQ0, 0, 0x3fd5555554ba9878); // 0.33333333277040067
  define(Slot.LogQ1, 0, 0x3fc9999eb898c7c8); // 0.20000061048045681
  define(Slot.LogQ2, 0, 0x3fc245c33e2fd4a2); // 0.14275398766009056
  define(Slot.LogQ3, 0, 0x3fbddd19c2e1fc7e); // 0.11665497787361009
  // G(r), for float64: log1p_tab128_f64 deg 5 (rounded: 2^-54.60 relative).
  define(Slot.LogG0, 0, 0x3fe0000000000000); // 0.5
  define(Slot.LogG1, 0, 0xbfd5555555555556); // -0.33333333333333337
  define(Slot.LogG2, 0, 0x3fcffffffff8cbd4); // 0.24999999998689637
  define(Slot.LogG3, 0, 0xbfc99999998efda9); // -0.19999999998070209
  define(Slot.LogG4, 0, 0x3fc5556c1bf444eb); // 0.16666938176107435
  define(Slot.LogG5, 0, 0xbfc2493bcb63b3f5); // -0.14285991126180844
  // H(r), for float64 pow: log_pow_tab128_f64 deg 5 (rounded: 2^-53.70 relative).
  define(Slot.PowH0, 0, 0x3fd5555555555555); // 0.33333333333333331
  define(Slot.PowH1, 0, 0xbfd0000000000000); // -0.25
  define(Slot.PowH2, 0, 0x3fc9999999967717); // 0.19999999999429782
  define(Slot.PowH3, 0, 0xbfc5555555503bb1); // -0.16666666665738952
  define(Slot.PowH4, 0, 0x3fc24936087ac977); // 0.14285922445339924
  define(Slot.PowH5, 0, 0xbfc000117cebfd82); // -0.12500208472918578
  // Per base (node tools/log-table.mjs prints them): K = log_b(2) = K_hi + K_lo
  // (K_hi to 42 bits), C = log_b(e) = C_hi + C_lo (C_hi to 26 bits), and both rounded.
  // ln: K_hi = 0.69314718055989033, K_lo = 5.4979230187083712e-14, C = 1.
  defineBase(Base.E, 0x3fe62e42fefa3800, 0x3d2ef35793c76730, 0x3ff0000000000000, 0, 0x3fe62e42fefa39ef, 0x3ff0000000000000);
  // log2: K = 1; C_hi = 1.4426950514316559, C_lo = -1.0542692476429138e-8, C = 1.4426950408889634.
  defineBase(Base.Two, 0x3ff0000000000000, 0, 0x3ff7154768000000, 0xbe46a3e80f444178, 0x3ff0000000000000, 0x3ff71547652b82fe);
  // log10: K_hi = 0.30102999566395283, K_lo = 2.8363394551044964e-14, C_hi = 0.43429448455572128,
  // C_lo = -2.6524694553078553e-9; K = 0.30102999566398120, C = 0.43429448190325182.
  defineBase(Base.Ten, 0x3fd34413509f7800, 0x3d1fef311f12b358, 0x3fdbcb7b18000000, 0xbe26c8d78e6acaa4, 0x3fd34413509f79ff, 0x3fdbcb7b1526e50e);
  writeLogTable(tableAddress(Table.Log));
}

function defineBase(base: Base, kHi: u64, kLo: u64, cHi: u64, cLo: u64, k: u64, c: u64): void {
  define(baseSlot(base, BaseSlot.KHi), 0, kHi);
  define(baseSlot(base, BaseSlot.KLo), 0, kLo);
  define(baseSlot(base, BaseSlot.CHi), 0, cHi);
  define(baseSlot(base, BaseSlot.CLo), 0, cLo);
  define(baseSlot(base, BaseSlot.K), 0, k);
  define(baseSlot(base, BaseSlot.C), 0, c);
}
