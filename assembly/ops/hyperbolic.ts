import { define, konst, Slot } from "../simd/constants";
import { divideWords, fastSumError, squareError, lowWordOf } from "../simd/double";
import { horner } from "../simd/poly";
import { absolute, add, div, keepNaN, madd, mul, neg, pmax, pmin, scaleByPow2, sub, withSign } from "../simd/vec";
import { expIndex, expNarrow, expPoly, fromTable, tableExponent, tableWords } from "./exp";
import { expm1F64, inF64Lanes, keepZero } from "./exp2";

// tanh, sinh and cosh over <T, V>, faithfully rounded on all of T; tanh and
// sinh are odd (f(−0) = −0), cosh is even.
//
// sinh and cosh: float32 runs in f64 lanes, sinh(x) = (e + e/(e + 1))/2
// with e = e^|x| − 1 (no cancellation near 0): within 2^-51; cosh(x) =
// (E + 1/E)/2 with E = e^|x| to float32's needs (exp.ts expNarrow, within
// 2^-38.5): within 2^-37.5; each then rounded to f32 once. float64, for |x| ≤ 20,
// takes t = e^-|x| from exp's table as a double word and divides in
// double-word arithmetic: cosh = (1 + t²)/(2t), sinh = (1 − t²)/(2t), t²
// exact to 2^-100 (Dekker); 1 − t² amplifies t's 2^-61 by at most 8 for
// |x| ≥ 1/16, and below that sinh is x + x·w·S(w), w = x² (tools/fits.mjs
// sinh_poly_f64 deg 4, within 2^-54). Past |x| = 20 both are e^|x|/2 (the
// other half is below 2^-57 of it), scaled by 2^(e−1) in two exact steps so
// that results up to the largest finite value come out, and overflow to ∞.
//
// tanh(x):
//
// float32 runs in f64 lanes: tanh(x) = e/(e + 2), e = e^(2x) − 1 (expm1's
// f64 path, |x| clamped to 20, where tanh is 1 in either dtype): within
// 2^-51 of the result, then rounded to f32 once.
//
// float64 takes one of two roads per lane, on |x| (the sign is put back at
// the end):
//   |x| < 1/16: x + x·w·Q(w), w = x², Q within 2^-54 (relative) of its real
//     value (tools/fits.mjs tanh_poly_f64 deg 5); x·w·Q is below 2^-9.6 of
//     the result, so its roundings cost nothing that shows: about 0.5 ULP;
//   else t = e^(−2|x|) from exp's table as a double word (within 2^-61),
//     and (1 − t)/(1 + t) in double-word arithmetic: 1 ± t exactly (Fast2Sum;
//     1 − t by Sterbenz, as t > 1/2 wherever 1 − t is small), one quotient
//     corrected once. t's error reaches 1 − t amplified by at most
//     t/(1 − t) < 8 (|x| ≥ 1/16): 2^-58, well below the final rounding.
// Past |x| = 20 (the map driver's redo) tanh is ±1. A vector whose lanes all
// take one road computes only that one.

@final @unmanaged export class Tanh {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, TanhCore>(a);
    return tanhF64<V>(a);
  }
  @inline usual<T>(a: v128): v128 {
    return v128.le<T>(v128.abs<T>(a), konst<T, v128>(Slot.TanhUsualBelow));
  }
  @inline usualOne<T>(a: T): bool {
    return abs<T>(a) <= konst<T, T>(Slot.TanhUsualBelow);
  }
  @inline redo<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, TanhCore>(a);
    // Clamped to ±20, where tanh(x) rounds to ±1 (1 − tanh(20) < 2^-56); NaN passes.
    const bound = konst<f64, V>(Slot.TanhUsualBelow);
    return tanhF64<V>(pmax<f64, V>(pmin<f64, V>(a, bound), neg<f64, V>(bound)));
  }
}

/** tanh in f64 for float32 x: e/(e + 2), e = e^(2x) − 1, x clamped to ±20. */
@final @unmanaged class TanhCore {
  @inline of<W>(x: W): W {
    const bound = konst<f64, W>(Slot.TanhUsualBelow);
    const c = pmax<f64, W>(pmin<f64, W>(x, bound), neg<f64, W>(bound));
    const e = expm1F64<W>(add<f64, W>(c, c));
    return div<f64, W>(e, add<f64, W>(e, konst<f64, W>(Slot.Two)));
  }
}

