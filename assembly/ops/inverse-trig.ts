import { define, konst, Slot, tableAddress, Table } from "../simd/constants";
import { fastSumError, highHalf, quotientRemainder, rootRemainder, sumError } from "../simd/double";
import { narrow, widenHigh, widenLow } from "../simd/memory";
import { absolute, add, choose, div, flipSign, madd, maximum, mul, neg, signBit, squareRoot, sub } from "../simd/vec";
import { horner } from "../simd/poly";
import { inF64Lanes } from "./exp2";
import { writeAtanTable } from "./atan-table";

// atan, atan2, asin and acos over <T, V>, faithfully rounded on all of T,
// in f64 lanes: atan from a polynomial on four roads, atan2 from a table,
// asin and acos from a polynomial and a square root.
//
// atan(a), x = |a|, takes one division: u = x up to 7/16 (K = 0), then
// u = (x − c)/(1 + c·x) with c = 1/2 up to 5/8 and c = 1 up to 37/16
// (K = atan c, as hi + lo), then u = −1/x (K = π/2), so |u| ≤ 7/16 and
// atan(a) = K + u + u·z·P(z), z = u², P a minimax fit (tools/fits.mjs
// atan_poly_*). Where K ≠ 0 the roads keep |u| small beside the result, so
// that u's one rounding costs at most 1/8 ULP; the first road ends at 7/16,
// where u·z·P, rounded four times, costs as much. float64 forms 1 + c·x
// rounded as d, takes u of x' = (d − 1)/c instead (x' − c exact, Sterbenz)
// and adds (x − x')/(1 + x²); sums K + u by Fast2Sum, the small terms
// after: about 0.64 ULP at most. float32 needs none of that and takes three
// roads (c = 1 from 7/16, so that |u| ≤ 7/16 there too and a polynomial two
// degrees lower holds), rounded to f32 once.
//
// atan2: with p = min(y, |x|) and q = max(y, |x|), t = p/q in [0, 1], and
// c = j/64 the nearest (j = 0 … 64):
//   atan(t) = atan(c) + atan(u),  u = (t − c)/(1 + t·c) = (p − c·q)/(q + c·p),
// |u| ≤ 1/128, atan(c) from a table (tools/atan-table.mjs, as hi + lo), and
// atan(u) = u − u³/3 + u⁵/5 − u⁷/7 + u⁹/9 (the next term is below 2^-70 of
// u). Then atan2(y, x) = K + s·atan(t): K = 0, s = 1 where y ≤ x; K = π/2,
// s = −1 where y > |x| ≥ x; K = π, s = −1 where y ≤ −x; K = π/2, s = 1
// where y > |x| and x < 0. The sign of the original y goes on last.
//
// float64 keeps everything that counts exact: c has 7 bits, so c times a
// 26-bit half of p or q is an exact product, and p − c·q and q + c·p are
// formed as double words (TwoSum); u is their quotient as a double word
// (quotientRemainder), and K + s·(atan c + u) sums by Fast2Sum, the small
// terms after: within about 2^-62 of the result, so about 0.5 ULP. float32
// needs none of that (c·q and p − c·q are exact in f64 for float32 p and q;
// u to 2^-52, and u⁵/5 is the last term that counts), and rounds to f32 once.
//
// The fast path takes q in [2^-400, 2^400] with p = 0 or p ≥ q·2^-400
// (float32: any finite p, q with q > 0), where no product underflows or
// overflows; the rest (and C99's special values: atan2 of zeros and
// infinities) goes through the scalar arcOne, which scales p and q by powers
// of two, or returns the quotient where it is below 2^-400 (atan(t) = t
// there, rounded once). atan's fast path is 2^-400 ≤ |a| ≤ 2^400; arcOne
// takes the rest as atan2(a, 1).
//
// asin and acos, for |a| ≤ 1 (NaN outside, by arcOne): up to |a| = 1/2,
// asin(a) = a + a·w·Q(w), w = a², Q a minimax fit (tools/fits.mjs
// asin_poly_*); beyond, asin(|a|) = π/2 − 2·asin(s), s = √w, w = (1 − |a|)/2
// (exact, Sterbenz), the same Q at w ≤ 1/4. acos(a) = π/2 − asin(a) up to
// 1/2, 2·asin(s) beyond for a > 0 and π − 2·asin(s) for a < 0. So each is
// K + σ·(v + v·w·Q(w)), v = a or 2s, K ∈ {0, π/2, π}, σ = ±1. float64 adds
// the root's Newton correction (w − s²)/s (s² by Dekker) and sums K + σ·v by
// Fast2Sum, since K ≥ |v| where K ≠ 0: the result rounds once from the exact
// K + σ·v plus terms of at most 0.05 of it, whose rounding errors, up to
// about 0.16 ULP where 2s nears 1, make the maximum about 0.66 ULP. (As
// atan2(|a|, √(1 − a²)) with the root and the quotient as double words they
// hold 0.52 ULP, but take three divisions and 2.6–4.3 times as long.)
// float32 rounds to f32 once from an f64 value within 2^-37 of it.
// Measured maxima (test/ulp.test.ts, test/atan2.test.ts): see the README.

