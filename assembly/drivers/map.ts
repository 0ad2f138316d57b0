import { read, readTail, write, writeTail } from "../simd/memory";
import { lanes } from "../simd/vec";
import { strategy } from "./strategy";

// out[i] = Op(a[i], B(b, c)[i]) for i < n, or for a ternary op (one with
// apply3) Op(a[i], B(b, c)[i], S(third, c3)[i]). Op has
// apply<T, V>(a: V, b: V): V (or apply3<T, V>(a, b, c)) with V = T or v128,
// and may add usual/redo: usual<T>(v) marks the lanes its fast path gets
// right (a NaN must fail it), and redo is the slower math for the rest
// (exp's subnormal results), checked once per step. An op with a long body
// may add oneVectorPerStep(): map then skips the four-vector step, whose four
// copies of that body spill registers (sin: 1.16× faster in float64, 1.36×
// in float32, without it, on Node 20). B and S are FromArray
// or Broadcast. S defaults to usize, a placeholder never read, so that user
// modules keep calling map<T, Op, B> (asc resolves a default type where the
// call is, and Broadcast may not be imported there). out may alias an
// operand exactly: each step reads before it writes, and steps never overlap.

/** SIMD: four vectors per step, then one vector per step, then the tail. */
@inline export function map<T, Op, B, S = usize>(a: usize, b: usize, c: T, out: usize, n: i32, third: usize = 0, c3: T = 0): void {
  const op = strategy<Op>();
  const src = strategy<B>();
  const step = lanes<T>();
  let i = 0;
  if (!isDefined(op.oneVectorPerStep)) for (; i + 4 * step <= n; i += 4 * step) {
    const a0 = read<T, v128>(a, 0);
    const a1 = read<T, v128>(a, 16);
    const a2 = read<T, v128>(a, 32);
    const a3 = read<T, v128>(a, 48);
    const b0 = src.read<T, v128>(b, c, 0);
    const b1 = src.read<T, v128>(b, c, 16);
    const b2 = src.read<T, v128>(b, c, 32);
    const b3 = src.read<T, v128>(b, c, 48);
    if (isDefined(op.redo)) {
      const usual = v128.and(v128.and(op.usual<T>(a0), op.usual<T>(a1)), v128.and(op.usual<T>(a2), op.usual<T>(a3)));
      if (!i32x4.all_true(usual)) {
        // The rare step computes and stores its own results, so its values
        // never merge with the common path's (a version that checked the
        // results instead, and merged, made exp 50% slower).
        redoStep<T, Op, B>(a, b, c, out);
        a += 64;
        b += 64;
        out += 64;
        continue;
      }
    }
    const r0 = apply<T, Op, S, v128>(a0, b0, third, c3, 0);
    const r1 = apply<T, Op, S, v128>(a1, b1, third, c3, 16);
    const r2 = apply<T, Op, S, v128>(a2, b2, third, c3, 32);
    const r3 = apply<T, Op, S, v128>(a3, b3, third, c3, 48);
    write<T, v128>(out, r0, 0);
    write<T, v128>(out, r1, 16);
    write<T, v128>(out, r2, 32);
    write<T, v128>(out, r3, 48);
    a += 64;
    b += 64;
    if (isDefined(op.apply3)) third += 64;
    out += 64;
  }
  for (; i + step <= n; i += step) {
    write<T, v128>(out, one<T, Op, S>(read<T, v128>(a), src.read<T, v128>(b, c), third, c3));
    a += 16;
    b += 16;
    if (isDefined(op.apply3)) third += 16;
    out += 16;
  }
  if (i < n) {
    const k = n - i;
    const x = readTail<T>(a, k, 0);
    const y = src.readTail<T>(b, c, k, 0);
    let r: v128;
    if (isDefined(op.apply3)) r = op.apply3<T, v128>(x, y, strategy<S>().readTail<T>(third, c3, k, 0));
    else r = one<T, Op, S>(x, y, third, c3);
    writeTail<T>(out, r, k);
  }
}

/** Op on one vector (V = v128) or element (V = T), with the third operand at `third` + offset if Op is ternary. */
@inline function apply<T, Op, S, V>(a: V, b: V, third: usize, c3: T, offset: usize): V {
  const op = strategy<Op>();
  if (isDefined(op.apply3)) return op.apply3<T, V>(a, b, strategy<S>().read<T, V>(third, c3, offset));
  return op.apply<T, V>(a, b);
}

/** Recomputes one unrolled step with op.redo: the rare path of map. */
@inline function redoStep<T, Op, B>(a: usize, b: usize, c: T, out: usize): void {
  const op = strategy<Op>();
  const src = strategy<B>();
  for (let offset: usize = 0; offset < 64; offset += 16) {
    write<T, v128>(out, op.redo<T, v128>(read<T, v128>(a, offset), src.read<T, v128>(b, c, offset)), offset);
  }
}

/** One vector through op, or through op.redo unless the op finds its input usual (see ops/exp.ts). */
@inline function one<T, Op, S>(a: v128, b: v128, third: usize, c3: T): v128 {
  const op = strategy<Op>();
  if (isDefined(op.redo)) if (!i32x4.all_true(op.usual<T>(a))) return op.redo<T, v128>(a, b);
  return apply<T, Op, S, v128>(a, b, third, c3, 0);
}

/** Scalar: one element per step, the same math. */
@inline export function mapScalar<T, Op, B, S = usize>(a: usize, b: usize, c: T, out: usize, n: i32, third: usize = 0, c3: T = 0): void {
  const op = strategy<Op>();
  const src = strategy<B>();
  for (let i = 0; i < n; i++) {
    const x = read<T, T>(a);
    const y = src.read<T, T>(b, c);
    let r: T;
    if (isDefined(op.redo)) r = op.usualOne<T>(x) ? op.apply<T, T>(x, y) : op.redo<T, T>(x, y);
    else r = apply<T, Op, S, T>(x, y, third, c3, 0);
    write<T, T>(out, r);
    a += sizeof<T>();
    b += sizeof<T>();
    if (isDefined(op.apply3)) third += sizeof<T>();
    out += sizeof<T>();
  }
}
