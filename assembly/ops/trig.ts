import { define, konst, Slot, tableAddress, Table } from "../simd/constants";
import { divideWords, fastSumError, highHalf, keepLowWord, lowWordOf, productError, sumError } from "../simd/double";
import { horner } from "../simd/poly";
import { absolute, add, div, flipSign, madd, mul, neg, shifter, signBit, sub } from "../simd/vec";
import { inF64Lanes } from "./exp2";
import { writeTwoOverPiTable } from "./trig-table";

// sin, cos and tan over <T, V>, faithfully rounded on all of T; sin and tan
// are odd (f(−0) = −0), cos is even. Both dtypes compute in f64 lanes, on
// |x| with the sign put back at the end.
//
// |x| = k·π/2 + r, |r| ≤ π/4, r as a double word hi + lo, and only k mod 4
// is kept (in the low bits of f = k + 1.5·2^52):
//   |x| < 2^20 (the fast path, per vector): Cody–Waite, k = round(|x|·2/π),
//     π/2 split into pieces of ≤ 33 bits (tools/trig-table.mjs), so that
//     k·P1 is exact for k < 2^20 and |x| − k·P1 too (Sterbenz). Then
//     r = a − k·(π/2 − P1): within 2^-66, which is enough for float32, and
//     for float64 where |r| ≥ 2^-8; a lane nearer a multiple of π/2 takes
//     threePieces (r within 2^-130, while no double below 2^20 comes within
//     2^-60 of a multiple of π/2);
//   the rest (the map driver's redo, lane by lane): Payne–Hanek, with 256
//     bits of 2/π from the 1216 that trig-table.ts holds, chosen by |x|'s
//     exponent so that the integer product (64-bit words) holds |x|·2/π mod 4
//     with 128 bits of fraction; r is that fraction times π/2 as a double
//     double. Infinities and NaN give NaN.
// Then, by k mod 4, ±sin(r) or ±cos(r), z = hi²:
//   sin(r) = hi − hi³/6 + hi⁵·Q(z) + lo·(1 − z/2), with hi³ from exact
//     products (26-bit halves) and −1/6 as a double word, so that the large
//     term −hi³/6 (up to 0.1 of the result) carries no rounding that shows;
//     Q within 2^-56 (tools/fits.mjs sin_tail_f64 deg 5), whose error reaches
//     the result times r⁴·|Q| ≤ 0.0032;
//   cos(r) = w + (((1 − w) − z/2) + (z²·C(z) − (hi·lo + ze/2))), w = 1 − z/2,
//     with z + ze = hi² and (1 − w) − z/2 w's rounding error, exactly; C
//     within 2^-54 (cos_poly_f64 deg 5), times z²·|C| ≤ 0.016.
// float32 takes hi alone and, in plain f64, sin(r) = hi + hi·z·S(z) and
// cos(r) = 1 − z/2 + z²·C(z) of degree 3 (sin_poly_f64_for_f32 and
// cos_poly_f64_for_f32, 2^-32.4 and 2^-34): within 2^-35, then rounded to
// f32 once. tan is sin/cos (−cos/sin for odd k): for float32 one f64
// division; for float64 the quotient of the two double words (divideWords).
// Measured maxima (test/ulp.test.ts): 0.50 (float32) and 0.58 (float64).

@final @unmanaged export class Sin {
  @inline oneVectorPerStep(): void {}
  @inline apply<T, V>(a: V, b: V): V { return trig<T, V>(a, Fn.Sin); }
  @inline usual<T>(a: v128): v128 { return usualTrig<T>(a); }
  @inline usualOne<T>(a: T): bool { return usualTrigOne<T>(a); }
  @inline redo<T, V>(a: V, b: V): V { return trigRedo<T, V>(a, Fn.Sin); }
}

@final @unmanaged export class Cos {
  @inline oneVectorPerStep(): void {}
  @inline apply<T, V>(a: V, b: V): V { return trig<T, V>(a, Fn.Cos); }
  @inline usual<T>(a: v128): v128 { return usualTrig<T>(a); }
  @inline usualOne<T>(a: T): bool { return usualTrigOne<T>(a); }
  @inline redo<T, V>(a: V, b: V): V { return trigRedo<T, V>(a, Fn.Cos); }
}

