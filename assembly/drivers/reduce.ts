import { konst, Slot } from "../simd/constants";
import { read, readTail, widenHigh, widenLow } from "../simd/memory";
import { add, lanes } from "../simd/vec";
import { strategy } from "./strategy";

// Σ Term(a[i], B(b)[i]) for i < n, returned as f64. Term has
// acc<T>(s, a, b): s + term on vectors of T (Sum: s + a; Dot: madd(a, b, s)),
// and one(s, a, b) on f64 for the scalar twin. Accumulators start at -0, the
// identity of IEEE addition, so a sum of -0s stays -0. The result depends
// only on (a, b, n): the order is fixed.
//
// float64 accumulates in f64 lanes. float32 accumulates in f32 lanes over
// blocks of F32_BLOCK steps, then adds each block's lanes, widened exactly,
// into f64 totals: f32 lanes take four elements per instruction where f64
// lanes take two, and a lane rounds at most F32_BLOCK times in f32 before
// its sum moves to f64. A block whose f32 sum is not finite (an f32
// overflow, or a NaN or infinite term) is summed again in f64 lanes, so f32
// overflow never shows in a result.

/** Steps (of four vectors) summed into fresh f64 accumulators before joining the totals. */
const BLOCK = 32;
/** Steps per float32 block: each f32 lane adds this many terms (see the README's bound). */
const F32_BLOCK = 16;

/**
 * SIMD: 8 independent f64x2 totals over four vectors per step. Fresh
 * accumulators restart every block and join the totals, so a lane adds at
 * most BLOCK terms (float64) or F32_BLOCK (float32), then one block sum per
 * block: the error bound grows with the block length + n/block, not with n.
 */
