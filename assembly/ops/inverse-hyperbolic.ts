import { define, konst, Slot } from "../simd/constants";
import { fastSumError, quotientRemainder, rootRemainder, squareError, sumError } from "../simd/double";
import { absolute, add, div, madd, mul, neg, squareRoot, sub, withSign } from "../simd/vec";
import { inF64Lanes } from "./exp2";
import { log1pWide, logWords } from "./log";

// asinh, acosh and atanh over <T, V>, faithfully rounded on all of T; asinh
// and atanh are odd (f(−0) = −0) and computed on |x|, the sign put back.
//
// float32 runs in f64 lanes, on log1pWide (ops/log.ts, within 2^-35):
//   asinh(x) = log1p(x + x²/(1 + √(1 + x²)))     (x² cannot overflow f64)
//   acosh(x) = log1p(y + √(y·(y + 2))),  y = x − 1 exact
//   atanh(x) = log1p(2x/(1 − x))/2,      1 − x exact
// each argument within a few 2^-53 of its value, which log1p does not
// amplify (its condition number is below 1): then rounded to f32 once.
//
// float64 takes the log of a double word h + l (logWords: log(h) + l/h):
//   asinh(x) = log(x + √(x² + 1)),  acosh(x) = log(x + √(x² − 1))
// with x² exact (Dekker), the sum and difference with 1 exact (TwoSum), and
// the root as r + c, one Newton step on the exact remainder: h + l within
// about 2^-104 of the argument, so the log is as good as log itself (about
// 0.51 ULP), down to x − 1 = 2^-52 for acosh, where the argument is near 1
// and the log's r = h − 1 is exact. Past x = 2^28 both are log(2x), the rest
// below 2^-58 of it: the log of x with its exponent raised by one (no 2x to
// overflow). atanh(x) = log((1 + x)/(1 − x))/2, numerator and denominator
// exact as double words (Fast2Sum: 1 ≥ x), the quotient as q + c
// (quotientCorrection): within 2^-100. Below x = 2^-28, asinh and atanh
// are x − x³/6 and x + x³/3 (the next terms are below 2^-110 of x).
//
// The fast paths take finite x in the domain (acosh: x > 1 for float64,
// x = 1 being a pole of the root's Newton step); `redo` sets the rest:
// asinh(±∞) = ±∞, acosh(1) = +0, acosh(+∞) = +∞, acosh(x < 1) = NaN,
// atanh(±1) = ±∞, atanh(|x| > 1) = NaN, and NaN is NaN.

@final @unmanaged export class Asinh {
  @inline apply<T, V>(a: V, b: V): V { return asinhOf<T, V>(a); }
  @inline usual<T>(a: v128): v128 { return v128.le<T>(v128.abs<T>(a), konst<T, v128>(Slot.MaxFinite)); }
  @inline usualOne<T>(a: T): bool { return abs<T>(a) <= konst<T, T>(Slot.MaxFinite); }
  @inline redo<T, V>(a: V, b: V): V {
    // ±∞ and NaN are themselves.
    const y = asinhOf<T, V>(a);
    if (isVector<V>()) return v128.bitselect(a, y, v128.not(v128.le<T>(v128.abs<T>(a), konst<T, v128>(Slot.MaxFinite))));
    return abs<T>(<T>a) <= konst<T, T>(Slot.MaxFinite) ? y : a;
  }
}

@final @unmanaged export class Acosh {
  @inline apply<T, V>(a: V, b: V): V { return acoshOf<T, V>(a); }
  @inline usual<T>(a: v128): v128 {
    return v128.and(v128.ge<T>(a, konst<T, v128>(Slot.AcoshUsualFrom)), v128.le<T>(a, konst<T, v128>(Slot.MaxFinite)));
  }
  @inline usualOne<T>(a: T): bool { return a >= konst<T, T>(Slot.AcoshUsualFrom) && a <= konst<T, T>(Slot.MaxFinite); }
  @inline redo<T, V>(a: V, b: V): V {
    let y = acoshOf<T, V>(a);
    if (isVector<V>()) {
      y = v128.bitselect(konst<T, v128>(Slot.QuietNaN), y, v128.lt<T>(a, konst<T, v128>(Slot.One)));
      y = v128.bitselect(v128.splat<T>(0), y, v128.eq<T>(a, konst<T, v128>(Slot.One)));
      // NaN and +∞ are themselves.
      return v128.bitselect(a, y, v128.not(v128.le<T>(a, konst<T, v128>(Slot.MaxFinite))));
    }
    if (!(<T>a <= konst<T, T>(Slot.MaxFinite))) return a;
    if (<T>a < 1) return konst<T, V>(Slot.QuietNaN);
    return <T>a == 1 ? <V>0 : y;
  }
}