@final @unmanaged export class Tan {
  @inline oneVectorPerStep(): void {}
  @inline apply<T, V>(a: V, b: V): V { return trig<T, V>(a, Fn.Tan); }
  @inline usual<T>(a: v128): v128 { return usualTrig<T>(a); }
  @inline usualOne<T>(a: T): bool { return usualTrigOne<T>(a); }
  @inline redo<T, V>(a: V, b: V): V { return trigRedo<T, V>(a, Fn.Tan); }
}

const enum Fn { Sin, Cos, Tan }

/** The fast path's lanes: |x| < 2^20 (NaN fails). */
@inline function usualTrig<T>(a: v128): v128 {
  return v128.lt<T>(v128.abs<T>(a), konst<T, v128>(Slot.TrigFastBelow));
}

@inline function usualTrigOne<T>(a: T): bool {
  return abs<T>(a) < konst<T, T>(Slot.TrigFastBelow);
}

@inline function trig<T, V>(a: V, fn: Fn): V {
  if (sizeof<T>() == 4) {
    if (fn == Fn.Sin) return inF64Lanes<V, SinCore>(a);
    if (fn == Fn.Cos) return inF64Lanes<V, CosCore>(a);
    return inF64Lanes<V, TanCore>(a);
  }
  return trigFast<V>(a, fn, false);
}

@final @unmanaged class SinCore { @inline of<W>(x: W): W { return trigFast<W>(x, Fn.Sin, true); } }
@final @unmanaged class CosCore { @inline of<W>(x: W): W { return trigFast<W>(x, Fn.Cos, true); } }
@final @unmanaged class TanCore { @inline of<W>(x: W): W { return trigFast<W>(x, Fn.Tan, true); } }

/** fn(x) in f64 lanes for |x| < 2^20: Cody–Waite, then the polynomials. narrow: for a float32 result. */
@inline function trigFast<W>(x: W, fn: Fn, narrow: bool): W {
  const ax = absolute<f64, W>(x);
  const f = add<f64, W>(mul<f64, W>(ax, konst<f64, W>(Slot.TwoOverPi)), konst<f64, W>(Slot.Shifter));
  const k = sub<f64, W>(f, konst<f64, W>(Slot.Shifter));
  const a = sub<f64, W>(ax, mul<f64, W>(k, konst<f64, W>(Slot.HalfPi1)));
  // Two pieces, π/2 = P1 + (π/2 − P1 rounded): r within 2^-66 absolute, and
  // Fast2Sum keeps its low word (|a| > 2^-9 > |k·(π/2 − P1)|). Enough for
  // float32, and for float64 where |r| ≥ 2^-8 (2^-58 relative).
  const w = mul<f64, W>(k, konst<f64, W>(Slot.HalfPi1Rest));
  const hi = sub<f64, W>(a, w);
  if (narrow) return ofReduced<W>(x, f, hi, hi, fn, narrow);
  const lo = sub<f64, W>(sub<f64, W>(a, hi), w);
  // Nearer a multiple of π/2 (rare), the lane takes the last two pieces too.
  if (isVector<W>()) {
    const nearer = f64x2.lt(v128.abs<f64>(hi), konst<f64, v128>(Slot.TrigNearMultiple));
    if (v128.any_true(nearer)) {
      const h = threePieces<v128>(ax, k, a);
      return ofReduced<W>(x, f, v128.bitselect(h, hi, nearer), v128.bitselect(lowWordOf<v128>(), lo, nearer), fn, narrow);
    }
  } else if (abs<f64>(<f64>hi) < konst<f64, f64>(Slot.TrigNearMultiple)) {
    const h = threePieces<W>(ax, k, a);
    return ofReduced<W>(x, f, h, lowWordOf<W>(), fn, narrow);
  }
  return ofReduced<W>(x, f, hi, lo, fn, narrow);
}

/**
 * r = a − k·(P2 + P3 + P4) for a = |x| − k·P1, k < 2^20: k·P2 and k·P3
 * exact, both subtractions kept exact as double words (TwoSum); what is left
 * is k·P4's rounding and π/2's own 2^-160: r within 2^-130, while no double
 * below 2^20 comes within 2^-60 of a multiple of π/2. Returns the high word,
 * keeps the low (keepLowWord).
 */
