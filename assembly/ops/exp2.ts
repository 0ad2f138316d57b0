import { narrow, widenHigh, widenLow } from "../simd/memory";
import { define, konst, Slot } from "../simd/constants";
import { horner } from "../simd/poly";
import { add, madd, mul, neg, pmax, pmin, pow2, sub } from "../simd/vec";
import { sumError } from "../simd/double";
import { clamp, expF64, expIndex, expPoly, fromTable, FastScale, FullScale, tableExponent } from "./exp";

// exp2 and expm1 over <T, V>, faithfully rounded (max error below 1 ULP) on
// all of T, with exp's table and its full path (ops/exp.ts).
//
// float32 runs both in f64 lanes, where nothing overflows or underflows
// before the one final rounding to f32 (which makes the subnormal and
// infinite results right by itself):
//   exp2:  x = n + r, r = x − rint(x) exact,       2^x = 2^n·R(r)
//   expm1: x = n·ln2 + r,                         e^x − 1 = 2^n·(r + r²·P(r)) + (2^n − 1)
// R and P are within 2^-34 (relative), the rest rounds at 2^-52: about 0.5 ULP.
//
// float64 exp2 is exp's table path with an exact reduction:
//   x = k/128 + r, r = x − k/128 exact (|r| ≤ 1/256),  2^x = 2^e·T[j]·(1 + r·Q(r))
// r·Q(r) is within 2^-63 of 2^r − 1, so only the final addition rounds at
// full size: about 0.51 ULP.
//
// float64 expm1 takes two roads, chosen per lane:
//   |x| < 1/16: e^x − 1 = x + x²·P(x), x itself exact, P within 2^-59.5 of
//     its real value (relative, as it must be where e^x − 1 → 0), and x²·P
//     below 1/30 of the result, so its roundings cost 0.1 ULP at most;
//   else exp's table: e^x − 1 = (2^e·hi − 1) + 2^e·(lo + hi·p), where
//     2^e·hi − 1 is split exactly into H + L (TwoSum). |e^x − 1| ≥ 1/16 here,
//     so the tail's 2^-60.5 (relative to 2^e·hi) costs 0.05 ULP at most.
// A vector whose lanes all take one road computes only that one.

@final @unmanaged export class Exp2 {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, Exp2Core>(a);
    return exp2F64<V>(a, false);
  }
  @inline usual<T>(a: v128): v128 {
    return v128.le<T>(v128.abs<T>(a), konst<T, v128>(Slot.Exp2FastBelow));
  }
  @inline usualOne<T>(a: T): bool {
    return abs<T>(a) <= konst<T, T>(Slot.Exp2FastBelow);
  }
  @inline redo<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, Exp2Core>(clamp<f32, V>(a, Slot.Exp2FastBelow, Slot.Exp2NegFastBelow));
    return exp2F64<V>(a, true);
  }
}

@final @unmanaged export class Expm1 {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return keepZero<f32, V>(a, inF64Lanes<V, Expm1Core>(a));
    return expm1F64<V>(a);
  }
  @inline usual<T>(a: v128): v128 {
    return v128.le<T>(v128.abs<T>(a), konst<T, v128>(Slot.Expm1FastBelow));
  }
  @inline usualOne<T>(a: T): bool {
    return abs<T>(a) <= konst<T, T>(Slot.Expm1FastBelow);
  }
  /** Past ±FastBelow: −1 below (clamped), and e^x itself above, where the −1 is far below its ULP. */
  @inline redo<T, V>(a: V, b: V): V {
    const bound = konst<T, V>(Slot.Expm1FastBelow);
    const x = pmax<T, V>(pmin<T, V>(a, bound), neg<T, V>(bound));
    if (sizeof<T>() == 4) return keepZero<f32, V>(a, inF64Lanes<V, Expm1Core>(x));
    const y = expm1F64<V>(x);
    const big = expF64<V>(a, true);
    if (isVector<V>()) return v128.bitselect(big, y, f64x2.gt(a, bound));
    else return a > bound ? big : y;
  }
}