@final @unmanaged export class Atanh {
  @inline apply<T, V>(a: V, b: V): V { return atanhOf<T, V>(a); }
  @inline usual<T>(a: v128): v128 { return v128.lt<T>(v128.abs<T>(a), konst<T, v128>(Slot.One)); }
  @inline usualOne<T>(a: T): bool { return abs<T>(a) < 1; }
  @inline redo<T, V>(a: V, b: V): V {
    let y = atanhOf<T, V>(a);
    if (isVector<V>()) {
      const ax = v128.abs<T>(a);
      y = v128.bitselect(konst<T, v128>(Slot.QuietNaN), y, v128.gt<T>(ax, konst<T, v128>(Slot.One)));
      const pole = v128.bitselect(a, konst<T, v128>(Slot.Infinity), konst<T, v128>(Slot.NegativeZero));
      y = v128.bitselect(pole, y, v128.eq<T>(ax, konst<T, v128>(Slot.One)));
      return v128.bitselect(a, y, v128.ne<T>(a, a));
    }
    const ax = abs<T>(<T>a);
    if (ax != ax) return a;
    if (ax > 1) return konst<T, V>(Slot.QuietNaN);
    return ax == 1 ? <V>copysign<T>(konst<T, T>(Slot.Infinity), <T>a) : y;
  }
}

@inline function asinhOf<T, V>(a: V): V {
  if (sizeof<T>() == 4) return inF64Lanes<V, AsinhCore>(a);
  const ax = absolute<f64, V>(a);
  return withSign<V>(a, nearZeroOr<V, AsinhRoad>(ax, Slot.AsinhC3));
}

@inline function acoshOf<T, V>(a: V): V {
  if (sizeof<T>() == 4) return inF64Lanes<V, AcoshCore>(a);
  return acoshWords<V>(a);
}

@inline function atanhOf<T, V>(a: V): V {
  if (sizeof<T>() == 4) return inF64Lanes<V, AtanhCore>(a);
  const ax = absolute<f64, V>(a);
  return withSign<V>(a, nearZeroOr<V, AtanhRoad>(ax, Slot.AtanhC3));
}

// ---------------------------------------------------------------------------
// float32, in f64 lanes (x finite; the sign of x put back where the op is odd).

@final @unmanaged class AsinhCore {
  @inline of<W>(x: W): W {
    const ax = absolute<f64, W>(x);
    const one = konst<f64, W>(Slot.One);
    const w = mul<f64, W>(ax, ax);
    const t = add<f64, W>(ax, div<f64, W>(w, add<f64, W>(one, squareRoot<f64, W>(add<f64, W>(one, w)))));
    return withSign<W>(x, log1pWide<W>(t));
  }
}

@final @unmanaged class AcoshCore {
  @inline of<W>(x: W): W {
    const y = sub<f64, W>(x, konst<f64, W>(Slot.One));
    const t = add<f64, W>(y, squareRoot<f64, W>(mul<f64, W>(y, add<f64, W>(y, konst<f64, W>(Slot.Two)))));
    return log1pWide<W>(t);
  }
}

@final @unmanaged class AtanhCore {
  @inline of<W>(x: W): W {
    const ax = absolute<f64, W>(x);
    const t = div<f64, W>(add<f64, W>(ax, ax), sub<f64, W>(konst<f64, W>(Slot.One), ax));
    return withSign<W>(x, mul<f64, W>(log1pWide<W>(t), konst<f64, W>(Slot.Half)));
  }
}

// ---------------------------------------------------------------------------
// float64, on double words.

/** asinh(x) for finite x ≥ 2^-28: log(x + √(x² + 1)), or log(2x) past 2^28. */
@inline function asinhWords<V>(x: V): V {
  const one = konst<f64, V>(Slot.One);
  const sh = mul<f64, V>(x, x);
  const wh = add<f64, V>(one, sh);
  const wl = add<f64, V>(sumError<V>(one, sh, wh), squareError<V>(x, sh));
  return logOfSum<V>(x, wh, wl);
}

/** acosh(x) for finite x > 1: log(x + √(x² − 1)), or log(2x) past 2^28. */
@inline function acoshWords<V>(x: V): V {
  const minusOne = konst<f64, V>(Slot.MinusOne);
  const ph = mul<f64, V>(x, x);
  const eh = add<f64, V>(ph, minusOne);
  const el = add<f64, V>(sumError<V>(ph, minusOne, eh), squareError<V>(x, ph));
  // Near x = 1, el may reach eh/4: renormalized, so that one Newton step on the root suffices.
  const dh = add<f64, V>(eh, el);
  return logOfSum<V>(x, dh, fastSumError<V>(eh, el, dh));
}