/** float64 tanh for |x| ≤ 20 (NaN passes through). */
@inline function tanhF64<V>(x: V): V {
  const ax = absolute<f64, V>(x);
  let y: V;
  if (isVector<V>()) {
    const near0 = f64x2.lt(ax, konst<f64, v128>(Slot.TanhNearZero));
    if (i64x2.all_true(near0)) y = tanhPoly<V>(ax);
    else if (!v128.any_true(near0)) y = tanhTable<V>(ax);
    else y = v128.bitselect(tanhPoly<V>(ax), tanhTable<V>(ax), near0);
    // The sign of x, on |tanh|: odd, −0 included (NaN keeps its own bits).
    return v128.bitselect(x, y, konst<f64, v128>(Slot.NegativeZero));
  }
  y = <f64>ax < konst<f64, f64>(Slot.TanhNearZero) ? tanhPoly<V>(ax) : tanhTable<V>(ax);
  return <V>copysign<f64>(<f64>y, <f64>x);
}

/** x + x·w·Q(w) for 0 ≤ x < 1/16 (±0 stays ±0: x·w·Q adds a +0 at most). */
@inline function tanhPoly<V>(x: V): V {
  const w = mul<f64, V>(x, x);
  const q = horner<f64, V>(w, Slot.TanhQ0, 5);
  return keepZero<f64, V>(x, madd<f64, V>(mul<f64, V>(x, w), q, x));
}

/** (1 − t)/(1 + t), t = e^(−2x), for 1/16 ≤ x ≤ 20. */
@inline function tanhTable<V>(x: V): V {
  const m = neg<f64, V>(add<f64, V>(x, x));
  const f = expIndex<V>(m);
  return fromTable<V, Hyperbolic>(f, expPoly<V>(m, f), x);
}

@final @unmanaged class Hyperbolic {
  @inline of<V>(hi: V, lo: V, p: V, f: V, x: V): V {
    const th = tableWords<V>(hi, lo, p, f);
    const tl = lowWordOf<V>();
    const one = konst<f64, V>(Slot.One);
    const nh = sub<f64, V>(one, th);
    const nl = sub<f64, V>(fastSumError<V>(one, neg<f64, V>(th), nh), tl);
    const dh = add<f64, V>(one, th);
    const dl = add<f64, V>(fastSumError<V>(one, th, dh), tl);
    return divideWords<V>(nh, nl, dh, dl);
  }
}

@final @unmanaged export class Sinh {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, SinhCore>(a);
    return withSign<V>(a, sinhF64<V>(absolute<f64, V>(a)));
  }
  @inline usual<T>(a: v128): v128 {
    return v128.le<T>(v128.abs<T>(a), konst<T, v128>(Slot.TanhUsualBelow));
  }
  @inline usualOne<T>(a: T): bool {
    return abs<T>(a) <= konst<T, T>(Slot.TanhUsualBelow);
  }
  @inline redo<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, SinhCore>(a);
    const ax = absolute<f64, V>(a);
    return withSign<V>(a, farOrNear<V>(ax, sinhF64<V>(pmin<f64, V>(ax, konst<f64, V>(Slot.TanhUsualBelow)))));
  }
}

@final @unmanaged export class Cosh {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, CoshCore>(a);
    return coshF64<V>(absolute<f64, V>(a));
  }
  @inline usual<T>(a: v128): v128 {
    return v128.le<T>(v128.abs<T>(a), konst<T, v128>(Slot.TanhUsualBelow));
  }
  @inline usualOne<T>(a: T): bool {
    return abs<T>(a) <= konst<T, T>(Slot.TanhUsualBelow);
  }
  @inline redo<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, CoshCore>(a);
    const ax = absolute<f64, V>(a);
    return farOrNear<V>(ax, coshF64<V>(pmin<f64, V>(ax, konst<f64, V>(Slot.TanhUsualBelow))));
  }
}

