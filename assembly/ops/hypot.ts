import { narrow, widenHigh, widenLow } from "../simd/memory";
import { define, konst, Slot } from "../simd/constants";
import { squareError } from "../simd/double";
import { absolute, add, div, maximum, minimum, mul, squareRoot, sub } from "../simd/vec";

// hypot(a, b) = √(a² + b²) over <T, V>, faithfully rounded, with no overflow
// or underflow in between (C99 Annex F: hypot(±∞, anything) = +∞, NaN then).
//
// float32 runs in f64 lanes: a² and b² are exact there, their sum rounds
// once, the square root once more, then the one rounding to f32: within
// 2^-52 of the result before that, so about 0.5 ULP.
//
// float64 scales both by a power of two chosen from the larger magnitude
// (2^-600 above 2^500, 2^600 below 2^-500, else 1: the squares stay in
// range, and a square too small to matter may round), forms a² + b² exactly
// as hi + lo (Dekker's products, with no FMA: plain multiplies and adds in
// every build), and takes r = √hi with one correction (hi − r² + lo)/(2r),
// r² itself formed exactly: about 0.5 ULP. A subnormal result is rounded
// once, from r and its correction together.

@final @unmanaged export class Hypot {
  @inline apply<T, V>(a: V, b: V): V {
    let y: V;
    if (sizeof<T>() == 4) {
      if (isVector<V>()) y = narrow(sumRoot(widenLow<f32>(a), widenLow<f32>(b)), sumRoot(widenHigh<f32>(a), widenHigh<f32>(b)));
      else y = <V><f32>sumRoot<f64>(<f64>a, <f64>b);
    } else {
      y = hypotF64<V>(absolute<f64, V>(a), absolute<f64, V>(b));
    }
    return infinite<T, V>(a, b, y);
  }
}

/** +∞ where a or b is infinite (even with a NaN), else y. */
@inline function infinite<T, V>(a: V, b: V, y: V): V {
  const inf = konst<T, V>(Slot.Infinity);
  if (isVector<V>()) {
    const either = v128.or(v128.eq<T>(absolute<T, v128>(a), inf), v128.eq<T>(absolute<T, v128>(b), inf));
    return v128.bitselect(inf, y, either);
  }
  return abs<T>(a) == inf || abs<T>(b) == inf ? inf : y;
}

/** √(a² + b²) in f64 for float32 a, b (W = f64, or v128 of f64). */
@inline function sumRoot<W>(a: W, b: W): W {
  return squareRoot<f64, W>(add<f64, W>(mul<f64, W>(a, a), mul<f64, W>(b, b)));
}

/** float64 hypot of |a| and |b| (NaN passes through; infinities are set after). */
@inline function hypotF64<V>(a: V, b: V): V {
  const big = maximum<f64, V>(a, b);
  let scale: V, unscale: V;
  if (isVector<V>()) {
    const high = f64x2.gt(big, konst<f64, v128>(Slot.HypotBig));
    const low = f64x2.lt(big, konst<f64, v128>(Slot.HypotSmall));
    scale = v128.bitselect(konst<f64, v128>(Slot.HypotDown), v128.bitselect(konst<f64, v128>(Slot.HypotUp), konst<f64, v128>(Slot.One), low), high);
    unscale = v128.bitselect(konst<f64, v128>(Slot.HypotUp), v128.bitselect(konst<f64, v128>(Slot.HypotDown), konst<f64, v128>(Slot.One), low), high);
  } else {
    const high = <f64>big > konst<f64, f64>(Slot.HypotBig);
    const low = <f64>big < konst<f64, f64>(Slot.HypotSmall);
    scale = <V>(high ? konst<f64, f64>(Slot.HypotDown) : low ? konst<f64, f64>(Slot.HypotUp) : 1.0);
    unscale = <V>(high ? konst<f64, f64>(Slot.HypotUp) : low ? konst<f64, f64>(Slot.HypotDown) : 1.0);
  }
  const x = mul<f64, V>(maximum<f64, V>(a, b), scale);
  const w = mul<f64, V>(minimum<f64, V>(a, b), scale);
  // x² + w² = hi + lo: x² = px + ex, w² = pw + ew exactly; px + pw by Fast2Sum (px ≥ pw).
  const px = mul<f64, V>(x, x);
  const py = mul<f64, V>(w, w);
  const hi = add<f64, V>(px, py);
  const lo = add<f64, V>(add<f64, V>(sub<f64, V>(px, hi), py), add<f64, V>(squareError<V>(x, px), squareError<V>(w, py)));
  // r = √hi, corrected by (hi − r² + lo)/(2r), r² = pr + er exactly.
  const r = squareRoot<f64, V>(hi);
  const pr = mul<f64, V>(r, r);
  const delta = add<f64, V>(sub<f64, V>(sub<f64, V>(hi, pr), squareError<V>(r, pr)), lo);
  // r = 0 (both zero): 0/0 would be NaN.
  let correction = div<f64, V>(delta, add<f64, V>(r, r));
  if (isVector<V>()) correction = v128.andnot(correction, f64x2.eq(r, f64x2.splat(0)));
  else correction = <f64>r == 0 ? 0 : correction;
  let y = mul<f64, V>(add<f64, V>(r, correction), unscale);
  if (isVector<V>()) {
    const tiny = f64x2.lt(y, konst<f64, v128>(Slot.MinNormal));
    if (v128.any_true(tiny)) y = v128.bitselect(subnormalRoot<V>(r, correction), y, tiny);
  } else if (<f64>y < konst<f64, f64>(Slot.MinNormal)) {
    y = subnormalRoot<V>(r, correction);
  }
  return y;
}

/**
 * (r + c)·2^-600 for a subnormal result, rounded once (r + c rounded first,
 * then scaled into the subnormals, would round twice): scaled by 2^422 it is
 * below 1, where 1 + z rounds at the subnormals' spacing (as exp's subnormal
 * results do). Zero stays zero.
 */
@inline function subnormalRoot<V>(r: V, c: V): V {
  const up = konst<f64, V>(Slot.HypotSubnormal);
  const zr = mul<f64, V>(r, up);
  const one = konst<f64, V>(Slot.One);
  const big = add<f64, V>(one, zr);
  const small = add<f64, V>(sub<f64, V>(one, big), zr); // exact: 1 ≥ zr
  const z = add<f64, V>(big, add<f64, V>(small, mul<f64, V>(c, up)));
  return mul<f64, V>(sub<f64, V>(z, one), konst<f64, V>(Slot.MinNormal));
}

/** hypot's constants (see simd/constants.ts). */
export function hypotConstants(): void {
  define(Slot.Infinity, 0x7f800000, 0x7ff0000000000000);
  define(Slot.HypotBig, 0, 0x5f30000000000000); // 2^500
  define(Slot.HypotSmall, 0, 0x20b0000000000000); // 2^-500
  define(Slot.HypotDown, 0, 0x1a70000000000000); // 2^-600
  define(Slot.HypotUp, 0, 0x6570000000000000); // 2^600
  define(Slot.HypotSubnormal, 0, 0x5a50000000000000); // 2^422
}
