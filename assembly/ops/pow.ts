import { narrow, widenHigh, widenLow } from "../simd/memory";
import { define, konst, Slot } from "../simd/constants";
import { keepLowWord, lowWordOf, productError } from "../simd/double";
import { absolute, add, mul, neg, pmax, pmin } from "../simd/vec";
import { expF64, expNarrow, expWords } from "./exp";
import { logPow, logWide, specials as logSpecials } from "./log";

// pow(x, y) = x^y (numpy's power) over <T, V>, faithfully rounded, with the
// special values of C99 Annex F: pow(x, ±0) = 1 and pow(1, y) = 1 even for
// NaN, pow(−1, ±∞) = 1, NaN for negative finite x and finite non-integer y,
// and the signs of odd integer powers of negative x, ±0 and −∞.
//
// Both dtypes compute |x|^y = e^(y·ln|x|) and set the sign and the special
// values after:
//
// float32 runs in f64 lanes: ln|x| within 2^-35 (log.ts's logWide), y·ln|x|
// (an f32 y is exact in f64) rounded once, then exp (exp.ts expNarrow,
// within 2^-38.5; the full path: float64's exp): |y·ln x| is below 104
// wherever the result is finite and not 0, so its error is 2^-29 relative
// (2^-6 ULP), and the one rounding to f32 ends it: within 0.52 ULP.
//
// float64 takes ln|x| as a double word to about 2^-68 (log.ts's logPow),
// y times it as a double word (Dekker), and exp of that double word
// (exp.ts's expWords): a result up to e^±745 needs y·ln x to 2^-60
// absolute. About 0.52 ULP.
//
// The fast path takes positive normal finite x with |y| ≤ 2^900 (Dekker's
// split of y stays finite) and |y·ln x| ≤ 708 (a normal result, scaled by
// one exponent add); a vector with any other lane is computed again by the
// full path, which takes subnormal x, clamps y·ln x, rounds subnormal
// results once, and sets the special values.

@final @unmanaged export class Pow {
  @inline apply<T, V>(a: V, b: V): V { return pow<T, V>(a, b); }
}

/** number ** array: pow with the operands swapped. */
@final @unmanaged export class RPow {
  @inline apply<T, V>(a: V, b: V): V { return pow<T, V>(b, a); }
}

@inline function pow<T, V>(x: V, y: V): V {
  if (sizeof<T>() == 4) {
    if (usualF32<V>(x, y)) return powF32<V>(x, y, false);
    return powFull<T, V>(x, y);
  }
  const zh = logProduct<V>(x, y, false);
  const zl = lowWordOf<V>();
  if (!usualF64<V>(x, y, zh)) return powFull<T, V>(x, y);
  return expWords<V>(zh, zl, false);
}

/**
 * The full path, for any x and y: a function of its own, called, not
 * inlined, so that the unrolled loop holds only the fast path.
 */
function powFull<T, V>(x: V, y: V): V {
  if (sizeof<T>() == 4) return powSpecials<f32, V>(x, y, powF32<V>(x, y, true));
  const zh = logProduct<V>(x, y, true);
  return powSpecials<f64, V>(x, y, expWords<V>(zh, lowWordOf<V>(), true));
}

/**
 * Whether float64's fast path holds in every lane: x positive, normal and
 * finite, |y| ≤ 2^900 (Dekker's split of y stays finite), |y·ln x| ≤ 708.
 */
@inline function usualF64<V>(x: V, y: V, zh: V): bool {
  if (isVector<V>()) {
    const xOk = v128.and(f64x2.ge(x, konst<f64, v128>(Slot.MinNormal)), f64x2.le(x, konst<f64, v128>(Slot.MaxFinite)));
    const yOk = f64x2.le(f64x2.abs(y), konst<f64, v128>(Slot.PowFastY));
    const zOk = f64x2.le(f64x2.abs(zh), konst<f64, v128>(Slot.ExpFastBelow));
    return i32x4.all_true(v128.and(v128.and(xOk, yOk), zOk));
  }
  const a = <f64>x;
  return a >= konst<f64, f64>(Slot.MinNormal) && a <= konst<f64, f64>(Slot.MaxFinite) &&
    abs<f64>(<f64>y) <= konst<f64, f64>(Slot.PowFastY) && abs<f64>(<f64>zh) <= konst<f64, f64>(Slot.ExpFastBelow);
}

/** Whether float32's fast path holds in every lane: x positive and finite (subnormals are normal in f64), y finite. */
@inline function usualF32<V>(x: V, y: V): bool {
  const max = konst<f32, V>(Slot.MaxFinite);
  if (isVector<V>()) {
    const xOk = v128.and(f32x4.gt(x, f32x4.splat(0)), f32x4.le(x, max));
    return i32x4.all_true(v128.and(xOk, f32x4.le(f32x4.abs(y), max)));
  }
  return <f32>x > 0 && <f32>x <= <f32>max && abs<f32>(<f32>y) <= <f32>max;
}

