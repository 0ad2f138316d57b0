// cumsum over <T>: out[i] = a[0] + … + a[i], the running sum carried in f64
// and rounded to T only where it is stored. The pool runs it in two passes
// over the same chunks: `total` sums each chunk in f64, then `scan` runs
// each chunk's sums from the f64 at p, the totals of every chunk before it
// added in chunk order (src/dispatch/call.ts). A chunk's results depend on
// the chunk and its offset alone, never on the thread count. The first
// chunk starts at -0, so that cumsum([-0]) is -0.
//
// A plain running sum is one chain of adds, each waiting for the last. scan
// takes four elements a step instead: their own prefix sums first (t1 =
// x1 + x0, t2 = x2 + t1, t3 = (x3 + x2) + t1, in f64x2 lanes), then s + tₖ
// for each, and the chain moves on by s + t3 alone: one add in the chain per
// four elements. Every result is still a sum of a[0..i] in a fixed order
// with i adds, so within γᵢ·Σ|a[j]| of the exact value (γᵢ = i·u/(1 − i·u),
// u = 2^-53), as a plain loop's f64 running sum is. The _scalar twins do
// the same adds in the same order, so the same bits.

import { konst, Slot } from "../simd/constants";
import { narrow, widenHigh, widenLow } from "../simd/memory";

@final @unmanaged export class CumSum {
  @inline scan<T>(a: usize, p: usize, out: usize, n: i32): void {
    let s = f64x2.splat(load<f64>(p));
    // From the constant block: as a v128.const, V8 12+ rebuilds it at both uses in the loop (simd/constants.ts).
    const zero = konst<f64, v128>(Slot.NegativeZero);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      let v: v128, w: v128;
      if (sizeof<T>() == 4) {
        const x = v128.load(a);
        v = widenLow<f32>(x);
        w = widenHigh<f32>(x);
      } else {
        v = v128.load(a);
        w = v128.load(a, 16);
      }
      v = f64x2.add(v, v128.shuffle<f64>(zero, v, 0, 2)); //     (x0, x1 + x0)
      w = f64x2.add(w, v128.shuffle<f64>(zero, w, 0, 2)); //     (x2, x3 + x2)
      w = f64x2.add(w, v128.shuffle<f64>(v, v, 1, 1)); //        (x2 + t1, (x3 + x2) + t1)
      v = f64x2.add(s, v);
      w = f64x2.add(s, w);
      if (sizeof<T>() == 4) v128.store(out, narrow(v, w));
      else {
        v128.store(out, v);
        v128.store(out, w, 16);
      }
      s = v128.shuffle<f64>(w, w, 1, 1);
      a += 4 * sizeof<T>();
      out += 4 * sizeof<T>();
    }
    tail<T>(a, out, n - i, f64x2.extract_lane(s, 0));
  }

  @inline scanScalar<T>(a: usize, p: usize, out: usize, n: i32): void {
    let s = load<f64>(p);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const x0 = <f64>load<T>(a), x1 = <f64>load<T>(a, sizeof<T>());
      const x2 = <f64>load<T>(a, 2 * sizeof<T>()), x3 = <f64>load<T>(a, 3 * sizeof<T>());
      const t1 = x1 + x0;
      const t2 = x2 + t1;
      const t3 = (x3 + x2) + t1;
      store<T>(out, <T>(s + (x0 + -0.0)));
      store<T>(out, <T>(s + t1), sizeof<T>());
      store<T>(out, <T>(s + t2), 2 * sizeof<T>());
      s = s + t3;
      store<T>(out, <T>s, 3 * sizeof<T>());
      a += 4 * sizeof<T>();
      out += 4 * sizeof<T>();
    }
    tail<T>(a, out, n - i, s);
  }

  /** Σ a[0..n) in f64: four f64x2 accumulators (float32 widened exactly), then the rest one by one. */
  @inline total<T>(a: usize, n: i32): f64 {
    const zero = f64x2.splat(-0.0);
    let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
    const step = 16 / sizeof<T>();
    let i = 0;
    for (; i + 2 * step <= n; i += 2 * step, a += 32) {
      const v = v128.load(a), w = v128.load(a, 16);
      if (sizeof<T>() == 4) {
        s0 = f64x2.add(s0, widenLow<f32>(v));
        s1 = f64x2.add(s1, widenHigh<f32>(v));
        s2 = f64x2.add(s2, widenLow<f32>(w));
        s3 = f64x2.add(s3, widenHigh<f32>(w));
      } else {
        s0 = f64x2.add(s0, v);
        s1 = f64x2.add(s1, w);
      }
    }
    const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
    return rest<T>(a, n - i, f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
  }

  /** total's adds, in the same order, on scalars: the eight f64 lanes are eight locals. */
  @inline totalScalar<T>(a: usize, n: i32): f64 {
    let l0 = -0.0, l1 = -0.0, l2 = -0.0, l3 = -0.0, l4 = -0.0, l5 = -0.0, l6 = -0.0, l7 = -0.0;
    const e = sizeof<T>();
    let i = 0;
    for (; i + 32 / <i32>e <= n; i += 32 / <i32>e, a += 32) {
      l0 += <f64>load<T>(a); l1 += <f64>load<T>(a, e);
      l2 += <f64>load<T>(a, 2 * e); l3 += <f64>load<T>(a, 3 * e);
      if (sizeof<T>() == 4) {
        l4 += <f64>load<T>(a, 4 * e); l5 += <f64>load<T>(a, 5 * e);
        l6 += <f64>load<T>(a, 6 * e); l7 += <f64>load<T>(a, 7 * e);
      }
    }
    // float32's lanes: s0 = (l0, l1), s1 = (l2, l3), s2 = (l4, l5), s3 = (l6, l7);
    // float64's: s0 = (l0, l1), s1 = (l2, l3), s2 and s3 stay -0.
    const lane0 = (l0 + l2) + (l4 + l6), lane1 = (l1 + l3) + (l5 + l7);
    return rest<T>(a, n - i, lane0 + lane1);
  }
}

/** t plus a[0..k), one by one. */
@inline function rest<T>(a: usize, k: i32, t: f64): f64 {
  for (let i = 0; i < k; i++, a += sizeof<T>()) t += <f64>load<T>(a);
  return t;
}

/** The last k (< 4) running sums from s, one add each. */
@inline function tail<T>(a: usize, out: usize, k: i32, s: f64): void {
  for (let i = 0; i < k; i++, a += sizeof<T>(), out += sizeof<T>()) {
    s += <f64>load<T>(a);
    store<T>(out, <T>s);
  }
}
