import { read, readTail, widenHigh, widenLow } from "../simd/memory";
import { add, lanes, splat } from "../simd/vec";
import { strategy } from "./strategy";

// Σ Term(a[i], B(b)[i]) for i < n, accumulated in f64 whatever T is: f32
// inputs widen exactly, so an f32 sum loses nothing to its accumulator.
// Term has one(a: f64, b: f64): f64 and vec(a: v128, b: v128): v128 on f64x2.
// Accumulators start at -0, the identity of IEEE addition, so a sum of -0s
// stays -0. The result depends only on (a, b, n): the order is fixed.

/** Steps (of four vectors) summed into fresh accumulators before joining the totals. */
const BLOCK = 32;

/**
 * SIMD: 8 independent f64x2 accumulators over four vectors per step. They
 * restart every BLOCK steps and join running totals, so a lane adds at most
 * BLOCK terms, then one block sum per BLOCK steps: the error bound grows with
 * BLOCK + n/BLOCK rather than with n.
 */
@inline export function reduce<T, Term, B>(a: usize, b: usize, n: i32): f64 {
  const term = strategy<Term>();
  const src = strategy<B>();
  const step = lanes<T>();
  const zero = splat<f64, v128>(-0.0);
  let t0 = zero, t1 = zero, t2 = zero, t3 = zero;
  let t4 = zero, t5 = zero, t6 = zero, t7 = zero;
  let i = 0;
  while (i + 4 * step <= n) {
    let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
    let s4 = zero, s5 = zero, s6 = zero, s7 = zero;
    const end = min(n, i + BLOCK * 4 * step);
    for (; i + 4 * step <= end; i += 4 * step) {
      const a0 = read<T, v128>(a, 0);
      const a1 = read<T, v128>(a, 16);
      const a2 = read<T, v128>(a, 32);
      const a3 = read<T, v128>(a, 48);
      const b0 = src.read<T, v128>(b, 0, 0);
      const b1 = src.read<T, v128>(b, 0, 16);
      const b2 = src.read<T, v128>(b, 0, 32);
      const b3 = src.read<T, v128>(b, 0, 48);
      s0 = add<f64, v128>(s0, term.vec(widenLow<T>(a0), widenLow<T>(b0)));
      s1 = add<f64, v128>(s1, term.vec(widenLow<T>(a1), widenLow<T>(b1)));
      s2 = add<f64, v128>(s2, term.vec(widenLow<T>(a2), widenLow<T>(b2)));
      s3 = add<f64, v128>(s3, term.vec(widenLow<T>(a3), widenLow<T>(b3)));
      if (sizeof<T>() == 4) {
        s4 = add<f64, v128>(s4, term.vec(widenHigh<T>(a0), widenHigh<T>(b0)));
        s5 = add<f64, v128>(s5, term.vec(widenHigh<T>(a1), widenHigh<T>(b1)));
        s6 = add<f64, v128>(s6, term.vec(widenHigh<T>(a2), widenHigh<T>(b2)));
        s7 = add<f64, v128>(s7, term.vec(widenHigh<T>(a3), widenHigh<T>(b3)));
      }
      a += 64;
      b += 64;
    }
    t0 = add<f64, v128>(t0, s0);
    t1 = add<f64, v128>(t1, s1);
    t2 = add<f64, v128>(t2, s2);
    t3 = add<f64, v128>(t3, s3);
    t4 = add<f64, v128>(t4, s4);
    t5 = add<f64, v128>(t5, s5);
    t6 = add<f64, v128>(t6, s6);
    t7 = add<f64, v128>(t7, s7);
  }
  for (; i < n; i += step) {
    // Whole vectors, then the tail padded with the identity: -0 · +0 = -0.
    const k = min(n - i, step);
    const va = k == step ? read<T, v128>(a) : readTail<T>(a, k, -0.0);
    const vb = k == step ? src.read<T, v128>(b, 0) : src.readTail<T>(b, 0, k, 0);
    t0 = add<f64, v128>(t0, term.vec(widenLow<T>(va), widenLow<T>(vb)));
    if (sizeof<T>() == 4) t4 = add<f64, v128>(t4, term.vec(widenHigh<T>(va), widenHigh<T>(vb)));
    a += 16;
    b += 16;
  }
  const t = add<f64, v128>(
    add<f64, v128>(add<f64, v128>(t0, t1), add<f64, v128>(t2, t3)),
    add<f64, v128>(add<f64, v128>(t4, t5), add<f64, v128>(t6, t7)),
  );
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}

/** Scalar: one accumulator, one element per step. */
@inline export function reduceScalar<T, Term, B>(a: usize, b: usize, n: i32): f64 {
  const term = strategy<Term>();
  const src = strategy<B>();
  let s = -0.0;
  for (let i = 0; i < n; i++) {
    s += term.one(<f64>read<T, T>(a), <f64>src.read<T, T>(b, 0));
    a += sizeof<T>();
    b += sizeof<T>();
  }
  return s;
}