/**
 * y·ln|x| in float64 as a double word, to 2^-104 of it (relative): returns
 * the high word, keeps the low one (lowWordOf). `full` takes subnormal x,
 * and ln 0 = −∞, ln ∞ = ∞, ln NaN = NaN, so that the product says what
 * |x|^y is; past |y·ln x| = 1024 the low word is 0 (the result is 0 or ∞).
 */
@inline function logProduct<V>(x: V, y: V, full: bool): V {
  const ax = absolute<f64, V>(x);
  let lh = logPow<V>(ax, full);
  const ll = lowWordOf<V>();
  if (full) lh = logSpecials<f64, V>(ax, lh, false);
  const zh = mul<f64, V>(y, lh);
  let zl = add<f64, V>(productError<V>(y, lh, zh), mul<f64, V>(y, ll));
  if (full) {
    if (isVector<V>()) zl = v128.and(zl, f64x2.lt(f64x2.abs(zh), konst<f64, v128>(Slot.PowBigProduct)));
    else if (!(abs<f64>(<f64>zh) < konst<f64, f64>(Slot.PowBigProduct))) zl = <V>0.0;
  }
  keepLowWord<V>(zl);
  return zh;
}

/** float32 |x|^y in f64 lanes, rounded to f32: `full` takes any x and y (the special values are set after). */
@inline function powF32<V>(x: V, y: V, full: bool): V {
  if (isVector<V>()) return narrow(powWide<v128>(widenLow<f32>(x), widenLow<f32>(y), full), powWide<v128>(widenHigh<f32>(x), widenHigh<f32>(y), full));
  return <V><f32>powWide<f64>(<f64>x, <f64>y, full);
}

/** |x|^y in f64 for float32 x and y widened (W = f64, or v128 of f64). */
@inline function powWide<W>(x: W, y: W, full: bool): W {
  const ax = absolute<f64, W>(x);
  let l = logWide<W>(ax);
  if (full) l = logSpecials<f64, W>(ax, l, false);
  // Past ±200 the f32 result is 0 or ∞ already; the clamp keeps exp in its fast range.
  const bound = konst<f64, W>(Slot.PowF32Clamp);
  const z = pmax<f64, W>(pmin<f64, W>(mul<f64, W>(y, l), bound), neg<f64, W>(bound));
  return full ? expF64<W>(z, true) : expNarrow<W>(z);
}

/**
 * x^y from r = |x|^y (as e^(y·ln|x|) gives it, ±∞ and NaN included), by
 * C99 Annex F: 1 for |x| = 1 (unless y is NaN and x is not 1), for y = ±0
 * and for x = 1; the sign of x for odd integer y; NaN for negative finite x
 * with finite non-integer y. Infinite y counts as an even integer.
 */
@inline function powSpecials<T, V>(x: V, y: V, r: V): V {
  const one = konst<T, V>(Slot.One);
  if (isVector<V>()) {
    const yInt = v128.eq<T>(v128.trunc<T>(y), y);
    const half = v128.mul<T>(y, konst<T, v128>(Slot.Half));
    const yOdd = v128.andnot(yInt, v128.eq<T>(v128.trunc<T>(half), half));
    const ax = v128.abs<T>(x);
    r = v128.bitselect(one, r, v128.and(v128.eq<T>(ax, one), v128.eq<T>(y, y)));
    r = v128.bitselect(v128.or(r, v128.and(x, konst<T, v128>(Slot.NegativeZero))), r, yOdd);
    const finite = v128.and(v128.lt<T>(ax, konst<T, v128>(Slot.Infinity)), v128.le<T>(v128.abs<T>(y), konst<T, v128>(Slot.MaxFinite)));
    const negative = v128.and(v128.lt<T>(x, v128.splat<T>(0)), finite);
    r = v128.bitselect(konst<T, v128>(Slot.QuietNaN), r, v128.andnot(negative, yInt));
    return v128.bitselect(one, r, v128.or(v128.eq<T>(y, v128.splat<T>(0)), v128.eq<T>(x, one)));
  } else {
    const a = <T>x, b = <T>y;
    if (b == 0 || a == 1) return one;
    let v = <T>r;
    if (abs<T>(a) == 1 && b == b) v = <T>one;
    const yInt = trunc<T>(b) == b;
    if (yInt && trunc<T>(b * <T>0.5) != b * <T>0.5) v = copysign<T>(v, a);
    if (a < 0 && abs<T>(a) < konst<T, T>(Slot.Infinity) && abs<T>(b) <= konst<T, T>(Slot.MaxFinite) && !yInt) v = konst<T, T>(Slot.QuietNaN);
    return <V>v;
  }
}

/** pow's constants (see simd/constants.ts). */
export function powConstants(): void {
  define(Slot.PowFastY, 0, 0x7830000000000000); // 2^900
  define(Slot.PowBigProduct, 0, 0x4090000000000000); // 1024
  define(Slot.PowF32Clamp, 0, 0x4069000000000000); // 200
}
