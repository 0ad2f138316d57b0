// Loads and stores of one value V (a T, or a v128 of T), and of the partial
// vector at the end of an array, so the tail runs the same vector math.

@inline export function read<T, V>(p: usize, offset: usize = 0): V {
  if (isVector<V>()) return v128.load(p + offset);
  else return load<T>(p + offset);
}

@inline export function write<T, V>(p: usize, value: V, offset: usize = 0): void {
  if (isVector<V>()) v128.store(p + offset, value);
  else store<T>(p + offset, value);
}

/** The first k (0 < k < lanes) elements at p; the other lanes hold fill. */
@inline export function readTail<T>(p: usize, k: i32, fill: T): v128 {
  let v = v128.splat<T>(fill);
  v = v128.load_lane<T>(p, v, 0);
  if (sizeof<T>() == 4) {
    if (k > 1) v = v128.load_lane<T>(p, v, 1, 4);
    if (k > 2) v = v128.load_lane<T>(p, v, 2, 8);
  }
  return v;
}

/** Stores the first k (0 < k < lanes) lanes of v at p, and nothing past them. */
@inline export function writeTail<T>(p: usize, v: v128, k: i32): void {
  v128.store_lane<T>(p, v, 0);
  if (sizeof<T>() == 4) {
    if (k > 1) v128.store_lane<T>(p, v, 1, 4);
    if (k > 2) v128.store_lane<T>(p, v, 2, 8);
  }
}

/** The f64 lanes of elements 0..1 of a vector of T (f32 lanes are widened exactly). */
@inline export function widenLow<T>(v: v128): v128 {
  if (sizeof<T>() == 4) return f64x2.promote_low_f32x4(v);
  else return v;
}

/** The f64 lanes of elements 2..3 of a vector of f32. */
@inline export function widenHigh<T>(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/** Two f64x2 results (from widenLow and widenHigh of a vector of f32) rounded back into one f32x4. */
@inline export function narrow(low: v128, high: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5);
}