@final @unmanaged export class Atan {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, AtanCore>(a);
    return atanOf<V>(a, false);
  }
  @inline usual<T>(a: v128): v128 { return between<T>(a); }
  @inline usualOne<T>(a: T): bool { return betweenOne<T>(a); }
  @inline redo<T, V>(a: V, b: V): V { return byLane<T, V>(a, Arc.Atan); }
}

@final @unmanaged export class Asin {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, AsinCore>(a);
    return asinOf<V>(a, false);
  }
  @inline usual<T>(a: v128): v128 { return v128.le<T>(v128.abs<T>(a), konst<T, v128>(Slot.One)); }
  @inline usualOne<T>(a: T): bool { return abs<T>(a) <= konst<T, T>(Slot.One); }
  @inline redo<T, V>(a: V, b: V): V { return byLane<T, V>(a, Arc.Asin); }
}

@final @unmanaged export class Acos {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, AcosCore>(a);
    return acosOf<V>(a, false);
  }
  @inline usual<T>(a: v128): v128 { return v128.le<T>(v128.abs<T>(a), konst<T, v128>(Slot.One)); }
  @inline usualOne<T>(a: T): bool { return abs<T>(a) <= konst<T, T>(Slot.One); }
  @inline redo<T, V>(a: V, b: V): V { return byLane<T, V>(a, Arc.Acos); }
}

/** atan2(a, b): the angle of the point (b, a), in (−π, π]. */
@final @unmanaged export class Atan2 {
  @inline apply<T, V>(a: V, b: V): V { return atan2Of<T, V>(a, b); }
}

/** number first: atan2(number, array). */
@final @unmanaged export class RAtan2 {
  @inline apply<T, V>(a: V, b: V): V { return atan2Of<T, V>(b, a); }
}

const enum Arc { Atan, Asin, Acos, Atan2 }

/** atan's fast path: 2^-400 ≤ |a| ≤ the largest float (float32) or 2^400. NaN fails. */
@inline function between<T>(a: v128): v128 {
  const m = v128.abs<T>(a);
  return v128.and(v128.ge<T>(m, konst<T, v128>(Slot.ArcTiny)), v128.le<T>(m, konst<T, v128>(Slot.ArcHuge)));
}

@inline function betweenOne<T>(a: T): bool {
  const m = abs<T>(a);
  return m >= konst<T, T>(Slot.ArcTiny) && m <= konst<T, T>(Slot.ArcHuge);
}

/**
 * atan2's fast path, from p = min(|a|, |b|) ≤ q = max: q within [2^-400, 2^400]
 * and q > 0, p = 0 or p ≥ q·2^-400 (float32: the bounds are 0 and the
 * largest finite float). NaN fails.
 */
@inline function arcUsual<T>(p: v128, q: v128): v128 {
  const tiny = konst<T, v128>(Slot.ArcTiny);
  const inRange = v128.and(v128.and(v128.ge<T>(q, tiny), v128.le<T>(q, konst<T, v128>(Slot.ArcHuge))), v128.gt<T>(q, v128.splat<T>(0)));
  return v128.and(inRange, v128.or(v128.eq<T>(p, v128.splat<T>(0)), v128.ge<T>(p, v128.mul<T>(q, tiny))));
}

@inline function arcUsualOne<T>(p: T, q: T): bool {
  const tiny = konst<T, T>(Slot.ArcTiny);
  return q >= tiny && q <= konst<T, T>(Slot.ArcHuge) && q > 0 && (p == 0 || p >= q * tiny);
}

