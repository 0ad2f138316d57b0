import { define, konst, Slot } from "../simd/constants";
import { divideWords, fastSumError } from "../simd/double";
import { absolute, add, div, madd, mul, neg, pmax, pmin, sub } from "../simd/vec";
import { expIndex, expPoly, fromTable } from "./exp";
import { expm1F64, inF64Lanes, keepZero } from "./exp2";
import { lowWordOf, tableWords } from "./sigmoid";

// tanh(x) over <T, V>, faithfully rounded on all of T, odd (tanh(−0) = −0).
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
  let q = madd<f64, V>(konst<f64, V>(Slot.TanhQ5), w, konst<f64, V>(Slot.TanhQ4));
  q = madd<f64, V>(q, w, konst<f64, V>(Slot.TanhQ3));
  q = madd<f64, V>(q, w, konst<f64, V>(Slot.TanhQ2));
  q = madd<f64, V>(q, w, konst<f64, V>(Slot.TanhQ1));
  q = madd<f64, V>(q, w, konst<f64, V>(Slot.TanhQ0));
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

/** tanh's constants (see simd/constants.ts). */
export function tanhConstants(): void {
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