/** ±0 where x is ±0 (x + (−0 + …) would give +0), else y. */
@inline export function keepZero<T, V>(x: V, y: V): V {
  if (isVector<V>()) return v128.bitselect(x, y, v128.eq<T>(x, v128.splat<i32>(0)));
  else return x == 0 ? x : y;
}

/** A float32 op's f64 math (Core.of<W>, W = f64 or v128 of f64) over float32 values, rounded to f32 once. */
@inline export function inF64Lanes<V, Core>(x: V): V {
  const core = changetype<Core>(0);
  if (isVector<V>()) return narrow(core.of<v128>(widenLow<f32>(x)), core.of<v128>(widenHigh<f32>(x)));
  else return <V><f32>core.of<f64>(<f64>x);
}

/** 2^x in f64 for float32 x, |x| ≤ 1000: 2^n·R(r), exact but for R's 2^-34.3 and one product. */
@final @unmanaged class Exp2Core {
  @inline of<W>(x: W): W {
    const f = add<f64, W>(x, konst<f64, W>(Slot.Shifter));
    const r = sub<f64, W>(x, sub<f64, W>(f, konst<f64, W>(Slot.Shifter)));
    // R(r) ≈ 2^r on |r| ≤ 1/2: tools/fits.mjs exp2_f64_for_f32 deg 7, 2^-34.32 relative.
    let p = horner<f64, W>(r, Slot.Exp2R1, 6);
    p = madd<f64, W>(p, r, konst<f64, W>(Slot.One));
    // A product by 2^n (normal in f64), not an add to the exponent: NaN stays NaN.
    return mul<f64, W>(p, pow2<f64, W>(f, 0));
  }
}

/** e^x − 1 in f64 for float32 x, |x| ≤ 700: 2^n·(r + r²·P(r)) + (2^n − 1). */
@final @unmanaged class Expm1Core {
  @inline of<W>(x: W): W {
    const f = madd<f64, W>(x, konst<f64, W>(Slot.Expm1Log2e), konst<f64, W>(Slot.Shifter));
    const negN = sub<f64, W>(konst<f64, W>(Slot.Shifter), f);
    // r to within 2^-44 (|n| ≤ 1010, ln2 rounded to f64): far below f32's ULP
    // of a result that is at least 0.29 wherever n ≠ 0 (and r = x where n = 0).
    const r = madd<f64, W>(negN, konst<f64, W>(Slot.Expm1Ln2), x);
    const p = expm1Poly<W>(r, false);
    const s = pow2<f64, W>(f, 0);
    return madd<f64, W>(s, p, sub<f64, W>(s, konst<f64, W>(Slot.One)));
  }
}

/** r + r²·P(r) ≈ e^r − 1: P of degree 7 on |r| < 1/16 (float64) or 6 on |r| ≤ 0.34658 (float32 in f64 lanes). */
@inline function expm1Poly<W>(r: W, f64Result: bool): W {
  let p: W;
  if (f64Result) {
    // tools/fits.mjs expm1_poly_f64 deg 7 (|r| < 1/16): P within 2^-59.46 (relative).
    p = horner<f64, W>(r, Slot.Expm1P1, 6);
  } else {
    // tools/fits.mjs expm1_poly_f64_for_f32 deg 6: P within 2^-34.15 (relative).
    p = horner<f64, W>(r, Slot.Expm1S1, 5);
  }
  p = madd<f64, W>(p, r, konst<f64, W>(Slot.Expm1P0));
  // Fused or not, r²·P rounds at 2^-53 of a term below 1/30 (float64) or 1/5 of the result.
  return madd<f64, W>(mul<f64, W>(r, r), p, r);
}