@inline function atan2Of<T, V>(y: V, x: V): V {
  if (isVector<V>()) {
    const ay = v128.abs<T>(y), ax = v128.abs<T>(x);
    const p = v128.min<T>(ay, ax), q = v128.max<T>(ay, ax);
    if (!i32x4.all_true(arcUsual<T>(p, q))) return atan2Lanes<T, V>(y, x);
    const t = v128.div<T>(p, q); // in T's lanes: see ratio
    if (sizeof<T>() == 4) return narrow(atan2Core<v128>(widenLow<f32>(y), widenLow<f32>(x), widenLow<f32>(t), true), atan2Core<v128>(widenHigh<f32>(y), widenHigh<f32>(x), widenHigh<f32>(t), true));
    return atan2Core<V>(y, x, t, false);
  }
  const ay = abs<T>(y), ax = abs<T>(x);
  const p = min<T>(ay, ax), q = max<T>(ay, ax);
  if (!arcUsualOne<T>(p, q)) return atan2Lanes<T, V>(y, x);
  if (sizeof<T>() == 4) return <V><f32>atan2Core<f64>(<f64>y, <f64>x, <f64>(p / q), true);
  return atan2Core<V>(y, x, <V>(p / q), false);
}

/**
 * t = min(a, b)/max(a, b) for a, b ≥ 0, in T: only atan2's table point c
 * comes of it, so float32 takes one f32x4 division for four lanes where the
 * f64 lanes would take two, and arcOne divides in f32 as the vector path does.
 */
@inline function ratio<T>(a: T, b: T): T {
  return min<T>(a, b) / max<T>(a, b);
}

@inline function atan2Core<W>(y: W, x: W, t: W, narrow: bool): W {
  return flipSign<W>(arc<W>(absolute<f64, W>(y), x, t, narrow), signBit<W>(y));
}

/**
 * atan(a) (see the top of the file): with x = |a|, K + u + u·z·P(z), z = u²,
 * by the road x takes; a's sign goes on last. float32 takes three roads,
 * c = 1 from 7/16.
 */
@inline function atanOf<W>(a: W, narrow: bool): W {
  const one = konst<f64, W>(Slot.One), half = konst<f64, W>(Slot.Half);
  const x = absolute<f64, W>(a);
  const quarterPi = konst<f64, W>(Slot.QuarterPiHi);
  if (narrow) {
    // float32's x has 24 bits, so x − 1 and x + 1 are exact in f64 lanes:
    // u = (x − 1)/(x + 1) from 7/16, −1/x from 37/16, else x.
    const near = greater<W>(x, konst<f64, W>(Slot.AtanHalfFrom));
    const far = greater<W>(x, konst<f64, W>(Slot.AtanFarFrom));
    const n = choose<W>(konst<f64, W>(Slot.MinusOne), sub<f64, W>(x, onlyWhere<W>(one, near)), far);
    const u = div<f64, W>(n, choose<W>(x, add<f64, W>(one, onlyWhere<W>(x, near)), far));
    const z = mul<f64, W>(u, u);
    const tail = mul<f64, W>(mul<f64, W>(u, z), horner<f64, W>(z, Slot.AtanF0, 6));
    // π/4 from 7/16, π/2 = π/4 + π/4 (exact) from 37/16, where near is set too.
    const k = add<f64, W>(onlyWhere<W>(quarterPi, near), onlyWhere<W>(quarterPi, far));
    return flipSign<W>(add<f64, W>(k, add<f64, W>(u, tail)), signBit<W>(a));
  }
  const mid = greater<W>(x, konst<f64, W>(Slot.AtanOneFrom));
  const near = greater<W>(x, konst<f64, W>(Slot.AtanHalfFrom));
  const far = greater<W>(x, konst<f64, W>(Slot.AtanFarFrom));
  // The point c = 1/2 or 1: d = 1 + c·x rounded, x' = (d − 1)/c and x' − c exact.
  const c = choose<W>(one, half, mid);
  const d = madd<f64, W>(c, x, one);
  const xc = mul<f64, W>(sub<f64, W>(d, one), choose<W>(one, konst<f64, W>(Slot.Two), mid));
  const n = choose<W>(konst<f64, W>(Slot.MinusOne), choose<W>(sub<f64, W>(xc, c), x, near), far);
  const u = div<f64, W>(n, choose<W>(x, choose<W>(d, one, near), far));
  const z = mul<f64, W>(u, u);
  let tail = mul<f64, W>(mul<f64, W>(u, z), horner<f64, W>(z, Slot.AtanP0, 11));
  const halfPi = konst<f64, W>(Slot.HalfPiHi), halfPiLo = konst<f64, W>(Slot.HalfPiLo);
  const kh = choose<W>(halfPi, onlyWhere<W>(choose<W>(quarterPi, konst<f64, W>(Slot.AtanHalfHi), mid), near), far);
  // u is that of x', and atan(x) = atan(x') + dl/(1 + x²) to 2^-106, with
  // dl = x − x' (exact, at most half of d's ULP over c) and
  // 1/(1 + x²) = (1 − c·u)²/((1 + c²)(1 + z)), taken as (1 − c·u)²·(1 − z)/(1 + c²),
  // within z² ≤ 0.025 of it (|u| < 0.4 on these roads), on a step below 0.2 ULP.
  const dl = onlyWhere<W>(sub<f64, W>(x, xc), onlyFirst<W>(near, far));
  const w = sub<f64, W>(one, mul<f64, W>(c, u));
  const g = choose<W>(half, konst<f64, W>(Slot.FourFifths), mid);
  tail = madd<f64, W>(mul<f64, W>(dl, mul<f64, W>(w, w)), mul<f64, W>(g, sub<f64, W>(one, z)), tail);
  const kl = choose<W>(halfPiLo, onlyWhere<W>(choose<W>(konst<f64, W>(Slot.QuarterPiLo), konst<f64, W>(Slot.AtanHalfLo), mid), near), far);
  const h = add<f64, W>(kh, u);
  return flipSign<W>(add<f64, W>(h, add<f64, W>(fastSumError<W>(kh, u, h), add<f64, W>(kl, tail))), signBit<W>(a));
}