@inline function threePieces<W>(ax: W, k: W, a: W): W {
  const b = neg<f64, W>(mul<f64, W>(k, konst<f64, W>(Slot.HalfPi2)));
  const s1 = add<f64, W>(a, b);
  const c = neg<f64, W>(mul<f64, W>(k, konst<f64, W>(Slot.HalfPi3)));
  const s2 = add<f64, W>(s1, c);
  const tail = sub<f64, W>(add<f64, W>(sumError<W>(a, b, s1), sumError<W>(s1, c, s2)), mul<f64, W>(k, konst<f64, W>(Slot.HalfPi4)));
  const hi = add<f64, W>(s2, tail);
  keepLowWord<W>(fastSumError<W>(s2, tail, hi));
  return hi;
}

/**
 * fn(x) from |x| = k·π/2 + hi + lo, with k mod 4 in f's low bits: sin or
 * cos of r by k's parity, negated by k's second bit, and for sin and tan
 * x's sign put back.
 */
@inline function ofReduced<W>(x: W, f: W, hi: W, lo: W, fn: Fn, narrow: bool): W {
  const z = mul<f64, W>(hi, hi);
  let s: W, c: W, sLow = lo, cLow = lo; // the low words: float64 only
  if (narrow) {
    s = madd<f64, W>(mul<f64, W>(hi, z), sinPoly<W>(z), hi);
    c = madd<f64, W>(z, madd<f64, W>(z, cosPoly<W>(z, true), konst<f64, W>(Slot.MinusHalf)), konst<f64, W>(Slot.One));
  } else {
    // z + ze = hi² and p + pe = hi·z, both exact to far below what counts,
    // from 26-bit halves (highHalf); hi³ = p + pe + hi·ze.
    const hh = highHalf<W>(hi), hl = sub<f64, W>(hi, hh);
    const ze = madd<f64, W>(hl, hl, madd<f64, W>(add<f64, W>(hh, hh), hl, madd<f64, W>(hh, hh, neg<f64, W>(z))));
    const p = mul<f64, W>(hi, z);
    const zh = highHalf<W>(z), zl = sub<f64, W>(z, zh);
    const pe = madd<f64, W>(hl, zl, madd<f64, W>(hl, zh, madd<f64, W>(hh, zl, madd<f64, W>(hh, zh, neg<f64, W>(p)))));
    // −p/6 = c0 + c1 + p·S0l exactly: −1/6 = S0h + S0l with S0h of 26 bits, so
    // both halves of p times S0h are exact.
    const ph = highHalf<W>(p);
    const s0h = konst<f64, W>(Slot.SinS0Hi);
    const c0 = mul<f64, W>(ph, s0h);
    const c1 = mul<f64, W>(sub<f64, W>(p, ph), s0h);
    // lo·cos(hi) ≈ lo·(1 − z/2): lo·z/2 is up to 0.15 ULP.
    const loTerm = madd<f64, W>(mul<f64, W>(lo, z), konst<f64, W>(Slot.MinusHalf), lo);
    const cubic = madd<f64, W>(madd<f64, W>(hi, ze, pe), s0h, madd<f64, W>(p, madd<f64, W>(z, sinTail<W>(z), konst<f64, W>(Slot.SinS0Lo)), c1));
    const s0 = add<f64, W>(hi, c0);
    const sTail = add<f64, W>(add<f64, W>(fastSumError<W>(hi, c0, s0), loTerm), cubic);
    s = add<f64, W>(s0, sTail);
    sLow = fastSumError<W>(s0, sTail, s);
    const hz = mul<f64, W>(z, konst<f64, W>(Slot.Half));
    const w = sub<f64, W>(konst<f64, W>(Slot.One), hz);
    const wError = sub<f64, W>(sub<f64, W>(konst<f64, W>(Slot.One), w), hz);
    const small = madd<f64, W>(ze, konst<f64, W>(Slot.Half), mul<f64, W>(hi, lo));
    const cTail = add<f64, W>(wError, sub<f64, W>(mul<f64, W>(mul<f64, W>(z, z), cosPoly<W>(z, false)), small));
    c = add<f64, W>(w, cTail);
    cLow = fastSumError<W>(w, cTail, c);
  }
  if (fn == Fn.Cos) {
    // cos(k·π/2 + r): cos r, −sin r, −cos r, sin r: the sign is bit 1 of k + 1, bit 1 ⊕ bit 0 of k.
    return flipSign<W>(byBit<W>(f, 0, s, c), cosSign<W>(f));
  }
  let y: W;
  if (fn == Fn.Sin) {
    // sin(k·π/2 + r): sin r, cos r, −sin r, −cos r.
    y = flipSign<W>(byBit<W>(f, 0, c, s), signOfBit<W>(f, 1));
  } else {
    // tan(k·π/2 + r): tan r for even k, −1/tan r for odd k.
    const num = byBit<W>(f, 0, c, s), den = byBit<W>(f, 0, s, c);
    let q: W;
    if (narrow) q = div<f64, W>(num, den);
    else q = divideWords<W>(num, byBit<W>(f, 0, cLow, sLow), den, byBit<W>(f, 0, sLow, cLow));
    y = flipSign<W>(q, signOfBit<W>(f, 0));
  }
  return flipSign<W>(y, signBit<W>(x));
}

