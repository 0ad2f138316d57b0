import { read, readTail, write, writeTail } from "../simd/memory";
import { lanes } from "../simd/vec";
import { strategy } from "./strategy";

// out[i] = Op(a[i], B(b, c)[i]) for i < n. Op has apply<T, V>(a: V, b: V): V;
// B is FromArray or Broadcast. out may alias a or b exactly: each step reads
// before it writes, and steps never overlap.

/** SIMD: four vectors per step, then one vector per step, then the tail. */
@inline export function map<T, Op, B>(a: usize, b: usize, c: T, out: usize, n: i32): void {
  const op = strategy<Op>();
  const src = strategy<B>();
  const step = lanes<T>();
  let i = 0;
  for (; i + 4 * step <= n; i += 4 * step) {
    const a0 = read<T, v128>(a, 0);
    const a1 = read<T, v128>(a, 16);
    const a2 = read<T, v128>(a, 32);
    const a3 = read<T, v128>(a, 48);
    const b0 = src.read<T, v128>(b, c, 0);
    const b1 = src.read<T, v128>(b, c, 16);
    const b2 = src.read<T, v128>(b, c, 32);
    const b3 = src.read<T, v128>(b, c, 48);
    const r0 = op.apply<T, v128>(a0, b0);
    const r1 = op.apply<T, v128>(a1, b1);
    const r2 = op.apply<T, v128>(a2, b2);
    const r3 = op.apply<T, v128>(a3, b3);
    write<T, v128>(out, r0, 0);
    write<T, v128>(out, r1, 16);
    write<T, v128>(out, r2, 32);
    write<T, v128>(out, r3, 48);
    a += 64;
    b += 64;
    out += 64;
  }
  for (; i + step <= n; i += step) {
    write<T, v128>(out, op.apply<T, v128>(read<T, v128>(a), src.read<T, v128>(b, c)));
    a += 16;
    b += 16;
    out += 16;
  }
  if (i < n) {
    const k = n - i;
    const r = op.apply<T, v128>(readTail<T>(a, k, 0), src.readTail<T>(b, c, k, 0));
    writeTail<T>(out, r, k);
  }
}

/** Scalar: one element per step, the same math. */
@inline export function mapScalar<T, Op, B>(a: usize, b: usize, c: T, out: usize, n: i32): void {
  const op = strategy<Op>();
  const src = strategy<B>();
  for (let i = 0; i < n; i++) {
    write<T, T>(out, op.apply<T, T>(read<T, T>(a), src.read<T, T>(b, c)));
    a += sizeof<T>();
    b += sizeof<T>();
    out += sizeof<T>();
  }
}
