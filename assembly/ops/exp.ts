import { add, mul, pmax, pmin, pow2, scaleByPow2, shifter, splat, sub } from "../simd/vec";

// exp(x) over <T, V>, faithfully rounded (max error below 1 ULP) on all of T.
//
//   x = n·ln2 + r,  n = rint(x·log2e),  |r| ≲ ln2/2
//   exp(x) = 2^n · (1 + r + r²·P(r)),  P(r) = Σ_{k≥0} r^k / (k+2)!
//
// r is carried as rHi + rLo, and 1 + rHi is split exactly into hi + e, so the
// only large rounding is the final hi + tail: the error stays near 0.5 ULP.
// No tables: kernels have no static data.

/** A constant of T, given bit-exact for f32 and for f64. */
@inline function k<T>(f32bits: u32, f64bits: u64): T {
  if (sizeof<T>() == 4) return reinterpret<f32>(f32bits);
  else return reinterpret<f64>(f64bits);
}

/**
 * exp for the map driver. The fast path rounds results below the normal
 * range twice (to T, then to the subnormal grid). The driver checks each
 * step's inputs with `rare` and sends steps with any such x to `redo`, which
 * rounds them once: the common path pays one compare per vector.
 */
@final @unmanaged export class Exp {
  @inline apply<T, V>(a: V, b: V): V { return exp<T, V>(a, false); }
  @inline rare<T>(a: v128): v128 { return v128.lt<T>(a, v128.splat<T>(subnormalBelow<T>())); }
  @inline rareOne<T>(a: T): bool { return a < subnormalBelow<T>(); }
  @inline redo<T, V>(a: V, b: V): V { return exp<T, V>(a, true); }
}

/**
 * Below this x, exp(x) may be subnormal: a little above ln(2^-126) = -87.3365
 * and ln(2^-1022) = -708.3964. f32: -87.25; f64: -708.25.
 */
@inline function subnormalBelow<T>(): T {
  return k<T>(0xc2ae8000, 0xc086220000000000);
}

/** exp(x); with `once`, results below the normal range are rounded once (slower). */
@inline export function exp<T, V>(x: V, once: bool): V {
  // Past these bounds the result is +inf or +0 anyway; clamping keeps n in
  // range. NaN passes through. f32: 89 and -104; f64: 710 and -746.
  x = pmin<T, V>(x, splat<T, V>(k<T>(0x42b20000, 0x4086300000000000)));
  x = pmax<T, V>(x, splat<T, V>(k<T>(0xc2d00000, 0xc087500000000000)));

  // n = rint(x · log2e), log2e = 1.4426950408889634 rounded to T; f keeps n
  // as an integer in its low bits for the final scaling.
  const f = add<T, V>(mul<T, V>(x, splat<T, V>(k<T>(0x3fb8aa3b, 0x3ff71547652b82fe))), splat<T, V>(shifter<T>()));
  const n = sub<T, V>(f, splat<T, V>(shifter<T>()));

  // ln2 = L1 + L2 + L3 (computed from Σ 1/(k·2^k) to 400 bits). L1 and L2 have
  // 16 (f32) or 42 (f64) significant bits, so n·L1 and n·L2 are exact for
  // every n here, and x − n·L1 is exact (Sterbenz).
  //   f32: L1 = 0.693145751953125, L2 = 1.4286197256296873e-6, L3 = -1.2905320041778356e-11
  //   f64: L1 = 0.6931471805598903, L2 = 5.4979230187085024e-14, L3 = -1.3124698417785255e-27
  const t = sub<T, V>(x, mul<T, V>(n, splat<T, V>(k<T>(0x3f317200, 0x3fe62e42fefa3800))));
  const p = mul<T, V>(n, splat<T, V>(k<T>(0x35bfbf00, 0x3d2ef35793c76800)));
  const rHi = sub<T, V>(t, p);
  const rLo = sub<T, V>(
    sub<T, V>(sub<T, V>(t, rHi), p),
    mul<T, V>(n, splat<T, V>(k<T>(0xad630865, 0xba59ff0342542fc3))),
  );

  // 1 + rHi = hi + e exactly (Fast2Sum: |1| ≥ |rHi|).
  const one = splat<T, V>(1);
  const hi = add<T, V>(one, rHi);
  const e = add<T, V>(sub<T, V>(one, hi), rHi);
  // exp(rHi + rLo) − hi ≈ e + rHi²·P(rHi) + rLo·(1 + rHi)
  const q = mul<T, V>(mul<T, V>(rHi, rHi), poly<T, V>(rHi));
  const tail = add<T, V>(e, add<T, V>(rLo, add<T, V>(q, mul<T, V>(rHi, rLo))));
  const y = scaleByPow2<T, V>(add<T, V>(hi, tail), f);

  if (!once) return y;
  if (isVector<V>()) {
    return v128.bitselect(subnormal<T, V>(hi, tail, f), y, v128.lt<T>(y, v128.splat<T>(minNormal<T>())));
  }
  return y < minNormal<T>() ? subnormal<T, V>(hi, tail, f) : y;
}

