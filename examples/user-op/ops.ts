// A user op for lanes, in AssemblyScript: logaddexp(a, b) = log(e^a + e^b),
// which lanes lacks, and a reduction, sumsq(a) = Σ a². Built with
//   npx lanes-build examples/user-op/ops.ts -o ops.wasm
// and loaded with `const ops = await lanes.load(wasm)`: ops.logaddexp and
// ops.sumsq then behave like lanes' own ops (threads, out, numbers, errors).
import {
  absolute, add, Broadcast, div, Exp, FromArray, konst, madd, map, maximum, mul, neg, reduce, Slot, splat,
  strategy, sub,
} from "lanes/assembly";

// logaddexp(a, b) = max(a, b) + log1p(exp(−|a − b|)): exp's argument is ≤ 0,
// so nothing overflows, and log1p keeps the small term's digits. Equal
// operands (±∞ included) give a + ln 2 directly, as numpy does: ∞ − ∞ would
// be NaN. A NaN operand gives NaN (maximum propagates it).
@final @unmanaged class LogAddExp {
  @inline apply<T, V>(a: V, b: V): V {
    let d = sub<T, V>(a, b);
    if (isVector<V>()) d = v128.andnot(d, v128.eq<T>(a, b));
    else d = a == b ? <T>0 : d;
    // exp's full path (redo): right for every argument, subnormal results included.
    const e = strategy<Exp>().redo<T, V>(neg<T, V>(absolute<T, V>(d)), d);
    return add<T, V>(maximum<T, V>(a, b), log1pUnit<T, V>(e));
  }
}

/**
 * log1p(e) for 0 ≤ e ≤ 1. Past √2 − 1, log1p(e) = ln 2 + log1p((e − 1)/2);
 * either way the argument v lies in [1/√2 − 1, √2 − 1], where
 * log1p(v) = 2·atanh(s), s = v/(2 + v), |s| ≤ 0.1716, and
 * 2·atanh(s) = 2s + 2s·(s²/3 + s⁴/5 + ...), its series summed to a
 * truncation error below 2^-56 (f64: 10 terms) or 2^-29 (f32: 5 terms).
 */
@inline function log1pUnit<T, V>(e: V): V {
  const one = konst<T, V>(Slot.One);
  const half = splat<T, V>(<T>0.5);
  const big = gtMask<T, V>(e, splat<T, V>(<T>0.41421356237309503));
  const v = choose<T, V>(big, mul<T, V>(sub<T, V>(e, one), half), e);
  const offset = choose<T, V>(big, splat<T, V>(<T>0.6931471805599453), splat<T, V>(<T>0));
  const s = div<T, V>(v, add<T, V>(splat<T, V>(<T>2), v));
  const z = mul<T, V>(s, s);
  let q: V;
  if (sizeof<T>() == 4) {
    q = madd<T, V>(splat<T, V>(<T>(1.0 / 9)), z, splat<T, V>(<T>(1.0 / 7)));
    q = madd<T, V>(q, z, splat<T, V>(<T>(1.0 / 5)));
    q = madd<T, V>(q, z, splat<T, V>(<T>(1.0 / 3)));
  } else {
    q = madd<T, V>(splat<T, V>(<T>(1.0 / 21)), z, splat<T, V>(<T>(1.0 / 19)));
    q = madd<T, V>(q, z, splat<T, V>(<T>(1.0 / 17)));
    q = madd<T, V>(q, z, splat<T, V>(<T>(1.0 / 15)));
    q = madd<T, V>(q, z, splat<T, V>(<T>(1.0 / 13)));
    q = madd<T, V>(q, z, splat<T, V>(<T>(1.0 / 11)));
    q = madd<T, V>(q, z, splat<T, V>(<T>(1.0 / 9)));
    q = madd<T, V>(q, z, splat<T, V>(<T>(1.0 / 7)));
    q = madd<T, V>(q, z, splat<T, V>(<T>(1.0 / 5)));
    q = madd<T, V>(q, z, splat<T, V>(<T>(1.0 / 3)));
  }
  const s2 = add<T, V>(s, s);
  return add<T, V>(offset, madd<T, V>(s2, mul<T, V>(z, q), s2));
}

/** All ones where a > b (a mask for choose). */
@inline function gtMask<T, V>(a: V, b: V): V {
  if (isVector<V>()) return v128.gt<T>(a, b);
  else return a > b ? <T>1 : <T>0;
}

/** x where mask is set, else y, lane by lane. */
@inline function choose<T, V>(mask: V, x: V, y: V): V {
  if (isVector<V>()) return v128.bitselect(x, y, mask);
  else return mask != <T>0 ? x : y;
}

// Σ a²: a one-array reduction (it never reads b), accumulated as lanes' sum is.
@final @unmanaged class SumSq {
  @inline acc<T>(s: v128, a: v128, b: v128): v128 { return madd<T, v128>(a, a, s); }
  @inline one(s: f64, a: f64, b: f64): f64 { return s + a * a; }
}

// The kernels, named and typed by lanes' ABI (docs/abi.md).
export function vlogaddexp_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, LogAddExp, FromArray>(a, b, 0, out, n); }
export function vlogaddexpc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, LogAddExp, Broadcast>(a, 0, c, out, n); }
export function vlogaddexp_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, LogAddExp, FromArray>(a, b, 0, out, n); }
export function vlogaddexpc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, LogAddExp, Broadcast>(a, 0, c, out, n); }
export function rsumsq_f32(a: usize, b: usize, n: i32): f64 { return reduce<f32, SumSq, Broadcast>(a, b, n); }
export function rsumsq_f64(a: usize, b: usize, n: i32): f64 { return reduce<f64, SumSq, Broadcast>(a, b, n); }
// logaddexp commutes, so number ∘ array is array ∘ number.
export function vrlogaddexpc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, LogAddExp, Broadcast>(a, 0, c, out, n); }
export function vrlogaddexpc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, LogAddExp, Broadcast>(a, 0, c, out, n); }
