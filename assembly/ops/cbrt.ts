import { define, konst, konstBits, Slot } from "../simd/constants";
import { productError, squareError } from "../simd/double";
import { absolute, add, madd, mul, sub, withSign } from "../simd/vec";
import { narrow, widenHigh, widenLow } from "../simd/memory";
import { inF64Lanes } from "./exp2";

// cbrt over <T, V>, faithfully rounded on all of T, odd (cbrt(−0) = −0),
// computed on |x| with the sign put back; no division.
//
// z ≈ x^(-1/3) starts from the bits: z's pattern is C − X/3, X the pattern
// of x (float64: of their high words), X/3 in f32 lanes, exact enough: this
// guess is within 2^-4.77 (float32) or 2^-4.87 (float64) of z for every x,
// with C the best of a scan (tools/cbrt-magic.mjs). Steps of the
// third-order iteration for 1/∛x, division-free:
//   e = 1 − x·z³,  z ← z + z·e·(1/3 + 2e/9)        (error δ → 4.7·δ³)
// x·z³ taken as (x·z)·z², which neither overflows nor underflows where x is
// normal. Then y = x·z², and one Newton step y + (x − y³)·z²/3 doubles y's
// bits:
//   float32: the guess and one step in f32 lanes (2^-12), a second in f64
//     lanes (2^-34), and the Newton step with y³ in plain f64: within
//     2^-50 before the one rounding to f32. Subnormal x take redo, all in
//     f64 lanes, where they are normal;
//   float64: two steps (2^-34.7), and y³ as a double word (Dekker), x − y³
//     exact to its last bits, so y + c is within ~2^-67 before its one
//     rounding. The fast path takes 2^-900 ≤ |x| ≤ 2^900 (y² and y³'s error
//     terms stay normal); `redo` scales the rest by 2^∓900 first and the
//     result by 2^±300.
// ±0, ±∞ and NaN are themselves.

@final @unmanaged export class Cbrt {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return cbrtF32<V>(a);
    return withSign<V>(a, cbrtF64<V>(absolute<f64, V>(a)));
  }
  @inline usual<T>(a: v128): v128 {
    const ax = v128.abs<T>(a);
    return v128.and(v128.ge<T>(ax, konst<T, v128>(Slot.CbrtLow)), v128.le<T>(ax, konst<T, v128>(Slot.CbrtHigh)));
  }
  @inline usualOne<T>(a: T): bool {
    const ax = abs<T>(a);
    return ax >= konst<T, T>(Slot.CbrtLow) && ax <= konst<T, T>(Slot.CbrtHigh);
  }
  @inline redo<T, V>(a: V, b: V): V {
    let y: V;
    if (sizeof<T>() == 4) y = inF64Lanes<V, CbrtCore>(a);
    else y = withSign<V>(a, cbrtScaled<V>(absolute<f64, V>(a)));
    // ±0, ±∞ and NaN: a itself (NaN fails both comparisons).
    if (isVector<V>()) {
      const ax = v128.abs<T>(a);
      return v128.bitselect(y, a, v128.and(v128.gt<T>(ax, v128.splat<T>(0)), v128.lt<T>(ax, konst<T, v128>(Slot.Infinity))));
    }
    const ax = abs<T>(<T>a);
    return ax > 0 && ax < konst<T, T>(Slot.Infinity) ? y : a;
  }
}

/**
 * float32 cbrt of a normal x: the guess and the first step in f32 lanes
 * (within 2^-11), the second and the Newton step in f64 lanes.
 */
@inline function cbrtF32<V>(a: V): V {
  const ax = absolute<f32, V>(a);
  let z: V;
  if (isVector<V>()) {
    const third = f32x4.mul(f32x4.convert_i32x4_s(ax), konst<f32, v128>(Slot.CbrtThird32));
    z = i32x4.sub(konstBits<f32>(Slot.CbrtMagic), i32x4.trunc_sat_f32x4_s(third));
  } else {
    z = reinterpret<f32>(reinterpret<i32>(konst<f32, f32>(Slot.CbrtMagic)) - <i32>(<f32>reinterpret<i32>(<f32>ax) * konst<f32, f32>(Slot.CbrtThird32)));
  }
  z = cbrtStep<f32, V>(ax, z);
  if (isVector<V>()) {
    const y = narrow(newtonF64<v128>(widenLow<f32>(ax), widenLow<f32>(z)), newtonF64<v128>(widenHigh<f32>(ax), widenHigh<f32>(z)));
    return v128.bitselect(a, y, konst<f32, v128>(Slot.NegativeZero));
  }
  return <V>copysign<f32>(<f32>newtonF64<f64>(<f64>ax, <f64>z), <f32>a);
}

/** From z within 2^-11 of x^(-1/3): one more step, y = x·z², and y's Newton step, in plain f64. */
@inline function newtonF64<W>(x: W, z0: W): W {
  const z = cbrtStep<f64, W>(x, z0);
  const z2 = mul<f64, W>(z, z);
  const y = mul<f64, W>(x, z2);
  const residual = sub<f64, W>(x, mul<f64, W>(mul<f64, W>(y, y), y));
  return madd<f64, W>(mul<f64, W>(residual, z2), konst<f64, W>(Slot.CbrtThird), y);
}