/** The smallest normal T: 2^-126 or 2^-1022. */
@inline function minNormal<T>(): T {
  return k<T>(0x00800000, 0x0010000000000000);
}

/**
 * (hi + tail) · 2^n for a result below the normal range, rounded once.
 * Scaled by 2^M (M = 126 or 1022, exactly, as both parts stay normal) the
 * value z is below 1, and 1 + z rounds at a spacing of 2^-23 or 2^-52, which
 * is the subnormals' spacing scaled by 2^M. So round 1 + z, take the 1 away
 * and scale back: both exact.
 */
@inline function subnormal<T, V>(hi: V, tail: V, f: V): V {
  const m = sizeof<T>() == 4 ? 126 : 1022;
  const s = pow2<T, V>(f, m);
  const zHi = mul<T, V>(hi, s);
  const zTail = mul<T, V>(tail, s);
  const one = splat<T, V>(1);
  const big = add<T, V>(one, zHi);
  const small = add<T, V>(sub<T, V>(one, big), zHi); // exact: 1 ≥ zHi
  const r = add<T, V>(big, add<T, V>(small, zTail));
  return mul<T, V>(sub<T, V>(r, one), splat<T, V>(minNormal<T>()));
}

/**
 * P(r) = Σ r^k / (k+2)!, Taylor coefficients 1/j! rounded to T, in Horner form.
 * Truncation error of r²·P on |r| ≤ 0.35 is below 2^-31 (f32, j ≤ 8) and 2^-57
 * (f64, j ≤ 13) relative to the result: a few hundredths of an ULP.
 */
@inline function poly<T, V>(r: V): V {
  let p: V;
  if (sizeof<T>() == 4) {
    p = splat<T, V>(k<T>(0x37d00d01, 0)); //                                   1/8!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0x39500d01, 0))); //      1/7!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0x3ab60b61, 0))); //      1/6!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0x3c088889, 0))); //      1/5!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0x3d2aaaab, 0))); //      1/4!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0x3e2aaaab, 0))); //      1/3!
  } else {
    p = splat<T, V>(k<T>(0, 0x3de6124613a86d09)); //                           1/13!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0, 0x3e21eed8eff8d898))); // 1/12!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0, 0x3e5ae64567f544e4))); // 1/11!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0, 0x3e927e4fb7789f5c))); // 1/10!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0, 0x3ec71de3a556c734))); // 1/9!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0, 0x3efa01a01a01a01a))); // 1/8!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0, 0x3f2a01a01a01a01a))); // 1/7!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0, 0x3f56c16c16c16c17))); // 1/6!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0, 0x3f81111111111111))); // 1/5!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0, 0x3fa5555555555555))); // 1/4!
    p = add<T, V>(mul<T, V>(p, r), splat<T, V>(k<T>(0, 0x3fc5555555555555))); // 1/3!
  }
  return add<T, V>(mul<T, V>(p, r), splat<T, V>(0.5)); //                        1/2!
}