/** S(z), float32's sin(r) = r + r·z·S(z) (tools/fits.mjs sin_poly_f64_for_f32 deg 3). */
@inline function sinPoly<W>(z: W): W {
  return horner<f64, W>(z, Slot.SinF0, 3);
}

/** Q(z), float64's sin(r) = r − r³/6 + r⁵·Q(z) (tools/fits.mjs sin_tail_f64 deg 5). */
@inline function sinTail<W>(z: W): W {
  return horner<f64, W>(z, Slot.SinQ0, 5);
}

/** C(z), cos(r) = 1 − z/2 + z²·C(z) (tools/fits.mjs cos_poly_f64 deg 5, or cos_poly_f64_for_f32 deg 3). */
@inline function cosPoly<W>(z: W, narrow: bool): W {
  if (narrow) return horner<f64, W>(z, Slot.CosF0, 3);
  return horner<f64, W>(z, Slot.CosC0, 5);
}

/** whenSet where bit `bit` of f's pattern is set, else whenClear. */
@inline function byBit<W>(f: W, bit: i32, whenSet: W, whenClear: W): W {
  if (isVector<W>()) return v128.bitselect(whenSet, whenClear, i64x2.shr_s(i64x2.shl(f, 63 - bit), 63));
  return (reinterpret<u64>(<f64>f) >> bit) & 1 ? whenSet : whenClear;
}

/** The sign bit alone where bit `bit` of f's pattern is set, else +0. */
@inline function signOfBit<W>(f: W, bit: i32): W {
  if (isVector<W>()) return v128.and(i64x2.shl(f, 63 - bit), konst<f64, v128>(Slot.NegativeZero));
  return <W>reinterpret<f64>(((reinterpret<u64>(<f64>f) >> bit) & 1) << 63);
}

/** The sign bit alone where bit 1 ⊕ bit 0 of f's pattern is set (no constant: V8 12 rebuilds a splat at each use). */
@inline function cosSign<W>(f: W): W {
  if (isVector<W>()) return v128.and(v128.xor(i64x2.shl(f, 62), i64x2.shl(f, 63)), konst<f64, v128>(Slot.NegativeZero));
  const bits = reinterpret<u64>(<f64>f);
  return <W>reinterpret<f64>(((bits ^ (bits >> 1)) & 1) << 63);
}

/** The rare path, lane by lane: Payne–Hanek past 2^20, NaN for ±∞ and NaN. */
@inline function trigRedo<T, V>(a: V, fn: Fn): V {
  if (isVector<V>()) {
    if (sizeof<T>() == 4) {
      let r = f32x4.replace_lane(a, 0, <f32>trigOne(<f64>f32x4.extract_lane(a, 0), fn, true));
      r = f32x4.replace_lane(r, 1, <f32>trigOne(<f64>f32x4.extract_lane(a, 1), fn, true));
      r = f32x4.replace_lane(r, 2, <f32>trigOne(<f64>f32x4.extract_lane(a, 2), fn, true));
      return f32x4.replace_lane(r, 3, <f32>trigOne(<f64>f32x4.extract_lane(a, 3), fn, true));
    }
    const r = f64x2.replace_lane(a, 0, trigOne(f64x2.extract_lane(a, 0), fn, false));
    return f64x2.replace_lane(r, 1, trigOne(f64x2.extract_lane(a, 1), fn, false));
  }
  if (sizeof<T>() == 4) return <V><f32>trigOne(<f64><f32>a, fn, true);
  return <V>trigOne(<f64>a, fn, false);
}