/**
 * log(x + √(dh + dl)) = log(th) + tl/th, th + tl = x + r + c the sum with
 * the root as a double word (c = rem/(2r), rootRemainder): tl/th =
 * (2r·e + rem)/(2r·th), e the rounding error of x + r, in one division.
 * log(2x) where x ≥ 2^28.
 */
@inline function logOfSum<V>(x: V, dh: V, dl: V): V {
  const r = squareRoot<f64, V>(dh);
  const th = add<f64, V>(x, r);
  const r2 = add<f64, V>(r, r);
  const extra = div<f64, V>(madd<f64, V>(r2, sumError<V>(x, r, th), rootRemainder<V>(dh, dl, r)), mul<f64, V>(r2, th));
  const big = konst<f64, V>(Slot.InverseHyperbolicBig);
  if (isVector<V>()) {
    const far = f64x2.ge(x, big);
    return logWords<V>(v128.bitselect(x, th, far), v128.andnot(extra, far), v128.and(far, konst<f64, v128>(Slot.One)));
  }
  const far = x >= big;
  return logWords<V>(far ? x : th, far ? <V>0 : extra, far ? <V>1 : <V>0);
}

/**
 * atanh(x) for 2^-28 ≤ x < 1: log(q)/2 + (c/q)/2, q + c = (1 + x)/(1 − x) as
 * a double word: N = 1 + x and D = 1 − x exact (Fast2Sum), q = N·(1/D) and
 * c/q = rem/N (quotientRemainder), both reciprocals from one division,
 * 1/(N·D).
 */
@inline function atanhWords<V>(x: V): V {
  const one = konst<f64, V>(Slot.One);
  const nh = add<f64, V>(one, x);
  const nl = fastSumError<V>(one, x, nh);
  const mx = neg<f64, V>(x);
  const dh = add<f64, V>(one, mx);
  const dl = fastSumError<V>(one, mx, dh);
  const inverse = div<f64, V>(one, mul<f64, V>(nh, dh));
  const q = mul<f64, V>(mul<f64, V>(nh, nh), inverse);
  const extra = mul<f64, V>(quotientRemainder<V>(nh, nl, dh, dl, q), mul<f64, V>(dh, inverse));
  return mul<f64, V>(logWords<V>(q, extra, konst<f64, V>(Slot.Zero)), konst<f64, V>(Slot.Half));
}

/**
 * x + c3·x³ where x < 2^-28, else Road.of(x); a vector whose lanes all take
 * one road computes only that one.
 */
@inline function nearZeroOr<V, Road>(x: V, c3: Slot): V {
  const road = changetype<Road>(0);
  if (isVector<V>()) {
    const near0 = f64x2.lt(x, konst<f64, v128>(Slot.InverseHyperbolicSmall));
    if (i64x2.all_true(near0)) return cubic<V>(x, c3);
    const y = road.of<V>(x);
    if (!v128.any_true(near0)) return y;
    return v128.bitselect(cubic<V>(x, c3), y, near0);
  }
  return x < konst<f64, V>(Slot.InverseHyperbolicSmall) ? cubic<V>(x, c3) : road.of<V>(x);
}

@inline function cubic<V>(x: V, c3: Slot): V {
  return madd<f64, V>(mul<f64, V>(mul<f64, V>(x, x), x), konst<f64, V>(c3), x);
}

@final @unmanaged class AsinhRoad {
  @inline of<V>(x: V): V { return asinhWords<V>(x); }
}

@final @unmanaged class AtanhRoad {
  @inline of<V>(x: V): V { return atanhWords<V>(x); }
}

/** The constants of asinh, acosh and atanh (see simd/constants.ts). */
export function inverseHyperbolicConstants(): void {
  // acosh's fast path from 1 (float32, whose f64 math gives acosh(1) = 0) or the next double after 1.
  define(Slot.AcoshUsualFrom, 0x3f800000, 0x3ff0000000000001);
  define(Slot.InverseHyperbolicBig, 0, 0x41b0000000000000); // 2^28
  define(Slot.InverseHyperbolicSmall, 0, 0x3e30000000000000); // 2^-28
  define(Slot.AsinhC3, 0, 0xbfc5555555555555); // -1/6
  define(Slot.AtanhC3, 0, 0x3fd5555555555555); // 1/3
}
