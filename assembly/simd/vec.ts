// The vector vocabulary. Every function is generic over the element type T
// (f32 or f64) and the value type V: V = T gives the scalar instruction,
// V = v128 the SIMD one. Kernels are written once over <T, V>, so the scalar
// kernels and the SIMD kernels run the same math, lane by lane.
import { define, konst, konstBits, Slot } from "./constants";

/** Elements of T in one v128. */
@inline export function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

@inline export function splat<T, V>(x: T): V {
  if (isVector<V>()) return v128.splat<T>(x);
  else return x;
}

@inline export function add<T, V>(a: V, b: V): V {
  if (isVector<V>()) return v128.add<T>(a, b);
  else return a + b;
}

@inline export function sub<T, V>(a: V, b: V): V {
  if (isVector<V>()) return v128.sub<T>(a, b);
  else return a - b;
}

@inline export function mul<T, V>(a: V, b: V): V {
  if (isVector<V>()) return v128.mul<T>(a, b);
  else return a * b;
}

@inline export function div<T, V>(a: V, b: V): V {
  if (isVector<V>()) return v128.div<T>(a, b);
  else return a / b;
}

// min and max follow wasm (and Math.min/Math.max): NaN wins, and -0 < +0.
@inline export function minimum<T, V>(a: V, b: V): V {
  if (isVector<V>()) return v128.min<T>(a, b);
  else return min<T>(a, b);
}

@inline export function maximum<T, V>(a: V, b: V): V {
  if (isVector<V>()) return v128.max<T>(a, b);
  else return max<T>(a, b);
}

// neg and abs flip or clear the sign bit (of NaN too, as v128.neg and
// v128.abs do) with the sign mask from the constant block: V8 12 and later
// reach the mask of v128.neg/abs through an address loaded at each use, two
// instructions where a load from the block, kept in a register, is none.
@inline export function neg<T, V>(a: V): V {
  if (isVector<V>()) return v128.xor(a, konst<T, v128>(Slot.NegativeZero));
  else return -a;
}

@inline export function absolute<T, V>(a: V): V {
  if (isVector<V>()) return v128.andnot(a, konst<T, v128>(Slot.NegativeZero));
  else return abs<T>(a);
}

@inline export function squareRoot<T, V>(a: V): V {
  if (isVector<V>()) return v128.sqrt<T>(a);
  else return sqrt<T>(a);
}

/**
 * a·b + c. In the relaxed module this is relaxed_madd, which engines fuse
 * (one rounding) where the CPU has FMA and round twice elsewhere; in the
 * strict module it is always rounded twice. So use it only where both keep
 * the op's error bound. The scalar form runs the same vector instruction on
 * one lane, so a scalar twin gives the SIMD kernel's bits in either module.
 */
@inline export function madd<T, V>(a: V, b: V, c: V): V {
  if (ASC_FEATURE_RELAXED_SIMD) {
    if (isVector<V>()) return v128.relaxed_madd<T>(a, b, c);
    return v128.extract_lane<T>(v128.relaxed_madd<T>(v128.splat<T>(a), v128.splat<T>(b), v128.splat<T>(c)), 0);
  }
  return add<T, V>(mul<T, V>(a, b), c);
}

/** wasm's pseudo-minimum, b < a ? b : a: one instruction on x86; a NaN in a passes through. */
@inline export function pmin<T, V>(a: V, b: V): V {
  if (isVector<V>()) return v128.pmin<T>(a, b);
  else return select<T>(b, a, b < a);
}

/** wasm's pseudo-maximum, a < b ? b : a: one instruction on x86; a NaN in a passes through. */
@inline export function pmax<T, V>(a: V, b: V): V {
  if (isVector<V>()) return v128.pmax<T>(a, b);
  else return select<T>(b, a, a < b);
}

/**
 * 1.5 · 2^(mantissa bits): adding it to |v| < 2^22 rounds v to an integer
 * (ties to even) and leaves that integer in the low bits of the sum.
 */
@inline export function shifter<T>(): T {
  if (sizeof<T>() == 4) return reinterpret<f32>(0x4b400000); // 12582912 = 1.5 · 2^23
  else return reinterpret<f64>(0x4338000000000000); //          6755399441055744 = 1.5 · 2^52
}

/** The vocabulary's own constants (see constants.ts). */
export function vecConstants(): void {
  define(Slot.Shifter, 0x4b400000, 0x4338000000000000);
  // The exponent bias, 127 or 1023, in each 32-bit lane: f64 code adds it
  // with 32-bit lane arithmetic to n in the low half of each 64-bit lane.
  define(Slot.ExponentBias, 127, 0x000003ff000003ff);
  define(Slot.One, 0x3f800000, 0x3ff0000000000000);
  define(Slot.MinNormal, 0x00800000, 0x0010000000000000); // 2^-126, 2^-1022
  define(Slot.MaxFinite, 0x7f7fffff, 0x7fefffffffffffff); // 3.4028235e38, 1.7976931348623157e308
  define(Slot.NegativeZero, 0x80000000, 0x8000000000000000); // -0, the identity of addition
}