/** float64 exp2; `full` handles every x (the rare path), else |x| ≤ 1022 only. */
@inline function exp2F64<V>(x: V, full: bool): V {
  if (full) x = clamp<f64, V>(x, Slot.Exp2ClampHigh, Slot.Exp2ClampLow);
  // f holds k = rint(128·x) in its low bits (128·x is exact, fused or not).
  const f = madd<f64, V>(x, konst<f64, V>(Slot.Exp2Scale), konst<f64, V>(Slot.Shifter));
  const negK = sub<f64, V>(konst<f64, V>(Slot.Shifter), f);
  // r = x − k/128: exact (k/128 is exact, and x − k/128 is a multiple of x's ULP below 1/256).
  const r = madd<f64, V>(negK, konst<f64, V>(Slot.Exp2Step), x);
  // Q(r) = (2^r − 1)/r: tools/fits.mjs exp2_tab128_f64 deg 4, 2^-54.58 (relative).
  const q = horner<f64, V>(r, Slot.Exp2Q0, 4);
  if (full) return fromTable<V, FullScale>(f, mul<f64, V>(r, q), x);
  return fromTable<V, FastScale>(f, mul<f64, V>(r, q), x);
}

/** float64 expm1 for |x| ≤ 708 (NaN passes through). */
@inline export function expm1F64<V>(x: V): V {
  if (isVector<V>()) {
    const near0 = f64x2.lt(f64x2.abs(x), konst<f64, v128>(Slot.Expm1NearZero));
    if (i64x2.all_true(near0)) return keepZero<f64, V>(x, expm1Poly<V>(x, true));
    const far = expm1Table<V>(x);
    if (!v128.any_true(near0)) return far;
    return v128.bitselect(keepZero<f64, V>(x, expm1Poly<V>(x, true)), far, near0);
  } else {
    if (abs<f64>(<f64>x) < konst<f64, f64>(Slot.Expm1NearZero)) return keepZero<f64, V>(x, expm1Poly<V>(x, true));
    return expm1Table<V>(x);
  }
}

/** float64 e^x − 1 by exp's table, for 1/16 ≤ |x| ≤ 708. */
@inline function expm1Table<V>(x: V): V {
  const f = expIndex<V>(x);
  return fromTable<V, MinusOne>(f, expPoly<V>(x, f), x);
}

/** 2^e·(hi + lo + hi·p) − 1: 2^e·hi − 1 as H + L exactly (TwoSum), then the small terms. */
@final @unmanaged class MinusOne {
  @inline of<V>(hi: V, lo: V, p: V, f: V, x: V): V {
    const s = pow2<f64, V>(tableExponent<V>(f), 0); // normal: e ≥ −1022 here
    const a = mul<f64, V>(s, hi);
    const minusOne = konst<f64, V>(Slot.MinusOne);
    const h = add<f64, V>(a, minusOne);
    const l = sumError<V>(a, minusOne, h);
    const tail = mul<f64, V>(s, madd<f64, V>(hi, p, lo));
    return add<f64, V>(h, add<f64, V>(l, tail));
  }
}

