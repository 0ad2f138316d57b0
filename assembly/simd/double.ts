import { define, konst, konstBits, Slot } from "./constants";
import { add, div, mul, sub } from "./vec";

// Double-word arithmetic in f64 lanes, with plain multiplies and adds only,
// so that every build (relaxed or strict, fused or not) gives the same bits:
// the exact error of a product by Dekker's method with Veltkamp's split.

/** a·b − p exactly, for p = a·b rounded (|a·b| well inside the normal range). */
@inline export function productError<V>(a: V, b: V, p: V): V {
  const split = konst<f64, V>(Slot.Split);
  const ca = mul<f64, V>(a, split), cb = mul<f64, V>(b, split);
  const aHi = sub<f64, V>(ca, sub<f64, V>(ca, a)), aLo = sub<f64, V>(a, aHi);
  const bHi = sub<f64, V>(cb, sub<f64, V>(cb, b)), bLo = sub<f64, V>(b, bHi);
  const e = add<f64, V>(add<f64, V>(sub<f64, V>(mul<f64, V>(aHi, bHi), p), mul<f64, V>(aHi, bLo)), mul<f64, V>(aLo, bHi));
  return add<f64, V>(e, mul<f64, V>(aLo, bLo));
}

/**
 * x with its low 27 significand bits cleared: 26 significant bits, so that
 * its product with another such half is exact, and x − highHalf(x) (27
 * bits) is exact. One instruction, where Veltkamp's split takes three.
 */
@inline export function highHalf<W>(x: W): W {
  if (isVector<W>()) return v128.and(x, konstBits<f64>(Slot.SplitMask));
  return <W>reinterpret<f64>(reinterpret<u64>(<f64>x) & 0xfffffffff8000000);
}

/** x·x − p exactly, for p = x·x rounded: productError with one split and one product fewer. */
@inline export function squareError<V>(x: V, p: V): V {
  const c = mul<f64, V>(x, konst<f64, V>(Slot.Split));
  const hi = sub<f64, V>(c, sub<f64, V>(c, x));
  const lo = sub<f64, V>(x, hi);
  return add<f64, V>(add<f64, V>(sub<f64, V>(mul<f64, V>(hi, hi), p), mul<f64, V>(add<f64, V>(hi, hi), lo)), mul<f64, V>(lo, lo));
}

/**
 * (nh + nl)/(dh + dl), rounded once from within ~2^-100 of it (plus what the
 * low words carry), with one division: r = 1/dh, q = nh·r (within two ULPs),
 * the remainder N − q·D with q·dh exact, and the correction remainder·r
 * (r's 2^-53 is nothing on a correction that small). nh and q·dh must be
 * within a factor of 2 (Sterbenz), as they are for |nl| ≤ ulp(nh), |dl| ≤ ulp(dh).
 */
@inline export function divideWords<V>(nh: V, nl: V, dh: V, dl: V): V {
  const r = div<f64, V>(konst<f64, V>(Slot.One), dh);
  const q = mul<f64, V>(nh, r);
  return add<f64, V>(q, mul<f64, V>(quotientRemainder<V>(nh, nl, dh, dl, q), r));
}

/**
 * N − q·D for a quotient q near N/D (double words N = nh + nl, D = dh + dl),
 * with q·dh exact (Dekker): within ~2^-104 of its value, relative to N.
 * Divided by D it is the correction that makes q + c the quotient as a
 * double word.
 */
@inline export function quotientRemainder<V>(nh: V, nl: V, dh: V, dl: V, q: V): V {
  const pq = mul<f64, V>(q, dh);
  return add<f64, V>(sub<f64, V>(sub<f64, V>(nh, pq), productError<V>(q, dh, pq)), sub<f64, V>(nl, mul<f64, V>(q, dl)));
}

/** a + b − s exactly, for s = a + b rounded, whichever is larger (TwoSum). */
@inline export function sumError<V>(a: V, b: V, s: V): V {
  const bb = sub<f64, V>(s, a);
  return add<f64, V>(sub<f64, V>(a, sub<f64, V>(s, bb)), sub<f64, V>(b, bb));
}

/**
 * h + l − r² for r = √h rounded (r² by Dekker; h − r² exact by Sterbenz),
 * for h normal with √h well inside the normal range: divided by 2r, it is
 * the Newton step that makes r + c the root of h + l to about 2^-104.
 */
@inline export function rootRemainder<V>(h: V, l: V, r: V): V {
  const rr = mul<f64, V>(r, r);
  return add<f64, V>(sub<f64, V>(sub<f64, V>(h, rr), squareError<V>(r, rr)), l);
}
/** a + b as a double word [a + b rounded, its error], for |a| ≥ |b| (Fast2Sum): the error. */
@inline export function fastSumError<V>(a: V, b: V, s: V): V {
  return add<f64, V>(sub<f64, V>(a, s), b);
}

/**
 * The low word of a function that returns a double word: a second return
 * value, kept by keepLowWord and read with lowWordOf right after the call
 * (AssemblyScript returns one value). Each thread has its own module
 * instance, so its own copy; nothing outlives the step.
 */
let lowWord: v128 = f64x2.splat(0);
let lowWordOne: f64 = 0;

@inline export function keepLowWord<V>(low: V): void {
  if (isVector<V>()) lowWord = low;
  else lowWordOne = <f64>low;
}

@inline export function lowWordOf<V>(): V {
  if (isVector<V>()) return <V>lowWord;
  return <V>lowWordOne;
}

export function doubleConstants(): void {
  define(Slot.Split, 0, 0x41a0000002000000); // 2^27 + 1
  define(Slot.SplitMask, 0, 0xfffffffff8000000);
}
