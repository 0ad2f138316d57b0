import { absolute, add, div, maximum, minimum, mul, neg, squareRoot, sub } from "../simd/vec";

// Elementwise ops for the map driver: apply<T, V>(a, b) with V = T or v128.
// Unary ops ignore b. The reversed ops (RSub, RDiv) serve a number on the left.

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

// Reduction terms for the reduce driver, on f64 values or f64x2 vectors.

@final @unmanaged export class Sum {
  @inline one(a: f64, b: f64): f64 { return a; }
  @inline vec(a: v128, b: v128): v128 { return a; }
}
/** Products of widened f32 are exact; f64 products round once. */
@final @unmanaged export class Dot {
  @inline one(a: f64, b: f64): f64 { return a * b; }
  @inline vec(a: v128, b: v128): v128 { return f64x2.mul(a, b); }
}
