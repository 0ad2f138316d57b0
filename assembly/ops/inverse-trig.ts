import { define, konst, Slot, tableAddress, Table } from "../simd/constants";
import { fastSumError, highHalf, keepLowWord, lowWordOf, quotientRemainder, rootRemainder, squareError, sumError } from "../simd/double";
import { narrow, widenHigh, widenLow } from "../simd/memory";
import { absolute, add, choose, div, flipSign, madd, maximum, minimum, mul, neg, signBit, squareRoot, sub, withSign } from "../simd/vec";
import { inF64Lanes } from "./exp2";
import { writeAtanTable } from "./atan-table";

// atan, atan2, asin and acos over <T, V>, faithfully rounded on all of T,
// all four from one kernel: atan2(y, x) for y ≥ 0, in f64 lanes.
//
// With p = min(y, |x|) and q = max(y, |x|), t = p/q in [0, 1], and
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
// atan(a) = atan2(|a|, 1) with a's sign; asin(a) = atan2(|a|, √(1 − a²))
// with a's sign; acos(a) = atan2(√(1 − a²), a). For float64 the root is a
// double word too: 1 − a² exact as hi + lo (Dekker's square, TwoSum), one
// Newton step on its root, so that asin near ±1 and acos near 1, where all
// that is left of a is 1 − a², keep it.
//
// The fast path takes q in [2^-400, 2^400] with p = 0 or p ≥ q·2^-400
// (float32: any finite p, q with q > 0), where no product underflows or
// overflows; the rest (and C99's special values: atan2 of zeros and
// infinities, NaN outside [−1, 1] for asin and acos) goes through the
// scalar atan2One, which scales p and q by powers of two, or returns the
// quotient where it is below 2^-400 (atan(t) = t there, rounded once).
// Measured maxima (test/ulp.test.ts, test/atan2.test.ts): see the README.

@final @unmanaged export class Atan {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, AtanCore>(a);
    return atanOf<V>(a, false);
  }
  @inline usual<T>(a: v128): v128 { return between<T>(a, Slot.ArcHuge); }
  @inline usualOne<T>(a: T): bool { return betweenOne<T>(a, Slot.ArcHuge); }
  @inline redo<T, V>(a: V, b: V): V { return byLane<T, V>(a, Arc.Atan); }
}

@final @unmanaged export class Asin {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, AsinCore>(a);
    return asinOf<V>(a, false);
  }
  @inline usual<T>(a: v128): v128 { return between<T>(a, Slot.One); }
  @inline usualOne<T>(a: T): bool { return betweenOne<T>(a, Slot.One); }
  @inline redo<T, V>(a: V, b: V): V { return byLane<T, V>(a, Arc.Asin); }
}

@final @unmanaged export class Acos {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, AcosCore>(a);
    return acosOf<V>(a, false);
  }
  @inline usual<T>(a: v128): v128 { return between<T>(a, Slot.One); }
  @inline usualOne<T>(a: T): bool { return betweenOne<T>(a, Slot.One); }
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

/** The unary ops' fast path: 2^-400 ≤ |a| ≤ hi (float32: |a| ≤ hi). NaN fails. */
@inline function between<T>(a: v128, hi: Slot): v128 {
  const m = v128.abs<T>(a);
  return v128.and(v128.ge<T>(m, konst<T, v128>(Slot.ArcTiny)), v128.le<T>(m, konst<T, v128>(hi)));
}

@inline function betweenOne<T>(a: T, hi: Slot): bool {
  const m = abs<T>(a);
  return m >= konst<T, T>(Slot.ArcTiny) && m <= konst<T, T>(hi);
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
    if (!i32x4.all_true(arcUsual<T>(v128.min<T>(ay, ax), v128.max<T>(ay, ax)))) return atan2Lanes<T, V>(y, x);
    if (sizeof<T>() == 4) return narrow(atan2Core<v128>(widenLow<f32>(y), widenLow<f32>(x), true), atan2Core<v128>(widenHigh<f32>(y), widenHigh<f32>(x), true));
    return atan2Core<V>(y, x, false);
  }
  const ay = abs<T>(y), ax = abs<T>(x);
  if (!arcUsualOne<T>(min<T>(ay, ax), max<T>(ay, ax))) return atan2Lanes<T, V>(y, x);
  if (sizeof<T>() == 4) return <V><f32>atan2Core<f64>(<f64>y, <f64>x, true);
  return atan2Core<V>(y, x, false);
}