/**
 * y · 2^n, where f = n + shifter<T>() holds the integer n (|n| ≤ 1100) in its
 * low bits. Scales in two exact steps, 2^h then 2^(n−h) with h = n >> 1, so
 * that neither step leaves the normal range: a result that overflows or falls
 * into the subnormals is rounded once, by the second product.
 */
@inline export function scaleByPow2<T, V>(y: V, f: V): V {
  if (sizeof<T>() == 4) {
    if (isVector<V>()) {
      const n = i32x4.sub(f, konst<f32, v128>(Slot.Shifter));
      const h = i32x4.shr_s(n, 1);
      const bias = konstBits<f32>(Slot.ExponentBias);
      const lo = i32x4.shl(i32x4.add(h, bias), 23);
      const hi = i32x4.shl(i32x4.add(i32x4.sub(n, h), bias), 23);
      return f32x4.mul(f32x4.mul(y, lo), hi);
    } else {
      const n = reinterpret<i32>(f) - reinterpret<i32>(shifter<f32>());
      const h = n >> 1;
      return y * reinterpret<f32>((h + 127) << 23) * reinterpret<f32>((n - h + 127) << 23);
    }
  } else {
    // The low 32 bits of f's pattern are n itself (the shifter's are zero), so
    // 32-bit lane arithmetic is enough; i64x2.shl moves the exponent in place.
    if (isVector<V>()) {
      const h = i32x4.shr_s(f, 1);
      const bias = konstBits<f64>(Slot.ExponentBias);
      const lo = i64x2.shl(i32x4.add(h, bias), 52);
      const hi = i64x2.shl(i32x4.add(i32x4.sub(f, h), bias), 52);
      return f64x2.mul(f64x2.mul(y, lo), hi);
    } else {
      const n = <i32>reinterpret<i64>(f);
      const h = n >> 1;
      return y * reinterpret<f64>(<i64>(h + 1023) << 52) * reinterpret<f64>(<i64>(n - h + 1023) << 52);
    }
  }
}

/**
 * 2^(n + add), for f as in scaleByPow2 and n + add within T's normal range.
 * In the relaxed module (engines from V8 11.4: Node 22 and later) the
 * vectors' shifter and bias (for add = 0, the hot paths) come from the constant block,
 * as V8 12+ rebuilds a v128.const at each use in the loop (exp float64 at
 * 10^6 on Node 24: 2.3 → 1.55 ns per element). The strict module keeps the
 * immediate, which V8 11.3 (Node 20) hoists: there the load ran exp 1.45×
 * slower.
 */
@inline export function pow2<T, V>(f: V, add: i32): V {
  if (sizeof<T>() == 4) {
    if (isVector<V>()) {
      const shift = ASC_FEATURE_RELAXED_SIMD ? konst<f32, v128>(Slot.Shifter) : v128.splat<f32>(shifter<f32>());
      return i32x4.shl(i32x4.add(i32x4.sub(f, shift), exponentBias<f32>(add)), 23);
    } else {
      return reinterpret<f32>((reinterpret<i32>(f) - reinterpret<i32>(shifter<f32>()) + add + 127) << 23);
    }
  } else {
    if (isVector<V>()) return i64x2.shl(i32x4.add(f, exponentBias<f64>(add)), 52);
    else return reinterpret<f64>(<i64>(<i32>reinterpret<i64>(f) + add + 1023) << 52);
  }
}

/** T's exponent bias plus add, in every 32-bit lane (see pow2). */
@inline function exponentBias<T>(add: i32): v128 {
  if (ASC_FEATURE_RELAXED_SIMD && add == 0) return konstBits<T>(Slot.ExponentBias);
  return i32x4.splat(add + (sizeof<T>() == 4 ? 127 : 1023));
}

/** |y| with the sign of x, in f64 lanes (odd ops on |x|; a NaN y from x keeps x's bits). */
@inline export function withSign<V>(x: V, y: V): V {
  if (isVector<V>()) return v128.bitselect(x, y, konst<f64, v128>(Slot.NegativeZero));
  return <V>copysign<f64>(<f64>y, <f64>x);
}

/** x where x is NaN, else y: for a fast path whose exponent arithmetic does not keep NaN. */
@inline export function keepNaN<T, V>(x: V, y: V): V {
  if (isVector<V>()) return v128.bitselect(x, y, v128.ne<T>(x, x));
  else return x != x ? x : y;
}

/** a where mask (lanes of all ones; a scalar: nonzero), else b. */
@inline export function choose<W>(a: W, b: W, mask: W): W {
  if (isVector<W>()) return v128.bitselect(a, b, mask);
  else return mask != 0 ? a : b;
}

/** x's sign bit alone, in f64 lanes. */
@inline export function signBit<W>(x: W): W {
  if (isVector<W>()) return v128.and(x, konst<f64, v128>(Slot.NegativeZero));
  return <W>reinterpret<f64>(reinterpret<u64>(<f64>x) & 0x8000000000000000);
}

/** y with its sign flipped where `sign` (a sign bit alone, as signBit gives) is set, in f64 lanes. */
@inline export function flipSign<W>(y: W, sign: W): W {
  if (isVector<W>()) return v128.xor(y, sign);
  return <W>reinterpret<f64>(reinterpret<u64>(<f64>y) ^ reinterpret<u64>(<f64>sign));
}