/** exp2's and expm1's constants (see simd/constants.ts); the table is exp's. */
export function exp2Constants(): void {
  // exp2: the fast path's range, |x| ≤ 1000 (float32, in f64 lanes: the
  // range of 2^n there; also the full path's clamp) or 1022 (float64);
  // float64's full path clamps to [−1080, 1030], past which 2^x is +0 or +inf.
  define(Slot.Exp2FastBelow, 0x447a0000, 0x408ff00000000000);
  define(Slot.Exp2NegFastBelow, 0xc47a0000, 0xc08ff00000000000);
  define(Slot.Exp2ClampHigh, 0, 0x4090180000000000);
  define(Slot.Exp2ClampLow, 0, 0xc090e00000000000);
  define(Slot.Exp2Scale, 0, 0x4060000000000000); // 128
  define(Slot.Exp2Step, 0, 0x3f80000000000000); // 1/128
  // R(r) ≈ 2^r, for float32 in f64 lanes (exp2_f64_for_f32 deg 7; R0 = 1).
  define(Slot.Exp2R1, 0, 0x3fe62e42ff0e1920); // 0.693147180704531962
  define(Slot.Exp2R2, 0, 0x3fcebfbe07787270); // 0.240226510665610515
  define(Slot.Exp2R3, 0, 0x3fac6b08ac06bbfe); // 0.0555041036599206311
  define(Slot.Exp2R4, 0, 0x3f83b29f39d4c625); // 0.00961803813206347537
  define(Slot.Exp2R5, 0, 0x3f55d8a85fed151a); // 0.00133339350550560351
  define(Slot.Exp2R6, 0, 0x3f2445c8404a263c); // 0.000154667563169662531
  define(Slot.Exp2R7, 0, 0x3eefde5fde5adc69); // 0.0000151961566631065833
  // Q(r) = (2^r − 1)/r, for float64 (exp2_tab128_f64 deg 4).
  define(Slot.Exp2Q0, 0, 0x3fe62e42fefa39ef); // 0.693147180559945286
  define(Slot.Exp2Q1, 0, 0x3fcebfbdff82c3fb); // 0.240226506959089509
  define(Slot.Exp2Q2, 0, 0x3fac6b08d71ca8a5); // 0.0555041086757495430
  define(Slot.Exp2Q3, 0, 0x3f83b2abcad77642); // 0.00961813175939163836
  define(Slot.Exp2Q4, 0, 0x3f55d5e9f3e5e5ae); // 0.00133273932405440386
  // expm1: the fast path's range, |x| ≤ 700 (float32, in f64 lanes) or 708
  // (float64: past it, −1 below and e^x above); also the full path's clamp.
  define(Slot.Expm1FastBelow, 0x442f0000, 0x4086200000000000);
  define(Slot.Expm1NearZero, 0, 0x3fb0000000000000); // 1/16
  define(Slot.Expm1Log2e, 0, 0x3ff71547652b82fe); // 1/ln2
  define(Slot.Expm1Ln2, 0, 0x3fe62e42fefa39ef); // ln2
  // P(r), e^r − 1 = r + r²·P(r): float64 (expm1_poly_f64 deg 7).
  define(Slot.Expm1P0, 0, 0x3fe0000000000000); // 1/2, both fits
  define(Slot.Expm1P1, 0, 0x3fc5555555555555); // 0.166666666666666657
  define(Slot.Expm1P2, 0, 0x3fa55555555556e2); // 0.0416666666666694191
  define(Slot.Expm1P3, 0, 0x3f811111111126a1); // 0.00833333333334290889
  define(Slot.Expm1P4, 0, 0x3f56c16c15851de7); // 0.00138888888439391857
  define(Slot.Expm1P5, 0, 0x3f2a01a012bdb5a2); // 0.000198412695108824094
  define(Slot.Expm1P6, 0, 0x3efa022c0873ab7a); // 0.0000248036235718606846
  define(Slot.Expm1P7, 0, 0x3ec71ee4d47156b1); // 0.00000275619973736758834
  // The same for float32 in f64 lanes (expm1_poly_f64_for_f32 deg 6).
  define(Slot.Expm1S1, 0, 0x3fc55555566a5811); // 0.166666667170546151
  define(Slot.Expm1S2, 0, 0x3fa5555553c9c908); // 0.0416666664867922365
  define(Slot.Expm1S3, 0, 0x3f81110c75921d99); // 0.00833329900548456133
  define(Slot.Expm1S4, 0, 0x3f56c16ed497e4ad); // 0.00138889144215984949
  define(Slot.Expm1S5, 0, 0x3f2a14fbd60e4f97); // 0.000198989621847386818
  define(Slot.Expm1S6, 0, 0x3efa07afa63f8f1d); // 0.0000248241652939371696
}