@inline function atan2Core<W>(y: W, x: W, narrow: bool): W {
  const zero = konst<f64, W>(Slot.Zero);
  return flipSign<W>(arc<W>(absolute<f64, W>(y), zero, x, zero, narrow, false), signBit<W>(y));
}

@inline function atanOf<W>(a: W, narrow: bool): W {
  const zero = konst<f64, W>(Slot.Zero);
  return flipSign<W>(arc<W>(absolute<f64, W>(a), zero, konst<f64, W>(Slot.One), zero, narrow, false), signBit<W>(a));
}

@inline function asinOf<W>(a: W, narrow: bool): W {
  const x = absolute<f64, W>(a);
  const r = rootOfOneMinusSquare<W>(x, narrow);
  return flipSign<W>(arc<W>(x, konst<f64, W>(Slot.Zero), r, lowWordOf<W>(), narrow, !narrow), signBit<W>(a));
}

@inline function acosOf<W>(a: W, narrow: bool): W {
  const r = rootOfOneMinusSquare<W>(absolute<f64, W>(a), narrow);
  return arc<W>(r, lowWordOf<W>(), a, konst<f64, W>(Slot.Zero), narrow, !narrow);
}

@final @unmanaged class AtanCore { @inline of<W>(x: W): W { return atanOf<W>(x, true); } }
@final @unmanaged class AsinCore { @inline of<W>(x: W): W { return asinOf<W>(x, true); } }
@final @unmanaged class AcosCore { @inline of<W>(x: W): W { return acosOf<W>(x, true); } }

/**
 * √(1 − x²) for 0 ≤ x ≤ 1. float64: as r + lowWordOf(), 1 − x² = h + l exactly
 * (x² by Dekker, 1 − x² by TwoSum) and r = √h with one Newton step on the
 * exact remainder (none at x = 1, where h = 0); float32: in plain f64.
 */
@inline function rootOfOneMinusSquare<W>(x: W, narrow: bool): W {
  const one = konst<f64, W>(Slot.One);
  const s = mul<f64, W>(x, x);
  if (narrow) return squareRoot<f64, W>(sub<f64, W>(one, s));
  const ms = neg<f64, W>(s);
  const d = add<f64, W>(one, ms);
  const e = sub<f64, W>(sumError<W>(one, ms, d), squareError<W>(x, s));
  const h = add<f64, W>(d, e);
  const l = fastSumError<W>(d, e, h);
  const r = squareRoot<f64, W>(h);
  const low = div<f64, W>(rootRemainder<W>(h, l, r), add<f64, W>(r, r));
  if (isVector<W>()) keepLowWord<W>(v128.andnot(low, f64x2.eq(r, f64x2.splat(0))));
  else keepLowWord<W>(<f64>r == 0 ? <W>0 : low);
  return r;
}

/**
 * atan2(y + yl, x + xl) for y ≥ 0, without the sign of y (see the top of
 * the file); `words`: the low words count (asin and acos in float64).
 */
@inline function arc<W>(y: W, yl: W, x: W, xl: W, narrow: bool, words: bool): W {
  const ax = absolute<f64, W>(x);
  const xSign = signBit<W>(x);
  const swap = greater<W>(y, ax);
  const p = choose<W>(ax, y, swap), q = choose<W>(y, ax, swap);
  const t = div<f64, W>(p, q);
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
    let nl = add<f64, W>(sumError<W>(p, m1, s1), sumError<W>(s1, m2, nh));
    const d1 = mul<f64, W>(c, ph);
    const dh = add<f64, W>(q, d1);
    let dl = madd<f64, W>(c, sub<f64, W>(p, ph), fastSumError<W>(q, d1, dh));
    if (words) {
      const xl2 = flipSign<W>(xl, xSign);
      const pl = choose<W>(xl2, yl, swap), ql = choose<W>(yl, xl2, swap);
      nl = add<f64, W>(nl, sub<f64, W>(pl, mul<f64, W>(c, ql)));
      dl = add<f64, W>(dl, madd<f64, W>(c, pl, ql));
    }
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
    if (op == Arc.Asin) return abs(a) < konst<f64, f64>(Slot.ArcTiny) ? a : asinOf<f64>(a, narrow);
    if (abs(a) < konst<f64, f64>(Slot.ArcTiny)) return konst<f64, f64>(Slot.HalfPiHi) + (konst<f64, f64>(Slot.HalfPiLo) - a);
    return acosOf<f64>(a, narrow);
  }
  // atan(a) = atan2(a, 1).
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
  return copysign(arc<f64>(ay, 0, x, 0, narrow, false), y);
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
  writeAtanTable(tableAddress(Table.Atan));
}