/** fn(x) for any x, out of line (the rare path). */
function trigOne(x: f64, fn: Fn, narrow: bool): f64 {
  const ax = abs<f64>(x);
  if (!(ax < konst<f64, f64>(Slot.Infinity))) return x - x;
  if (ax < konst<f64, f64>(Slot.TrigFastBelow)) return trigFast<f64>(x, fn, narrow);
  const hi = payneHanek(ax);
  const f = reinterpret<f64>(reinterpret<u64>(shifter<f64>()) + <u64>reducedQuadrant);
  return ofReduced<f64>(x, f, hi, reducedLow, fn, narrow);
}

// payneHanek's second and third results (one module instance per thread).
let reducedLow: f64 = 0;
let reducedQuadrant: u32 = 0;

/**
 * ax = k·π/2 + r for finite ax ≥ 2^20: returns r's high word, and keeps its
 * low word and k mod 4 in reducedLow and reducedQuadrant.
 *
 * ax = m·2^e (m the 53-bit integer significand). Bits j ≤ e − 2 of
 * 2/π = Σ b_j 2^-j add multiples of 4 to ax·2/π, so the window of 256 bits
 * starts at j₀ = e − 1 − s, s = (e − 2) mod 32 (word-aligned), and
 * ax·2/π ≡ (m·W)·2^(s − 254) mod 4 for W the window as an integer, to within
 * 2^-170. Of m·W (four 64-bit limbs L0..L3 mod 2^256), L0 is dropped (a carry
 * of 2^-159 at most): k mod 4 is the two bits above the point, and the 128
 * bits below it are the fraction, taken to [−1/2, 1/2) (k rounded to nearest).
 */
function payneHanek(ax: f64): f64 {
  const bits = reinterpret<u64>(ax);
  const e = <i32>(bits >> 52) - 1075;
  const m = (bits & 0x000fffffffffffff) | 0x0010000000000000;
  const w = ((e - 2) >> 5) + 2;
  const s = e - 2 - ((w - 2) << 5);
  const t = tableAddress(Table.TwoOverPi) + (<usize>w << 2);
  const w3 = windowWord(t, 0), w2 = windowWord(t, 8), w1 = windowWord(t, 16), w0 = windowWord(t, 24);
  const lo1 = m * w1, lo2 = m * w2, lo3 = m * w3;
  const l1 = highProduct(m, w0) + lo1;
  const c1: u64 = l1 < lo1 ? 1 : 0;
  const l2a = highProduct(m, w1) + lo2;
  const l2 = l2a + c1;
  const c2: u64 = (l2a < lo2 ? 1 : 0) + (l2 < c1 ? 1 : 0);
  const l3 = highProduct(m, w2) + lo3 + c2;
  const u = <u64>(62 - s);
  let q = <u32>(l3 >> u) & 3;
  let fh = (l3 << (64 - u)) | (l2 >> u);
  let fl = (l2 << (64 - u)) | (l1 >> u);
  const negative = <i64>fh < 0;
  if (negative) {
    // The fraction is ≥ 1/2: k + 1, and the fraction minus 1, negated.
    q = (q + 1) & 3;
    fl = 0 - fl;
    fh = ~fh + (fl == 0 ? 1 : 0);
  }
  // 53 + 43 leading bits of the fraction, exactly as two doubles, from its first set bit.
  let shift = <u64>clz<u64>(fh);
  if (fh == 0) {
    fh = fl;
    fl = 0;
    shift = 64 + <u64>clz<u64>(fh);
  }
  const n = shift & 63;
  const nh = n ? (fh << n) | (fl >> (64 - n)) : fh;
  const nl = fl << n;
  const scale = reinterpret<f64>((1023 - 64 - shift) << 52);
  const a = <f64>(nh & ~(<u64>0x7ff)) * scale;
  const b = <f64>(((nh & 0x7ff) << 32) | (nl >> 32)) * (scale * reinterpret<f64>(<u64>(1023 - 32) << 52));
  // r = (a + b)·π/2, with π/2 as a double double.
  const halfPiHi = konst<f64, f64>(Slot.HalfPiHi);
  const rh = a * halfPiHi;
  const rl = productError<f64>(a, halfPiHi, rh) + (a * konst<f64, f64>(Slot.HalfPiLo) + b * halfPiHi);
  const hi = rh + rl;
  const lo = fastSumError<f64>(rh, rl, hi);
  reducedLow = negative ? -lo : lo;
  reducedQuadrant = q;
  return negative ? -hi : hi;
}