/** float32 cbrt in f64 lanes for any nonzero finite float32 x, subnormals included: redo's road. */
@final @unmanaged class CbrtCore {
  @inline of<W>(x: W): W {
    const ax = absolute<f64, W>(x);
    return withSign<W>(x, newtonF64<W>(ax, inverseCbrt<W>(ax, 1)));
  }
}

/** float64 cbrt of 2^-900 ≤ x ≤ 2^900. */
@inline function cbrtF64<V>(x: V): V {
  const z = inverseCbrt<V>(x, 2);
  const z2 = mul<f64, V>(z, z);
  const y = mul<f64, V>(x, z2);
  // y³ = p + pe: y² = s + se exactly, s·y = p + its error exactly, se·y rounded (2^-106 of y³).
  const s = mul<f64, V>(y, y);
  const se = squareError<V>(y, s);
  const p = mul<f64, V>(s, y);
  const pe = madd<f64, V>(se, y, productError<V>(s, y, p));
  // x − p is exact (Sterbenz: p is within 2^-50 of x).
  const residual = sub<f64, V>(sub<f64, V>(x, p), pe);
  return add<f64, V>(y, mul<f64, V>(mul<f64, V>(residual, z2), konst<f64, V>(Slot.CbrtThird)));
}

/** float64 cbrt of any finite x ≥ 0 (0 gives garbage, replaced by the caller): scaled into cbrtF64's range. */
@inline function cbrtScaled<V>(x: V): V {
  const low = konst<f64, V>(Slot.CbrtLow), high = konst<f64, V>(Slot.CbrtHigh);
  if (isVector<V>()) {
    const big = f64x2.gt(x, high), small = f64x2.lt(x, low);
    const scaled = v128.bitselect(f64x2.mul(x, low), v128.bitselect(f64x2.mul(x, high), x, small), big);
    const back = v128.bitselect(konst<f64, v128>(Slot.CbrtUp), v128.bitselect(konst<f64, v128>(Slot.CbrtDown), konst<f64, v128>(Slot.One), small), big);
    return f64x2.mul(cbrtF64<v128>(scaled), back);
  }
  if (x > high) return cbrtF64<V>(x * low) * konst<f64, V>(Slot.CbrtUp);
  if (x < low) return cbrtF64<V>(x * high) * konst<f64, V>(Slot.CbrtDown);
  return cbrtF64<V>(x);
}

/** x^(-1/3) for x > 0 normal (f64 lanes): the bit guess, then `steps` third-order steps. */
@inline function inverseCbrt<W>(x: W, steps: i32): W {
  let z: W;
  if (isVector<W>()) {
    // H/3 in every 32-bit lane (the low words' lanes are cleared after).
    const third = f32x4.mul(f32x4.convert_i32x4_s(x), konstBits<f64>(Slot.CbrtThird32));
    const guess = i32x4.sub(konstBits<f64>(Slot.CbrtMagic), i32x4.trunc_sat_f32x4_s(third));
    z = v128.and(guess, konstBits<f64>(Slot.CbrtHighWord));
  } else {
    const h = <i32>(reinterpret<i64>(<f64>x) >>> 32);
    const third = <i32>(<f32>h * konst<f32, f32>(Slot.CbrtThird32));
    z = <W>reinterpret<f64>(<i64>(<u32>(<i32>(reinterpret<i64>(konst<f64, f64>(Slot.CbrtMagic)) >>> 32) - third)) << 32);
  }
  for (let i = 0; i < steps; i++) z = cbrtStep<f64, W>(x, z);
  return z;
}

/** One third-order step for x^(-1/3) in T lanes: error δ → 4.7·δ³. */
@inline function cbrtStep<T, W>(x: W, z: W): W {
  const e = sub<T, W>(konst<T, W>(Slot.One), mul<T, W>(mul<T, W>(x, z), mul<T, W>(z, z)));
  const g = madd<T, W>(e, konst<T, W>(Slot.CbrtTwoNinths), konst<T, W>(Slot.CbrtThird));
  return madd<T, W>(mul<T, W>(z, e), g, z);
}

/** cbrt's constants (see simd/constants.ts). */
export function cbrtConstants(): void {
  // The fast path: normal float32 (subnormals take redo, in f64 lanes), or 2^-900 ≤ |x| ≤ 2^900.
  define(Slot.CbrtLow, 0x00800000, 0x07b0000000000000);
  define(Slot.CbrtHigh, 0x7f7fffff, 0x7830000000000000);
  define(Slot.CbrtUp, 0, 0x52b0000000000000); // 2^300
  define(Slot.CbrtDown, 0, 0x2d30000000000000); // 2^-300
  // The guess: C for float32 and, in the high word of each lane, for float64 (node
  // tools/cbrt-magic.mjs: within 2^-4.77 and 2^-4.87); 1/3 as f32 in all four 32-bit lanes.
  define(Slot.CbrtMagic, 0x54a2a223, 0x553ef10000000000);
  define(Slot.CbrtHighWord, 0, 0xffffffff00000000);
  define(Slot.CbrtThird32, 0x3eaaaaab, 0x3eaaaaab3eaaaaab);
  define(Slot.CbrtThird, 0x3eaaaaab, 0x3fd5555555555555); // 1/3
  define(Slot.CbrtTwoNinths, 0x3e638e39, 0x3fcc71c71c71c71c); // 2/9
}
