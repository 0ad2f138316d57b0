import { read, readTail, write, writeTail } from "../simd/memory";
import { lanes } from "../simd/vec";

// What fused expressions need beyond the op table: comparisons to masks,
// a select on masks (where), and min/max reductions. All over <T, V> like
// the ops in arith.ts, for the map driver where they fit it.
//
// A mask holds, per element of T, all ones (true) or all zeros (false):
// what v128 comparisons produce, and what v128.bitselect consumes. The
// scalar twins store the same bit patterns.

/** All ones in a T (a NaN pattern, only ever stored and selected on, never computed with). */
@inline function ones<T>(): T {
  if (sizeof<T>() == 4) return reinterpret<f32>(<u32>0xffffffff);
  else return reinterpret<f64>(<u64>0xffffffffffffffff);
}

@inline function mask<T, V>(truth: bool): V {
  return select<T>(ones<T>(), 0, truth);
}

@final @unmanaged export class Lt {
  @inline apply<T, V>(a: V, b: V): V { if (isVector<V>()) return v128.lt<T>(a, b); else return mask<T, V>(a < b); }
}
@final @unmanaged export class Le {
  @inline apply<T, V>(a: V, b: V): V { if (isVector<V>()) return v128.le<T>(a, b); else return mask<T, V>(a <= b); }
}
@final @unmanaged export class Gt {
  @inline apply<T, V>(a: V, b: V): V { if (isVector<V>()) return v128.gt<T>(a, b); else return mask<T, V>(a > b); }
}
@final @unmanaged export class Ge {
  @inline apply<T, V>(a: V, b: V): V { if (isVector<V>()) return v128.ge<T>(a, b); else return mask<T, V>(a >= b); }
}
@final @unmanaged export class Eq {
  @inline apply<T, V>(a: V, b: V): V { if (isVector<V>()) return v128.eq<T>(a, b); else return mask<T, V>(a == b); }
}
@final @unmanaged export class Ne {
  @inline apply<T, V>(a: V, b: V): V { if (isVector<V>()) return v128.ne<T>(a, b); else return mask<T, V>(a != b); }
}

/** out[i] = m[i] ? x[i] : y[i], bitwise on masks m: whole vectors, then the tail. */
@inline export function selectMasked<T>(m: usize, x: usize, y: usize, out: usize, n: i32): void {
  const step = lanes<T>();
  let i = 0;
  for (; i + step <= n; i += step) {
    write<T, v128>(out, v128.bitselect(read<T, v128>(x), read<T, v128>(y), read<T, v128>(m)));
    m += 16;
    x += 16;
    y += 16;
    out += 16;
  }
  if (i < n) {
    const k = n - i;
    writeTail<T>(out, v128.bitselect(readTail<T>(x, k, 0), readTail<T>(y, k, 0), readTail<T>(m, k, 0)), k);
  }
}

@inline export function selectMaskedScalar<T>(m: usize, x: usize, y: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    // On the bit patterns, as v128.bitselect does: a NaN's payload survives.
    const bits = sizeof<T>() == 4 ? <u64>load<u32>(m) : load<u64>(m);
    if (sizeof<T>() == 4) store<u32>(out, bits != 0 ? load<u32>(x) : load<u32>(y));
    else store<u64>(out, bits != 0 ? load<u64>(x) : load<u64>(y));
    m += sizeof<T>();
    x += sizeof<T>();
    y += sizeof<T>();
    out += sizeof<T>();
  }
}

/**
 * min (or with `isMax`, max) of a[0..n), as f64; +Infinity (or -Infinity)
 * for n = 0. NaN wins and -0 < +0, as for the elementwise ops; the result
 * is exact, so the order of the four accumulators does not matter.
 */
@inline export function extreme<T>(a: usize, n: i32, isMax: bool): f64 {
  const step = lanes<T>();
  const start: T = isMax ? <T>-Infinity : <T>Infinity;
  let m0 = v128.splat<T>(start), m1 = m0, m2 = m0, m3 = m0;
  let i = 0;
  for (; i + 4 * step <= n; i += 4 * step) {
    if (isMax) {
      m0 = v128.max<T>(m0, read<T, v128>(a, 0));
      m1 = v128.max<T>(m1, read<T, v128>(a, 16));
      m2 = v128.max<T>(m2, read<T, v128>(a, 32));
      m3 = v128.max<T>(m3, read<T, v128>(a, 48));
    } else {
      m0 = v128.min<T>(m0, read<T, v128>(a, 0));
      m1 = v128.min<T>(m1, read<T, v128>(a, 16));
      m2 = v128.min<T>(m2, read<T, v128>(a, 32));
      m3 = v128.min<T>(m3, read<T, v128>(a, 48));
    }
    a += 64;
  }
  for (; i < n; i += step) {
    const k = min(n - i, step);
    const v = k == step ? read<T, v128>(a) : readTail<T>(a, k, start);
    m0 = isMax ? v128.max<T>(m0, v) : v128.min<T>(m0, v);
    a += 16;
  }
  let m = isMax ? v128.max<T>(v128.max<T>(m0, m1), v128.max<T>(m2, m3)) : v128.min<T>(v128.min<T>(m0, m1), v128.min<T>(m2, m3));
  let r = <f64>start;
  for (let lane = 0; lane < step; lane++) {
    const x = sizeof<T>() == 4 ? <f64>f32x4.extract_lane(m, 0) : f64x2.extract_lane(m, 0);
    r = isMax ? max<f64>(r, x) : min<f64>(r, x);
    // Rotate the next lane into lane 0 (extract_lane needs a constant index).
    m = v128.shuffle<u8>(m, m, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3);
    if (sizeof<T>() == 8) m = v128.shuffle<u8>(m, m, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3);
  }
  return r;
}

@inline export function extremeScalar<T>(a: usize, n: i32, isMax: bool): f64 {
  let r: f64 = isMax ? -Infinity : Infinity;
  for (let i = 0; i < n; i++) {
    const x = <f64>load<T>(a);
    r = isMax ? max<f64>(r, x) : min<f64>(r, x);
    a += sizeof<T>();
  }
  return r;
}