/** sinh in f64 for float32 x: (e + e/(e + 1))/2 on |x| (clamped to 100, past float32's overflow), sign put back. */
@final @unmanaged class SinhCore {
  @inline of<W>(x: W): W {
    const ax = pmin<f64, W>(absolute<f64, W>(x), konst<f64, W>(Slot.SinhF32Clamp));
    const e = expm1F64<W>(ax);
    const y = mul<f64, W>(add<f64, W>(e, div<f64, W>(e, add<f64, W>(e, konst<f64, W>(Slot.One)))), konst<f64, W>(Slot.Half));
    return withSign<W>(x, y);
  }
}

/** cosh in f64 for float32 x: (E + 1/E)/2, E = e^|x|, |x| clamped to 100 (past float32's overflow; exp's fast path). */
@final @unmanaged class CoshCore {
  @inline of<W>(x: W): W {
    const e = expNarrow<W>(pmin<f64, W>(absolute<f64, W>(x), konst<f64, W>(Slot.SinhF32Clamp)));
    return keepNaN<f64, W>(x, mul<f64, W>(add<f64, W>(e, div<f64, W>(konst<f64, W>(Slot.One), e)), konst<f64, W>(Slot.Half)));
  }
}

/** e^ax/2 where ax > 20 (ax clamped to 750: ∞ from 710.5 on), else near. */
@inline function farOrNear<V>(ax: V, near: V): V {
  const c = pmin<f64, V>(ax, konst<f64, V>(Slot.HyperbolicClamp));
  const f = expIndex<V>(c);
  const far = fromTable<V, HalfScale>(f, expPoly<V>(c, f), c);
  if (isVector<V>()) return v128.bitselect(far, near, f64x2.gt(ax, konst<f64, v128>(Slot.TanhUsualBelow)));
  return ax > konst<f64, V>(Slot.TanhUsualBelow) ? far : near;
}

/** 2^(e−1)·(hi + (lo + hi·p)): exp's value halved, in two exact steps (scaleByPow2), so ∞ only past the range. */
@final @unmanaged class HalfScale {
  @inline of<V>(hi: V, lo: V, p: V, f: V, x: V): V {
    const e = tableExponent<V>(f);
    let e1: V;
    if (isVector<V>()) e1 = i32x4.sub(e, i32x4.splat(1));
    else e1 = reinterpret<f64>(<i64>(<i32>reinterpret<i64>(e) - 1));
    return scaleByPow2<f64, V>(add<f64, V>(hi, madd<f64, V>(hi, p, lo)), e1);
  }
}

/** float64 sinh of |x| ≤ 20: the polynomial below 1/16, else (1 − t²)/(2t). */
@inline function sinhF64<V>(ax: V): V {
  if (isVector<V>()) {
    const near0 = f64x2.lt(ax, konst<f64, v128>(Slot.TanhNearZero));
    if (i64x2.all_true(near0)) return sinhPoly<V>(ax);
    if (!v128.any_true(near0)) return fromT<V, SinhWords>(ax);
    return v128.bitselect(sinhPoly<V>(ax), fromT<V, SinhWords>(ax), near0);
  }
  return <f64>ax < konst<f64, f64>(Slot.TanhNearZero) ? sinhPoly<V>(ax) : fromT<V, SinhWords>(ax);
}

/** float64 cosh of |x| ≤ 20: (1 + t²)/(2t). */
@inline function coshF64<V>(ax: V): V {
  return fromT<V, CoshWords>(ax);
}

/** x + x·w·S(w) for 0 ≤ x < 1/16. */
@inline function sinhPoly<V>(x: V): V {
  const w = mul<f64, V>(x, x);
  const q = horner<f64, V>(w, Slot.SinhS0, 4);
  return keepZero<f64, V>(x, madd<f64, V>(mul<f64, V>(x, w), q, x));
}

/** Words.of on t = e^-ax (ax ≤ 20), from exp's table. */
@inline function fromT<V, Words>(ax: V): V {
  const m = neg<f64, V>(ax);
  const f = expIndex<V>(m);
  return fromTable<V, Words>(f, expPoly<V>(m, f), ax);
}