@inline function asinOf<W>(a: W, narrow: bool): W {
  return flipSign<W>(arcSine<W>(a, false, narrow), signBit<W>(a));
}

@inline function acosOf<W>(a: W, narrow: bool): W {
  return arcSine<W>(a, true, narrow);
}

@final @unmanaged class AtanCore { @inline of<W>(x: W): W { return atanOf<W>(x, true); } }
@final @unmanaged class AsinCore { @inline of<W>(x: W): W { return asinOf<W>(x, true); } }
@final @unmanaged class AcosCore { @inline of<W>(x: W): W { return acosOf<W>(x, true); } }

/**
 * |asin(a)|, or acos(a) where `cosine`, for |a| ≤ 1 (see the top of the
 * file): K + σ·(v + v·w·Q(w)) with v = |a| (acos: a), w = a² up to 1/2, and
 * v = 2√w, w = (1 − |a|)/2 beyond. float64 adds √w's Newton correction and
 * keeps K + σ·v as a double word (Fast2Sum: |K| ≥ |v| or K = 0).
 */
@inline function arcSine<W>(a: W, cosine: bool, narrow: bool): W {
  const half = konst<f64, W>(Slot.Half);
  const x = absolute<f64, W>(a);
  const big = greater<W>(x, half);
  const wBig = mul<f64, W>(sub<f64, W>(konst<f64, W>(Slot.One), x), half);
  const w = choose<W>(wBig, mul<f64, W>(a, a), big);
  const s = squareRoot<f64, W>(wBig);
  const v = choose<W>(add<f64, W>(s, s), cosine ? a : x, big);
  const t = mul<f64, W>(v, mul<f64, W>(w, narrow ? horner<f64, W>(w, Slot.AsinF0, 7) : horner<f64, W>(w, Slot.AsinQ0, 12)));
  // K (π/2 or π as hi + lo) and σ (a sign bit) by the region.
  const halfPi = konst<f64, W>(Slot.HalfPiHi), halfPiLo = konst<f64, W>(Slot.HalfPiLo);
  const minus = konst<f64, W>(Slot.NegativeZero);
  let kh: W, kl: W, sigma: W;
  if (cosine) {
    const negative = negativeMask<W>(a);
    kh = choose<W>(onlyWhere<W>(add<f64, W>(halfPi, halfPi), negative), halfPi, big);
    kl = choose<W>(onlyWhere<W>(add<f64, W>(halfPiLo, halfPiLo), negative), halfPiLo, big);
    sigma = choose<W>(konst<f64, W>(Slot.Zero), minus, onlyFirst<W>(big, negative));
  } else {
    kh = onlyWhere<W>(halfPi, big);
    kl = onlyWhere<W>(halfPiLo, big);
    sigma = onlyWhere<W>(minus, big);
  }
  if (narrow) return add<f64, W>(kh, flipSign<W>(add<f64, W>(v, t), sigma));
  // 2√w's low word: (w − s²)/s, with s² by Dekker; 0 where s = 0 (|a| = 1) or up to 1/2.
  const vl = onlyWhere<W>(div<f64, W>(rootRemainder<W>(wBig, konst<f64, W>(Slot.Zero), s), maximum<f64, W>(s, konst<f64, W>(Slot.ArcTiny))), big);
  const sv = flipSign<W>(v, sigma);
  const h = add<f64, W>(kh, sv);
  return add<f64, W>(h, add<f64, W>(fastSumError<W>(kh, sv, h), add<f64, W>(kl, flipSign<W>(add<f64, W>(vl, t), sigma))));
}

