import { absolute, add, div, madd, maximum, minimum, mul, neg, squareRoot, sub } from "../simd/vec";

// Elementwise ops for the map driver: apply<T, V>(a, b) with V = T or v128.
// Unary ops ignore b. The reversed ops (RSub, RDiv) serve a number on the left.
// A ternary op has apply3<T, V>(a, b, c) instead.

@final @unmanaged export class Add {
  @inline apply<T, V>(a: V, b: V): V { return add<T, V>(a, b); }
}
@final @unmanaged export class Sub {
  @inline apply<T, V>(a: V, b: V): V { return sub<T, V>(a, b); }
}
@final @unmanaged export class RSub {
  @inline apply<T, V>(a: V, b: V): V { return sub<T, V>(b, a); }
}
@final @unmanaged export class Mul {
  @inline apply<T, V>(a: V, b: V): V { return mul<T, V>(a, b); }
}
@final @unmanaged export class Div {
  @inline apply<T, V>(a: V, b: V): V { return div<T, V>(a, b); }
}
@final @unmanaged export class RDiv {
  @inline apply<T, V>(a: V, b: V): V { return div<T, V>(b, a); }
}
@final @unmanaged export class Min {
  @inline apply<T, V>(a: V, b: V): V { return minimum<T, V>(a, b); }
}
@final @unmanaged export class Max {
  @inline apply<T, V>(a: V, b: V): V { return maximum<T, V>(a, b); }
}
@final @unmanaged export class Neg {
  @inline apply<T, V>(a: V, b: V): V { return neg<T, V>(a); }
}
@final @unmanaged export class Abs {
  @inline apply<T, V>(a: V, b: V): V { return absolute<T, V>(a); }
}
@final @unmanaged export class Sqrt {
  @inline apply<T, V>(a: V, b: V): V { return squareRoot<T, V>(a); }
}
/** min(max(a, lo), hi), as np.clip: NaN wins, and hi where lo > hi. */
@final @unmanaged export class Clip {
  @inline apply3<T, V>(a: V, lo: V, hi: V): V { return minimum<T, V>(maximum<T, V>(a, lo), hi); }
}

// Reduction terms for the reduce driver: acc<T>(s, a, b) adds the term to
// the accumulator s, on vectors of T; one(s, a, b) does it on f64 scalars.

@final @unmanaged export class Sum {
  @inline acc<T>(s: v128, a: v128, b: v128): v128 { return add<T, v128>(s, a); }
  @inline one(s: f64, a: f64, b: f64): f64 { return s + a; }
}
/**
 * f32 lanes: the product rounds to f32 (unless madd fuses it). f64 lanes:
 * products of widened f32 are exact; f64 products round once unless fused.
 */
@final @unmanaged export class Dot {
  @inline acc<T>(s: v128, a: v128, b: v128): v128 { return madd<T, v128>(a, b, s); }
  @inline one(s: f64, a: f64, b: f64): f64 { return s + a * b; }
}