/** t² as sh + sl: th² exactly (Dekker), plus 2·th·tl. */
@inline function squareWords<V>(th: V, tl: V): V {
  const sh = mul<f64, V>(th, th);
  if (isVector<V>()) squareLow = add<f64, v128>(squareError<v128>(<v128>th, <v128>sh), mul<f64, v128>(add<f64, v128>(<v128>th, <v128>th), <v128>tl));
  else squareLowOne = <f64>add<f64, V>(squareError<V>(th, sh), mul<f64, V>(add<f64, V>(th, th), tl));
  return sh;
}
let squareLow: v128 = f64x2.splat(0);
let squareLowOne: f64 = 0;
@inline function squareLowOf<V>(): V {
  if (isVector<V>()) return <V>squareLow;
  return <V>squareLowOne;
}

/** (1 ± t²)/(2t) in double-word arithmetic: cosh with plus, sinh without. */
@inline function overTwiceT<V>(hi: V, lo: V, p: V, f: V, plus: bool): V {
  const th = tableWords<V>(hi, lo, p, f);
  const tl = lowWordOf<V>();
  const sh = squareWords<V>(th, tl);
  const sl = squareLowOf<V>();
  const one = konst<f64, V>(Slot.One);
  const s = plus ? sh : neg<f64, V>(sh);
  const nh = add<f64, V>(one, s);
  const nl = add<f64, V>(fastSumError<V>(one, s, nh), plus ? sl : neg<f64, V>(sl));
  return divideWords<V>(nh, nl, add<f64, V>(th, th), add<f64, V>(tl, tl));
}

@final @unmanaged class SinhWords {
  @inline of<V>(hi: V, lo: V, p: V, f: V, x: V): V {
    return overTwiceT<V>(hi, lo, p, f, false);
  }
}

@final @unmanaged class CoshWords {
  @inline of<V>(hi: V, lo: V, p: V, f: V, x: V): V {
    return overTwiceT<V>(hi, lo, p, f, true);
  }
}

/** The constants of tanh, sinh and cosh (see simd/constants.ts). */
export function hyperbolicConstants(): void {
  define(Slot.Half, 0x3f000000, 0x3fe0000000000000);
  define(Slot.SinhF32Clamp, 0, 0x4059000000000000); // 100
  define(Slot.HyperbolicClamp, 0, 0x4087700000000000); // 750
  // tools/fits.mjs sinh_poly_f64 deg 4: S(w) within 2^-54.0 (relative; 2^-79.0 before rounding).
  define(Slot.SinhS0, 0, 0x3fc5555555555555); // 0.16666666666666666
  define(Slot.SinhS1, 0, 0x3f8111111111bbbd); // 0.0083333333334091268
  define(Slot.SinhS2, 0, 0x3f2a019f44aa0f1e); // 0.00019841260139596360
  define(Slot.SinhS3, 0, 0x3ec77339f1ecfabc); // 0.0000027954701090898546
  define(Slot.SinhS4, 0, 0xbed53aaa89aec444); // -0.0000050614272834463105
  // f32 and f64: |x| ≤ 20 (f32 clamps within its f64 math instead: every finite x is usual).
  define(Slot.TanhUsualBelow, 0x7f7fffff, 0x4034000000000000);
  define(Slot.TanhNearZero, 0, 0x3fb0000000000000); // 1/16
  define(Slot.Two, 0x40000000, 0x4000000000000000);
  // tools/fits.mjs tanh_poly_f64 deg 5: Q(w) within 2^-54.0 (relative; 2^-66.8 before rounding).
  define(Slot.TanhQ0, 0, 0xbfd5555555555555); // -0.33333333333333331
  define(Slot.TanhQ1, 0, 0x3fc111111110efbe); // 0.13333333333309655
  define(Slot.TanhQ2, 0, 0xbfaba1ba1777832e); // -0.053968253483395720
  define(Slot.TanhQ3, 0, 0x3f9664dd35b1914a); // 0.021869141008566552
  define(Slot.TanhQ4, 0, 0xbf81f192d7d6b06e); // -0.0087615463370058454
  define(Slot.TanhQ5, 0, 0xbf7bf845f4a2b6ca); // -0.0068285687104158808
}