/** atan2(y, x) for y ≥ 0, without the sign of y (see the top of the file); t: p/q, rounded any way (see ratio). */
@inline function arc<W>(y: W, x: W, t: W, narrow: bool): W {
  const ax = absolute<f64, W>(x);
  const xSign = signBit<W>(x);
  const swap = greater<W>(y, ax);
  const p = choose<W>(ax, y, swap), q = choose<W>(y, ax, swap);
  const f = add<f64, W>(mul<f64, W>(t, konst<f64, W>(Slot.ArcSteps)), konst<f64, W>(Slot.Shifter));
  const c = mul<f64, W>(sub<f64, W>(f, konst<f64, W>(Slot.Shifter)), konst<f64, W>(Slot.ArcStep));
  let uh: W, ul = konst<f64, W>(Slot.Zero);
  if (narrow) {
    uh = div<f64, W>(sub<f64, W>(p, mul<f64, W>(c, q)), madd<f64, W>(c, p, q));
  } else {
    // N = p − c·q and D = q + c·p as double words: c times either half of q or p is exact.
    const qh = highHalf<W>(q), ph = highHalf<W>(p);
    const m1 = neg<f64, W>(mul<f64, W>(c, qh));
    const s1 = add<f64, W>(p, m1);
    const m2 = neg<f64, W>(mul<f64, W>(c, sub<f64, W>(q, qh)));
    const nh = add<f64, W>(s1, m2);
    const nl = add<f64, W>(sumError<W>(p, m1, s1), sumError<W>(s1, m2, nh));
    const d1 = mul<f64, W>(c, ph);
    const dh = add<f64, W>(q, d1);
    const dl = madd<f64, W>(c, sub<f64, W>(p, ph), fastSumError<W>(q, d1, dh));
    // Renormalized (c·plo alone reaches 2^-26 of D), so that uh is u to 2 ULPs: z = uh² feeds the series.
    const n = add<f64, W>(nh, nl), d = add<f64, W>(dh, dl);
    const nLow = fastSumError<W>(nh, nl, n), dLow = fastSumError<W>(dh, dl, d);
    const r = div<f64, W>(konst<f64, W>(Slot.One), d);
    uh = mul<f64, W>(n, r);
    ul = mul<f64, W>(quotientRemainder<W>(n, nLow, d, dLow, uh), r);
  }
  // atan(u) − u (float32: to u⁵, float64: to u⁹), with u's low word.
  const z = mul<f64, W>(uh, uh);
  let poly = madd<f64, W>(z, konst<f64, W>(Slot.AtanC5), konst<f64, W>(Slot.AtanC3));
  if (!narrow) poly = madd<f64, W>(z, madd<f64, W>(z, madd<f64, W>(z, konst<f64, W>(Slot.AtanC9), konst<f64, W>(Slot.AtanC7)), konst<f64, W>(Slot.AtanC5)), konst<f64, W>(Slot.AtanC3));
  const tail = madd<f64, W>(mul<f64, W>(uh, z), poly, ul);
  // atan(c) from the table; K and s by the octant.
  const table = tableAddress(Table.Atan);
  let ah: W, al: W;
  if (isVector<W>()) {
    const e0 = v128.load(table + (<usize>(i64x2.extract_lane(f, 0) & 127) << 4));
    const e1 = v128.load(table + (<usize>(i64x2.extract_lane(f, 1) & 127) << 4));
    ah = v128.shuffle<i64>(e0, e1, 0, 2);
    al = v128.shuffle<i64>(e0, e1, 1, 3);
  } else {
    const e = table + (<usize>(reinterpret<u64>(<f64>f) & 127) << 4);
    ah = <W>load<f64>(e);
    al = <W>load<f64>(e, 8);
  }
  const sign = flipSign<W>(xSign, signBit<W>(swap)); // s = −1 where swap ≠ (x < 0)
  const halfPi = konst<f64, W>(Slot.HalfPiHi), halfPiLo = konst<f64, W>(Slot.HalfPiLo);
  const negative = negativeMask<W>(x);
  const kh = choose<W>(halfPi, onlyWhere<W>(add<f64, W>(halfPi, halfPi), negative), swap);
  const sa = flipSign<W>(ah, sign);
  if (narrow) return add<f64, W>(kh, flipSign<W>(add<f64, W>(ah, add<f64, W>(uh, tail)), sign));
  const kl = choose<W>(halfPiLo, onlyWhere<W>(add<f64, W>(halfPiLo, halfPiLo), negative), swap);
  const t1 = add<f64, W>(kh, sa);
  const su = flipSign<W>(uh, sign);
  const t2 = add<f64, W>(t1, su);
  const small = add<f64, W>(add<f64, W>(fastSumError<W>(kh, sa, t1), fastSumError<W>(t1, su, t2)), add<f64, W>(kl, flipSign<W>(add<f64, W>(al, tail), sign)));
  return add<f64, W>(t2, small);
}