@inline export function reduce<T, Term, B>(a: usize, b: usize, n: i32): f64 {
  const term = strategy<Term>();
  const src = strategy<B>();
  const step = lanes<T>();
  const zero = konst<f64, v128>(Slot.NegativeZero);
  let t0 = zero, t1 = zero, t2 = zero, t3 = zero;
  let t4 = zero, t5 = zero, t6 = zero, t7 = zero;
  let i = 0;
  while (i + (sizeof<T>() == 4 ? 16 : 4) * step <= n) {
    const blockA = a, blockB = b, blockI = i;
    let f64Block = sizeof<T>() == 8;
    if (sizeof<T>() == 4) {
      // Eight accumulators over eight vectors per step: f32 adds are cheap
      // enough that four chains would wait on each other.
      const z = konst<f32, v128>(Slot.NegativeZero);
      let s0 = z, s1 = z, s2 = z, s3 = z, s4 = z, s5 = z, s6 = z, s7 = z;
      const end = min(n, i + F32_BLOCK * 8 * step);
      for (; i + 16 * step <= end; i += 16 * step) {
        s0 = term.acc<f32>(term.acc<f32>(s0, read<f32, v128>(a, 0), src.read<f32, v128>(b, 0, 0)), read<f32, v128>(a, 128), src.read<f32, v128>(b, 0, 128));
        s1 = term.acc<f32>(term.acc<f32>(s1, read<f32, v128>(a, 16), src.read<f32, v128>(b, 0, 16)), read<f32, v128>(a, 144), src.read<f32, v128>(b, 0, 144));
        s2 = term.acc<f32>(term.acc<f32>(s2, read<f32, v128>(a, 32), src.read<f32, v128>(b, 0, 32)), read<f32, v128>(a, 160), src.read<f32, v128>(b, 0, 160));
        s3 = term.acc<f32>(term.acc<f32>(s3, read<f32, v128>(a, 48), src.read<f32, v128>(b, 0, 48)), read<f32, v128>(a, 176), src.read<f32, v128>(b, 0, 176));
        s4 = term.acc<f32>(term.acc<f32>(s4, read<f32, v128>(a, 64), src.read<f32, v128>(b, 0, 64)), read<f32, v128>(a, 192), src.read<f32, v128>(b, 0, 192));
        s5 = term.acc<f32>(term.acc<f32>(s5, read<f32, v128>(a, 80), src.read<f32, v128>(b, 0, 80)), read<f32, v128>(a, 208), src.read<f32, v128>(b, 0, 208));
        s6 = term.acc<f32>(term.acc<f32>(s6, read<f32, v128>(a, 96), src.read<f32, v128>(b, 0, 96)), read<f32, v128>(a, 224), src.read<f32, v128>(b, 0, 224));
        s7 = term.acc<f32>(term.acc<f32>(s7, read<f32, v128>(a, 112), src.read<f32, v128>(b, 0, 112)), read<f32, v128>(a, 240), src.read<f32, v128>(b, 0, 240));
        a += 256;
        b += 256;
      }
      // Pairwise to one vector, then widened exactly into two f64 totals: a
      // lane rounds 15 times in its accumulator and 3 times here (README).
      const u = f32x4.add(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)), f32x4.add(f32x4.add(s4, s5), f32x4.add(s6, s7)));
      // Not finite if any accumulator overflowed or met a NaN or infinity.
      if (i32x4.all_true(f32x4.le(f32x4.abs(u), konst<f32, v128>(Slot.MaxFinite)))) {
        t0 = f64x2.add(t0, widenLow<f32>(u));
        t4 = f64x2.add(t4, widenHigh<f32>(u));
      } else {
        // Sum this block again in f64 lanes.
        f64Block = true;
        a = blockA;
        b = blockB;
        i = blockI;
      }
    }
    if (f64Block) {
      let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
      let s4 = zero, s5 = zero, s6 = zero, s7 = zero;
      const end = min(n, i + (sizeof<T>() == 4 ? 2 * F32_BLOCK : BLOCK) * 4 * step);
      for (; i + 4 * step <= end; i += 4 * step) {
        const a0 = read<T, v128>(a, 0);
        const a1 = read<T, v128>(a, 16);
        const a2 = read<T, v128>(a, 32);
        const a3 = read<T, v128>(a, 48);
        const b0 = src.read<T, v128>(b, 0, 0);
        const b1 = src.read<T, v128>(b, 0, 16);
        const b2 = src.read<T, v128>(b, 0, 32);
        const b3 = src.read<T, v128>(b, 0, 48);
        s0 = term.acc<f64>(s0, widenLow<T>(a0), widenLow<T>(b0));
        s1 = term.acc<f64>(s1, widenLow<T>(a1), widenLow<T>(b1));
        s2 = term.acc<f64>(s2, widenLow<T>(a2), widenLow<T>(b2));
        s3 = term.acc<f64>(s3, widenLow<T>(a3), widenLow<T>(b3));
        if (sizeof<T>() == 4) {
          s4 = term.acc<f64>(s4, widenHigh<T>(a0), widenHigh<T>(b0));
          s5 = term.acc<f64>(s5, widenHigh<T>(a1), widenHigh<T>(b1));
          s6 = term.acc<f64>(s6, widenHigh<T>(a2), widenHigh<T>(b2));
          s7 = term.acc<f64>(s7, widenHigh<T>(a3), widenHigh<T>(b3));
        }
        a += 64;
        b += 64;
      }
      t0 = f64x2.add(t0, s0);
      t1 = f64x2.add(t1, s1);
      t2 = f64x2.add(t2, s2);
      t3 = f64x2.add(t3, s3);
      t4 = f64x2.add(t4, s4);
      t5 = f64x2.add(t5, s5);
      t6 = f64x2.add(t6, s6);
      t7 = f64x2.add(t7, s7);
    }
  }
  for (; i < n; i += step) {
    // Whole vectors, then the tail padded with the identity: -0 · +0 = -0.
    const k = min(n - i, step);
    const va = k == step ? read<T, v128>(a) : readTail<T>(a, k, -0.0);
    const vb = k == step ? src.read<T, v128>(b, 0) : src.readTail<T>(b, 0, k, 0);
    t0 = term.acc<f64>(t0, widenLow<T>(va), widenLow<T>(vb));
    if (sizeof<T>() == 4) t4 = term.acc<f64>(t4, widenHigh<T>(va), widenHigh<T>(vb));
    a += 16;
    b += 16;
  }
  const t = add<f64, v128>(
    add<f64, v128>(add<f64, v128>(t0, t1), add<f64, v128>(t2, t3)),
    add<f64, v128>(add<f64, v128>(t4, t5), add<f64, v128>(t6, t7)),
  );
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}

/** Scalar: one f64 accumulator, one element per step. */
@inline export function reduceScalar<T, Term, B>(a: usize, b: usize, n: i32): f64 {
  const term = strategy<Term>();
  const src = strategy<B>();
  let s = -0.0;
  for (let i = 0; i < n; i++) {
    s = term.one(s, <f64>read<T, T>(a), <f64>src.read<T, T>(b, 0));
    a += sizeof<T>();
    b += sizeof<T>();
  }
  return s;
}