/** Words i and i + 1 of 2/π's table at t + 4i, as one 64-bit integer (the first word high). */
@inline function windowWord(t: usize, offset: usize): u64 {
  return (<u64>load<u32>(t + offset) << 32) | <u64>load<u32>(t + offset + 4);
}

/** The high 64 bits of the 128-bit product a·b. */
@inline function highProduct(a: u64, b: u64): u64 {
  const aLo = a & 0xffffffff, aHi = a >> 32, bLo = b & 0xffffffff, bHi = b >> 32;
  const lh = aLo * bHi, hl = aHi * bLo;
  const mid = ((aLo * bLo) >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  return aHi * bHi + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/** The trigonometric ops' constants (see simd/constants.ts) and 2/π's table. */
export function trigConstants(): void {
  define(Slot.TrigFastBelow, 0x49800000, 0x4130000000000000); // 2^20
  // node tools/trig-table.mjs
  define(Slot.TwoOverPi, 0, 0x3fe45f306dc9c883);
  define(Slot.HalfPi1, 0, 0x3ff921fb54400000);
  define(Slot.TrigNearMultiple, 0, 0x3f70000000000000); // 2^-8
  define(Slot.HalfPi1Rest, 0, 0x3dd0b4611a626331); // π/2 − HalfPi1, rounded
  define(Slot.HalfPi2, 0, 0x3dd0b4611a600000);
  define(Slot.HalfPi3, 0, 0x3ba3198a2e000000);
  define(Slot.HalfPi4, 0, 0x397b839a252049c1);
  define(Slot.HalfPiHi, 0, 0x3ff921fb54442d18);
  define(Slot.HalfPiLo, 0, 0x3c91a62633145c07);
  define(Slot.MinusHalf, 0, 0xbfe0000000000000);
  // node tools/fits.mjs sin_tail_f64 cos_poly_f64 sin_poly_f64_for_f32 cos_poly_f64_for_f32
  define(Slot.SinS0Hi, 0, 0xbfc5555558000000); // −1/6 = hi + lo, hi of 26 bits
  define(Slot.SinS0Lo, 0, 0x3e15555555555555);
  define(Slot.SinQ0, 0, 0x3f81111111111111);
  define(Slot.SinQ1, 0, 0xbf2a01a01a019e4b);
  define(Slot.SinQ2, 0, 0x3ec71de3a54ed25b);
  define(Slot.SinQ3, 0, 0xbe5ae6454e578227);
  define(Slot.SinQ4, 0, 0x3de61220c667a3a5);
  define(Slot.SinQ5, 0, 0xbd6ab5d573877931);
  define(Slot.SinF0, 0, 0xbfc555555545a9db);
  define(Slot.SinF1, 0, 0x3f811110de8e8c49);
  define(Slot.SinF2, 0, 0xbf2a013a0c2fe22a);
  define(Slot.SinF3, 0, 0x3ec6dbc2dcdb73aa);
  define(Slot.CosC0, 0, 0x3fa5555555555555);
  define(Slot.CosC1, 0, 0xbf56c16c16c167b1);
  define(Slot.CosC2, 0, 0x3efa01a019eece0c);
  define(Slot.CosC3, 0, 0xbe927e4f99fd286c);
  define(Slot.CosC4, 0, 0x3e21eeaf269838a7);
  define(Slot.CosC5, 0, 0xbda902cad8dbfe55);
  define(Slot.CosF0, 0, 0x3fa5555555502129);
  define(Slot.CosF1, 0, 0xbf56c16bf5230816);
  define(Slot.CosF2, 0, 0x3efa015c187064f1);
  define(Slot.CosF3, 0, 0xbe925237ef6dfd5b);
  writeTwoOverPiTable(tableAddress(Table.TwoOverPi));
}