/** Lanes of all ones where a > b (a scalar: nonzero). */
@inline function greater<W>(a: W, b: W): W {
  if (isVector<W>()) return f64x2.gt(a, b);
  return <W>reinterpret<f64>(<f64>a > <f64>b ? <u64>0xffffffffffffffff : <u64>0);
}

/** Lanes of all ones where x's sign bit is set (a scalar: nonzero). */
@inline function negativeMask<W>(x: W): W {
  if (isVector<W>()) return i64x2.shr_s(x, 63);
  return signBit<W>(x);
}

/** Lanes of all ones where a is set and b is not (a scalar: nonzero). */
@inline function onlyFirst<W>(a: W, b: W): W {
  if (isVector<W>()) return v128.andnot(a, b);
  return <W>reinterpret<f64>(reinterpret<u64>(<f64>a) != 0 && reinterpret<u64>(<f64>b) == 0 ? <u64>0xffffffffffffffff : <u64>0);
}

/** a where mask, else +0. */
@inline function onlyWhere<W>(a: W, mask: W): W {
  if (isVector<W>()) return v128.and(a, mask);
  return reinterpret<u64>(<f64>mask) != 0 ? a : <W>0;
}

/** The rare path of a unary op, lane by lane (out of line). */
@inline function byLane<T, V>(a: V, op: Arc): V {
  if (isVector<V>()) {
    if (sizeof<T>() == 4) {
      let r = f32x4.replace_lane(a, 0, <f32>arcOne(<f64>f32x4.extract_lane(a, 0), 0, op, true));
      r = f32x4.replace_lane(r, 1, <f32>arcOne(<f64>f32x4.extract_lane(a, 1), 0, op, true));
      r = f32x4.replace_lane(r, 2, <f32>arcOne(<f64>f32x4.extract_lane(a, 2), 0, op, true));
      return f32x4.replace_lane(r, 3, <f32>arcOne(<f64>f32x4.extract_lane(a, 3), 0, op, true));
    }
    const r = f64x2.replace_lane(a, 0, arcOne(f64x2.extract_lane(a, 0), 0, op, false));
    return f64x2.replace_lane(r, 1, arcOne(f64x2.extract_lane(a, 1), 0, op, false));
  }
  if (sizeof<T>() == 4) return <V><f32>arcOne(<f64><f32>a, 0, op, true);
  return <V>arcOne(<f64>a, 0, op, false);
}

/** atan2 lane by lane: the full path, a function of its own so that the loop holds only the fast path. */
function atan2Lanes<T, V>(y: V, x: V): V {
  if (isVector<V>()) {
    if (sizeof<T>() == 4) {
      let r = f32x4.replace_lane(y, 0, <f32>arcOne(<f64>f32x4.extract_lane(y, 0), <f64>f32x4.extract_lane(x, 0), Arc.Atan2, true));
      r = f32x4.replace_lane(r, 1, <f32>arcOne(<f64>f32x4.extract_lane(y, 1), <f64>f32x4.extract_lane(x, 1), Arc.Atan2, true));
      r = f32x4.replace_lane(r, 2, <f32>arcOne(<f64>f32x4.extract_lane(y, 2), <f64>f32x4.extract_lane(x, 2), Arc.Atan2, true));
      return f32x4.replace_lane(r, 3, <f32>arcOne(<f64>f32x4.extract_lane(y, 3), <f64>f32x4.extract_lane(x, 3), Arc.Atan2, true));
    }
    const r = f64x2.replace_lane(y, 0, arcOne(f64x2.extract_lane(y, 0), f64x2.extract_lane(x, 0), Arc.Atan2, false));
    return f64x2.replace_lane(r, 1, arcOne(f64x2.extract_lane(y, 1), f64x2.extract_lane(x, 1), Arc.Atan2, false));
  }
  if (sizeof<T>() == 4) return <V><f32>arcOne(<f64><f32>y, <f64><f32>x, Arc.Atan2, true);
  return <V>arcOne(<f64>y, <f64>x, Arc.Atan2, false);
}

/**
 * Any input, one lane: atan(a), asin(a), acos(a), or atan2(a, b). Out of
 * the domain NaN; zeros and infinities of atan2 become the point (0 or 1,
 * ±0 or ±1) at the same angle; a quotient p/q below 2^-400 is atan(t) once
 * rounded; otherwise p and q are scaled into the fast path's range.
 */
