import { define, konst, Slot } from "../simd/constants";
import { divideWords, fastSumError, lowWordOf } from "../simd/double";
import { absolute, add, div, keepNaN, neg, pmax, pmin } from "../simd/vec";
import { expF64, expIndex, expNarrow, expPoly, fromTable, tableWords } from "./exp";
import { inF64Lanes } from "./exp2";

// sigmoid(x) = 1/(1 + e^-x) over <T, V>, faithfully rounded on all of T,
// with no overflow at either end: e^-x is only ever taken of −|x|.
//
// float32 runs in f64 lanes: e^-x to float32's needs (exp.ts expNarrow,
// within 2^-38.5), so 1/(1 + e^-x) is within 2^-37.5 of the result, and
// rounds to f32 once (subnormal results near x = −100 too); x is clamped to
// ±700 first, so exp's fast path serves every lane.
//
// float64 takes t = e^-|x| from exp's table as a double word th + tl (within
// 2^-61 of t, relative), d = 1 + t as dh + dl exactly (Fast2Sum: 1 ≥ th), and
// the numerator N = 1 (x ≥ 0) or t (x < 0, where sigmoid(x) = t/(1 + t)),
// and divides in double-word arithmetic (simd/double.ts divideWords: the
// remainder N − q·d formed exactly, one correction): within 2^-60 of N/d,
// so about 0.5 ULP. Past |x| = 40 the
// map driver takes `redo`: there sigmoid(x) is 1 (x > 40: 1 − e^-x is within
// 2^-57 of 1) or e^x itself, to within 2^-57 relative (x < −40), which
// exp's full path computes, subnormal results included.

@final @unmanaged export class Sigmoid {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, SigmoidCore>(a);
    return sigmoidF64<V>(a);
  }
  @inline usual<T>(a: v128): v128 {
    return v128.le<T>(v128.abs<T>(a), konst<T, v128>(Slot.SigmoidUsualBelow));
  }
  @inline usualOne<T>(a: T): bool {
    return abs<T>(a) <= konst<T, T>(Slot.SigmoidUsualBelow);
  }
  @inline redo<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, SigmoidCore>(a);
    const bound = konst<f64, V>(Slot.SigmoidUsualBelow);
    const y = sigmoidF64<V>(pmax<f64, V>(pmin<f64, V>(a, bound), neg<f64, V>(bound)));
    const tiny = expF64<V>(a, true);
    const one = konst<f64, V>(Slot.One);
    if (isVector<V>()) return v128.bitselect(one, v128.bitselect(tiny, y, f64x2.lt(a, neg<f64, v128>(bound))), f64x2.gt(a, bound));
    return a > bound ? one : a < -bound ? tiny : y;
  }
}

/**
 * 1/(1 + e^-x) in f64 for float32 x, x clamped to ±700 (exp's fast path
 * holds there): past it the result is 0 or 1 once rounded to float32.
 */
@final @unmanaged class SigmoidCore {
  @inline of<W>(x: W): W {
    const one = konst<f64, W>(Slot.One);
    const bound = konst<f64, W>(Slot.SigmoidF32Clamp);
    const c = pmax<f64, W>(pmin<f64, W>(x, bound), neg<f64, W>(bound));
    return keepNaN<f64, W>(x, div<f64, W>(one, add<f64, W>(one, expNarrow<W>(neg<f64, W>(c)))));
  }
}

/** float64 sigmoid for |x| ≤ 40 (NaN passes through). */
@inline function sigmoidF64<V>(x: V): V {
  const m = neg<f64, V>(absolute<f64, V>(x));
  const f = expIndex<V>(m);
  return fromTable<V, Logistic>(f, expPoly<V>(m, f), x);
}

/** N/(1 + t) from t = e^-|x| = 2^e·(hi + (lo + hi·p)), in double-word arithmetic. */
@final @unmanaged class Logistic {
  @inline of<V>(hi: V, lo: V, p: V, f: V, x: V): V {
    // 2^e is normal (e ≥ −58 for |x| ≤ 40), and scaling by it is exact.
    // t = 2^e·hi + 2^e·(lo + hi·p), the second up to 2^-7 of the first: t = th + tl
    // with |tl| ≤ ulp(th)/2 by Fast2Sum, so that q = N/dh below is off by one rounding only.
    const th = tableWords<V>(hi, lo, p, f);
    const tl = lowWordOf<V>();
    const one = konst<f64, V>(Slot.One);
    const dh = add<f64, V>(one, th);
    const dl = add<f64, V>(fastSumError<V>(one, th, dh), tl);
    let nh: V, nl: V;
    if (isVector<V>()) {
      const negative = f64x2.lt(x, f64x2.splat(0));
      nh = v128.bitselect(th, one, negative);
      nl = v128.and(tl, negative);
    } else {
      nh = x < 0 ? th : one;
      nl = x < 0 ? tl : <V>0;
    }
    return divideWords<V>(nh, nl, dh, dl);
  }
}

/** sigmoid's constants (see simd/constants.ts). */
export function sigmoidConstants(): void {
  // f32: every finite x takes the one path (3.4028235e38); f64: |x| ≤ 40.
  define(Slot.SigmoidUsualBelow, 0x7f7fffff, 0x4044000000000000);
  define(Slot.SigmoidF32Clamp, 0, 0x4085e00000000000); // 700
}