function arcOne(a: f64, b: f64, op: Arc, narrow: bool): f64 {
  if (a != a || b != b) return a + b;
  const one: f64 = 1;
  if (op == Arc.Asin || op == Arc.Acos) {
    if (abs(a) > 1) return konst<f64, f64>(Slot.QuietNaN);
    return op == Arc.Asin ? asinOf<f64>(a, narrow) : acosOf<f64>(a, narrow);
  }
  // atan on its fast path's range (a lane of a step redone for another) takes the fast path's
  // own road, so that its bits do not depend on its neighbours; beyond, atan(a) = atan2(a, 1).
  if (op == Arc.Atan && (narrow ? betweenOne<f32>(<f32>a) : betweenOne<f64>(a))) return atanOf<f64>(a, narrow);
  let y = a, x = op == Arc.Atan ? one : b;
  let ay = abs(y), ax = abs(x);
  if (ay == Infinity || ax == Infinity) {
    ay = ay == Infinity ? one : 0;
    ax = ax == Infinity ? one : 0;
  } else if (ay == 0 && ax == 0) {
    ax = one;
  }
  x = copysign(ax, x);
  const p = min(ay, ax), q = max(ay, ax);
  if (p != 0 && p < q * konst<f64, f64>(Slot.ArcTiny)) {
    // atan(t) = t − t³/3 with t < 2^-400: t rounded once, then K + s·t.
    const t = p / q;
    const swap = ay > ax, negative = x < 0;
    let r: f64 = t;
    if (swap || negative) {
      const k: f64 = swap ? 1 : 2;
      const s: f64 = swap != negative ? -1 : 1;
      r = k * konst<f64, f64>(Slot.HalfPiHi) + (k * konst<f64, f64>(Slot.HalfPiLo) + s * t);
    }
    return copysign(r, y);
  }
  if (!narrow) {
    // Scaled by powers of two until q lies in [2^-400, 2^400]: exact, as p/q ≥ 2^-400.
    const down = reinterpret<f64>(0x20b0000000000000), up = reinterpret<f64>(0x5f30000000000000); // 2^-500, 2^500
    while (max(ay, ax) > konst<f64, f64>(Slot.ArcHuge)) (ay *= down), (x *= down), (ax = abs(x));
    while (max(ay, ax) < konst<f64, f64>(Slot.ArcTiny)) (ay *= up), (x *= up), (ax = abs(x));
  }
  const t = narrow ? <f64>ratio<f32>(<f32>ay, <f32>abs(x)) : ratio<f64>(ay, abs(x));
  return copysign(arc<f64>(ay, x, t, narrow), y);
}

/** The inverse trigonometric ops' constants (see simd/constants.ts) and atan's table. */
export function inverseTrigConstants(): void {
  define(Slot.ArcTiny, 0, 0x26f0000000000000); // 2^-400
  define(Slot.ArcHuge, 0x7f7fffff, 0x58f0000000000000); // the largest float, 2^400
  define(Slot.ArcSteps, 0, 0x4050000000000000); // 64
  define(Slot.ArcStep, 0, 0x3f90000000000000); // 1/64
  define(Slot.AtanC3, 0, 0xbfd5555555555555); // −1/3
  define(Slot.AtanC5, 0, 0x3fc999999999999a); // 1/5
  define(Slot.AtanC7, 0, 0xbfc2492492492492); // −1/7
  define(Slot.AtanC9, 0, 0x3fbc71c71c71c71c); // 1/9
  define(Slot.AtanHalfFrom, 0, 0x3fdc000000000000); // 7/16
  define(Slot.AtanOneFrom, 0, 0x3fe4000000000000); // 5/8
  define(Slot.AtanFarFrom, 0, 0x4002800000000000); // 37/16
  define(Slot.QuarterPiHi, 0, 0x3fe921fb54442d18); // π/4 = hi + lo
  define(Slot.QuarterPiLo, 0, 0x3c81a62633145c07);
  define(Slot.AtanHalfHi, 0, 0x3fddac670561bb4f); // atan(1/2) = hi + lo
  define(Slot.AtanHalfLo, 0, 0x3c7a2b7f222f65e2);
  define(Slot.FourFifths, 0, 0x3fe999999999999a); // 0.8
  // P(z), atan(u) = u + u·z·P(u²) for |u| ≤ 7/16 (tools/fits.mjs atan_poly_f64 deg 11, 2^-54.0
  // relative), and for float32 |u| ≤ 7/16 too (atan_poly_f64_for_f32 deg 6, 2^-33.05), lowest power first.
  define(Slot.AtanP0, 0, 0xbfd5555555555555); // -0.3333333333333333
  define(Slot.AtanP1, 0, 0x3fc999999999961e); // 0.19999999999997525
  define(Slot.AtanP2, 0, 0xbfc2492492462075); // -0.14285714285165665
  define(Slot.AtanP3, 0, 0x3fbc71c71a657fad); // 0.1111111106342821
  define(Slot.AtanP4, 0, 0xbfb745d11854aab1); // -0.09090906948100998
  define(Slot.AtanP5, 0, 0x3fb3b1318953f330); // 0.07692250826580671
  define(Slot.AtanP6, 0, 0xbfb1107052a2eb79); // -0.06665708558550233
  define(Slot.AtanP7, 0, 0x3fae10251f7912de); // 0.058716926662361266
  define(Slot.AtanP8, 0, 0xbfaa8a14b8af5ed2); // -0.05183472399192869
  define(Slot.AtanP9, 0, 0x3fa6556e010972ac); // 0.04362052691133064
  define(Slot.AtanP10, 0, 0xbf9ef8a21e666028); // -0.03024533567949575
  define(Slot.AtanP11, 0, 0x3f889d649a785b3a); // 0.012018953289084078
  define(Slot.AtanF0, 0, 0xbfd55555554b00f0); // -0.3333333332957542
  define(Slot.AtanF1, 0, 0x3fc999996febcd39); // 0.19999998059174987
  define(Slot.AtanF2, 0, 0xbfc24916c53ea2e1); // -0.14285549765670338
  define(Slot.AtanF3, 0, 0x3fbc6e53005e98cd); // 0.11105841406842672
  define(Slot.AtanF4, 0, 0xbfb71077bda2c79a); // -0.09009502773076719
  define(Slot.AtanF5, 0, 0x3fb1ff817c0be135); // 0.07030495909191788
  define(Slot.AtanF6, 0, 0xbfa3a041bf872c8b); // -0.038332037572751686
  // Q(w), asin(x) = x + x·w·Q(x²) on [0, 1/2] (tools/fits.mjs asin_poly_f64 deg 12, 2^-53.4
  // relative; asin_poly_f64_for_f32 deg 7, 2^-33.6), lowest power first.
  define(Slot.AsinQ0, 0, 0x3fc5555555555555); // 0.16666666666666666
  define(Slot.AsinQ1, 0, 0x3fb3333333333194); // 0.07499999999999424
  define(Slot.AsinQ2, 0, 0x3fa6db6db6e05b69); // 0.044642857145098365
  define(Slot.AsinQ3, 0, 0x3f9f1c71c316ff03); // 0.030381944210375
  define(Slot.AsinQ4, 0, 0x3f96e8baf572e7ba); // 0.022372170668610393
  define(Slot.AsinQ5, 0, 0x3f91c4d655540ff6); // 0.017352436979322726
  define(Slot.AsinQ6, 0, 0x3f8c9ca514a3ba15); // 0.013970651333207443
  define(Slot.AsinQ7, 0, 0x3f8784e78a988a0f); // 0.011483963887319452
  define(Slot.AsinQ8, 0, 0x3f8515a51e101ba1); // 0.010295190792033728
  define(Slot.AsinQ9, 0, 0x3f76ca520c74cbac); // 0.00556404161698058
  define(Slot.AsinQ10, 0, 0x3f918c9768c07697); // 0.01713787628988558
  define(Slot.AsinQ11, 0, 0xbf8da59df4071a10); // -0.014476045617709793
  define(Slot.AsinQ12, 0, 0x3f9d34b52cd7733f); // 0.028521376478113366
  define(Slot.AsinF0, 0, 0x3fc55555554e7a51); // 0.16666666665419652
  define(Slot.AsinF1, 0, 0x3fb333334e3625db); // 0.07500000628910845
  define(Slot.AsinF2, 0, 0x3fa6db5c53dc5553); // 0.04464233897867111
  define(Slot.AsinF3, 0, 0x3f9f20ae700905eb); // 0.03039810713585737
  define(Slot.AsinF4, 0, 0x3f96a875567fbbe4); // 0.022126992611386856
  define(Slot.AsinF5, 0, 0x3f93cd761d8e91e0); // 0.01933846049691279
  define(Slot.AsinF6, 0, 0x3f75e8cdfa0fa296); // 0.005348972889784994
  define(Slot.AsinF7, 0, 0x3f9e1e8e74b81925); // 0.02941343867680603
  writeAtanTable(tableAddress(Table.Atan));
}
