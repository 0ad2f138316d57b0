import { define, konst, konstBits, Slot, tableAddress, Table } from "../simd/constants";
import { fastSumError, keepLowWord, sumError } from "../simd/double";
import { horner } from "../simd/poly";
import { add, madd, mul, pmax, pmin, pow2, scaleByPow2, sub } from "../simd/vec";

// exp(x) over <T, V>, faithfully rounded (max error below 1 ULP) on all of T.
// exp2 and expm1 (ops/exp2.ts) share its table and its full path.
//
// float32, with Cody–Waite reduction and a double-word r:
//   x = n·ln2 + r,  n = rint(x·log2e),  |r| ≲ ln2/2
//   exp(x) = 2^n · (1 + r + r²·P(r))
// r is carried as rHi + rLo, and 1 + rHi is split exactly into hi + e, so the
// only large rounding is the final hi + tail: the error stays near 0.6 ULP.
//
// float64, with a table of 2^(j/128) as hi + lo (written once at start-up):
//   x = (128·e + j)·ln2/128 + r,  |r| ≤ ln2/256
//   exp(x) = 2^e · (T[j] + T[j]·(r + r²·P(r)))
// The small term carries the table's low part, so only the final addition
// rounds at full size: about 0.51 ULP. (A table costs one lane extract and
// one load per lane: for float32's four lanes that costs more than the
// longer polynomial it saves.)
//
// The fast path scales by 2^n with one integer add to the exponent, valid
// while the result is normal. The map driver sends steps with any |x| past
// that range, or any NaN (whose payload would reach the exponent add), to
// `redo`, the full path: it clamps, scales in two exact steps and rounds
// subnormal results once.
//
// Every multiply-add is madd: fused in the relaxed module where the engine
// fuses, rounded twice otherwise. Each is placed where either keeps the
// bound; the comments say why.

@final @unmanaged export class Exp {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return expF32<V>(a, false);
    return expF64<V>(a, false);
  }
  @inline usual<T>(a: v128): v128 {
    return v128.le<T>(v128.abs<T>(a), konst<T, v128>(Slot.ExpFastBelow));
  }
  @inline usualOne<T>(a: T): bool {
    return abs<T>(a) <= konst<T, T>(Slot.ExpFastBelow);
  }
  @inline redo<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return expF32<V>(a, true);
    return expF64<V>(a, true);
  }
}

/** x within [low, high]: past such bounds the result no longer changes, and n stays small. NaN passes through. */
@inline export function clamp<T, V>(x: V, high: Slot = Slot.ExpClampHigh, low: Slot = Slot.ExpClampLow): V {
  return pmax<T, V>(pmin<T, V>(x, konst<T, V>(high)), konst<T, V>(low));
}

/** float32 exp; `full` handles every x (the rare path), else |x| ≤ 87 only. */
@inline function expF32<V>(x: V, full: bool): V {
  if (full) x = clamp<f32, V>(x);
  // f holds n = rint(x·log2e) in its low bits; −n = shifter − f, exactly.
  const f = madd<f32, V>(x, konst<f32, V>(Slot.Log2e), konst<f32, V>(Slot.Shifter));
  const negN = sub<f32, V>(konst<f32, V>(Slot.Shifter), f);
  // ln2 ≈ L1 + L2: both have 16 significant bits and |n| ≤ 150, so n·L1 and
  // n·L2 are exact, and so is x − n·L1 (Sterbenz), fused or not. rHi rounds
  // t − n·L2 once either way, and rLo is that rounding's error, exactly. The
  // 2^-28.9 left out (n·L3, L3 = ln2 − L1 − L2) costs 0.03 ULP at most.
  const t = madd<f32, V>(negN, konst<f32, V>(Slot.ExpLn2Hi), x);
  const rHi = madd<f32, V>(negN, konst<f32, V>(Slot.ExpLn2Mid), t);
  const rLo = madd<f32, V>(negN, konst<f32, V>(Slot.ExpLn2Mid), sub<f32, V>(t, rHi));
  // 1 + rHi = hi + e exactly (Fast2Sum: |1| ≥ |rHi|).
  const one = konst<f32, V>(Slot.One);
  const hi = add<f32, V>(one, rHi);
  const e = add<f32, V>(sub<f32, V>(one, hi), rHi);
  // exp(rHi + rLo) − hi ≈ e + rLo + rHi·rLo + rHi²·P(rHi): small terms only.
  const c = horner<f32, V>(rHi, Slot.ExpP0, 4);
  const q = madd<f32, V>(mul<f32, V>(rHi, rHi), c, madd<f32, V>(rHi, rLo, rLo));
  const tail = add<f32, V>(e, q);
  if (!full) {
    // 2^n by adding n to the exponent: f's low 9 bits are n (two's complement).
    const y = add<f32, V>(hi, tail);
    if (isVector<V>()) return i32x4.add(y, i32x4.shl(f, 23));
    else return reinterpret<f32>(reinterpret<i32>(y) + (reinterpret<i32>(f) << 23));
  }
  const y = scaleByPow2<f32, V>(add<f32, V>(hi, tail), f);
  if (isVector<V>()) {
    return v128.bitselect(subnormal<f32, V>(hi, tail, f), y, f32x4.lt(y, konst<f32, v128>(Slot.MinNormal)));
  }
  return y < konst<f32, f32>(Slot.MinNormal) ? subnormal<f32, V>(hi, tail, f) : y;
}

/** float64 exp; `full` handles every x (the rare path), else |x| < 708 only. */
@inline export function expF64<V>(x: V, full: bool): V {
  return expOf<V>(x, x, full, false);
}

/**
 * e^x in f64 lanes for a float32 result (erfc, cosh, sigmoid, pow), |x| < 708: exp's reduction
 * and table, with e^r − 1 to r³ (tools/fits.mjs exp_tab128_f64_for_f32:
 * within 2^-38.6 of e^r) and T[j]'s high word only (2^-53), so within
 * 2^-38.5 of e^x, far below float32's 2^-24.
 */
@inline export function expNarrow<V>(x: V): V {
  const f = expIndex<V>(x);
  return fromTable<V, NarrowScale>(f, expPoly<V>(x, f, x, false, true), x);
}

/** f holding k = rint(x·128/ln2) = 128·e + j in its low bits (float64). */
@inline export function expIndex<V>(x: V): V {
  return madd<f64, V>(x, konst<f64, V>(Slot.Log2e), konst<f64, V>(Slot.Shifter));
}

/**
 * e^r − 1 for r = x − k·ln2/128, k from f = expIndex(x) (float64). With
 * `words`, for the double word x + low (|low| ≤ 2^-40·|x| or so): r then
 * takes low in, as a double word whose low part joins the result (pow).
 */
@inline export function expPoly<V>(x: V, f: V, low: V = x, words: bool = false, narrow: bool = false): V {
  const negK = sub<f64, V>(konst<f64, V>(Slot.Shifter), f);
  // r = x − k·ln2/128 with ln2/128 = L1 + L2: L1 has 33 bits and |k| < 2^18,
  // so k·L1 is exact and so is x − k·L1 (Sterbenz), fused or not.
  const t = madd<f64, V>(negK, konst<f64, V>(Slot.ExpLn2Hi), x);
  let r: V, rLo: V = x;
  if (words) {
    // s = low − k·L2 is small (below 2^-23), so its roundings cost 2^-76;
    // r + rLo = t + s exactly (TwoSum), and rLo adds to e^r − 1 as it is.
    const s = madd<f64, V>(negK, konst<f64, V>(Slot.ExpLn2Mid), low);
    r = add<f64, V>(t, s);
    rLo = sumError<V>(t, s, r);
  } else {
    r = madd<f64, V>(negK, konst<f64, V>(Slot.ExpLn2Mid), t);
  }
  // r + r²·P(r) ≈ e^r − 1.
  const c = narrow ? horner<f64, V>(r, Slot.ExpNarrowP0, 1) : horner<f64, V>(r, Slot.ExpP0, 3);
  const p = madd<f64, V>(mul<f64, V>(r, r), c, r);
  return words ? add<f64, V>(p, rLo) : p;
}

/**
 * float64 e^(x + low) for a double word (pow's y·log x): as exp, within
 * about 2^-61 before the one rounding. `full` handles every x (clamped; a
 * NaN x gives NaN), else |x| ≤ 708 only.
 */
@inline export function expWords<V>(x: V, low: V, full: bool): V {
  return expOf<V>(x, low, full, true);
}

@inline function expOf<V>(x: V, low: V, full: bool, words: bool): V {
  if (full) x = clamp<f64, V>(x);
  const f = expIndex<V>(x);
  const p = expPoly<V>(x, f, low, words);
  if (full) return fromTable<V, FullScale>(f, p, x);
  return fromTable<V, FastScale>(f, p, x);
}

/**
 * 2^(k/128)·(1 + p), k = 128·e + j in the low bits of f, p small, as Finish
 * makes it from T[j] = hi + lo: Finish.of<V>(hi, lo, p, f, x), x the input.
 * exp and exp2 scale T[j]·(1 + p), rounded once, by 2^e (FastScale,
 * FullScale); expm1 takes 1 from it first (ops/exp2.ts); sigmoid divides
 * by 1 plus it in double-word arithmetic (ops/sigmoid.ts).
 */
@inline export function fromTable<V, Finish>(f: V, p: V, x: V): V {
  // T[j] = hi + lo, j = k mod 128: one 16-byte entry per lane.
  const table = tableAddress(Table.Exp2);
  let hi: V, lo: V;
  if (isVector<V>()) {
    const e0 = v128.load(table + ((<usize>i32x4.extract_lane(f, 0) & 127) << 4));
    const e1 = v128.load(table + ((<usize>i32x4.extract_lane(f, 2) & 127) << 4));
    hi = v128.shuffle<i64>(e0, e1, 0, 2);
    lo = v128.shuffle<i64>(e0, e1, 1, 3);
  } else {
    const entry = table + ((<usize>reinterpret<i64>(f) & 127) << 4);
    hi = load<f64>(entry);
    lo = load<f64>(entry, 8);
  }
  return changetype<Finish>(0).of<V>(hi, lo, p, f, x);
}

/**
 * t = 2^e·(hi + (lo + hi·p)), from exp's table (fromTable's Finish), as a
 * double word: returns th and leaves tl for lowWordOf (simd/double.ts). The second part is up to
 * 2^-7 of the first, so Fast2Sum makes |tl| ≤ ulp(th)/2; t is within 2^-61
 * of e^x, relative. 2^e must be normal (e ≥ −1022), so scaling is exact.
 */
@inline export function tableWords<V>(hi: V, lo: V, p: V, f: V): V {
  const s = pow2<f64, V>(tableExponent<V>(f), 0);
  const big = mul<f64, V>(hi, s);
  const small = mul<f64, V>(madd<f64, V>(hi, p, lo), s);
  const th = add<f64, V>(big, small);
  keepLowWord<V>(fastSumError<V>(big, small, th));
  return th;
}

/** fromTable's Finish for e^x as a double word: tableWords' th (tl for lowWordOf). */
@final @unmanaged export class TableWords {
  @inline of<V>(hi: V, lo: V, p: V, f: V, x: V): V {
    return tableWords<V>(hi, lo, p, f);
  }
}

/** e = k >> 7 (floor) in the low 32 bits of each lane, as scaleByPow2 and pow2 take it. */
@inline export function tableExponent<V>(f: V): V {
  if (isVector<V>()) return i32x4.shr_s(f, 7);
  else return reinterpret<f64>(<i64>(<i32>reinterpret<i64>(f) >> 7));
}

/** 2^e·(hi + (lo + hi·p)) for a normal result: 2^e by adding (k − j)/128 to the exponent. */
@final @unmanaged export class FastScale {
  @inline of<V>(hi: V, lo: V, p: V, f: V, x: V): V {
    // T[j]·(1 + p) − hi = lo + hi·p, small: its rounding costs 2^-61.
    return times2e<V>(add<f64, V>(hi, madd<f64, V>(hi, p, lo)), f);
  }
}

/** y·2^e for a normal result, e = k >> 7 from f: (k − j)/128 added to y's exponent. */
@inline function times2e<V>(y: V, f: V): V {
  if (isVector<V>()) return i64x2.add(y, i64x2.shl(v128.andnot(f, konstBits<f64>(Slot.ExpIndexMask)), 45));
  else return reinterpret<f64>(reinterpret<i64>(y) + ((reinterpret<i64>(f) & ~127) << 45));
}

/** FastScale from T[j]'s high word alone: 2^e·(hi + hi·p), for expNarrow. */
@final @unmanaged class NarrowScale {
  @inline of<V>(hi: V, lo: V, p: V, f: V, x: V): V {
    return times2e<V>(madd<f64, V>(hi, p, hi), f);
  }
}

/** The same for any e down to the subnormal range: two exact steps, or one rounding of a subnormal result. */
@final @unmanaged export class FullScale {
  @inline of<V>(hi: V, lo: V, p: V, f: V, x: V): V {
    const tail = madd<f64, V>(hi, p, lo);
    const e = tableExponent<V>(f);
    const y = scaleByPow2<f64, V>(add<f64, V>(hi, tail), e);
    if (isVector<V>()) {
      return v128.bitselect(subnormal<f64, V>(hi, tail, e), y, f64x2.lt(y, konst<f64, v128>(Slot.MinNormal)));
    }
    return y < konst<f64, f64>(Slot.MinNormal) ? subnormal<f64, V>(hi, tail, e) : y;
  }
}

/**
 * (hi + tail) · 2^n for a result below the normal range, rounded once; f
 * holds n as scaleByPow2 takes it. Scaled by 2^M (M = 126 or 1022, exactly,
 * as both parts stay normal) the value z is below 1, and 1 + z rounds at a
 * spacing of 2^-23 or 2^-52, which is the subnormals' spacing scaled by 2^M.
 * So round 1 + z, take the 1 away and scale back: both exact.
 */
@inline export function subnormal<T, V>(hi: V, tail: V, f: V): V {
  const s = pow2<T, V>(f, sizeof<T>() == 4 ? 126 : 1022);
  const zHi = mul<T, V>(hi, s);
  const zTail = mul<T, V>(tail, s);
  const one = konst<T, V>(Slot.One);
  const big = add<T, V>(one, zHi);
  const small = add<T, V>(sub<T, V>(one, big), zHi); // exact: 1 ≥ zHi
  const r = add<T, V>(big, add<T, V>(small, zTail));
  return mul<T, V>(sub<T, V>(r, one), konst<T, V>(Slot.MinNormal));
}

/** exp's constants and its table (see simd/constants.ts). */
export function expConstants(): void {
  // Clamps of the full path: past them the result is +inf or +0.
  // f32: 89 and -104; f64: 710 and -746.
  define(Slot.ExpClampHigh, 0x42b20000, 0x4086300000000000);
  define(Slot.ExpClampLow, 0xc2d00000, 0xc087500000000000);
  // The fast path's range, |x| ≤ 87 (f32) or 708 (f64): normal results, and
  // an exponent that one integer add moves without overflow.
  define(Slot.ExpFastBelow, 0x42ae0000, 0x4086200000000000);
  // f32: log2(e) = 1.4426950408889634 rounded; f64: 128/ln2 = 184.6649652337873.
  define(Slot.Log2e, 0x3fb8aa3b, 0x40671547652b82fe);
  // f32: ln2 = L1 + L2 + L3, from Σ 1/(k·2^k) to 400 bits (L3 is left out):
  //   L1 = 0.693145751953125, L2 = 1.4286197256296873e-6, L3 = -1.2905320041778356e-11
  // f64: ln2/128 = L1 + L2, L1 with 33 significant bits:
  //   L1 = 0.0054152123475432745, L2 = 5.812982117197185e-13 (residual 6.6e-30)
  define(Slot.ExpLn2Hi, 0x3f317200, 0x3f762e42fef00000);
  define(Slot.ExpLn2Mid, 0x35bfbf00, 0x3d6473de6af278ed);
  // P(r) ≈ (e^r − 1 − r)/r², minimax fits with P(0) = 1/2 (node tools/fits.mjs):
  //   f32 fit expm1_tail_f32 "P deg 4", |r| ≤ 0.34658: 1 + r + r²·P within 2^-28.03 of e^r;
  //   f64 fit exp_tab128_f64 "deg 5", |r| ≤ ln2/256: 1 + r + r²·P within 2^-65.3 of e^r.
  define(Slot.ExpP0, 0x3f000000, 0x3fdffffffffffdbd); // 0.5, 0.49999999999996786
  define(Slot.ExpP1, 0x3e2aaa51, 0x3fc55555555556c0); // 0.16666533, 0.16666666666667673
  define(Slot.ExpP2, 0x3d2aab39, 0x3fa55555cf167d0a); // 0.041667197, 0.041666680840757378
  define(Slot.ExpP3, 0x3c091815, 0x3f8111110680a571); // 0.0083675580, 0.0083333330258763289
  define(Slot.ExpP4, 0x3ab5c283, 0); //                  0.0013867173
  define(Slot.ExpIndexMask, 0, 127);
  // tools/fits.mjs exp_tab128_f64_for_f32 deg 1: P(r) within 2^-20.64, relative.
  define(Slot.ExpNarrowP0, 0, 0x3fe0000000000000); // 0.5
  define(Slot.ExpNarrowP1, 0, 0x3fc55554fdde9b1b); // 0.16666662593817069
  writeExp2Table();
}

/**
 * T[j] = 2^(j/128) as hi + lo, j = 0..127: powers of 2^(1/128) in
 * double-double arithmetic (exact products by Dekker's method), so every
 * entry is within 2^-96 of the true value. hi is then 2^(j/128) rounded.
 */
function writeExp2Table(): void {
  const table = tableAddress(Table.Exp2);
  // 2^(1/128) = 1.0054299011128027 + 9.499186535455032e-17
  const bHi = reinterpret<f64>(0x3ff0163da9fb3335);
  const bLo = reinterpret<f64>(0x3c9b61299ab8cdb7);
  let hi = 1.0, lo = 0.0;
  for (let j = 0; j < 128; j++) {
    store<f64>(table + (<usize>j << 4), hi);
    store<f64>(table + (<usize>j << 4), lo, 8);
    const p = hi * bHi;
    const err = productError(hi, bHi, p) + (hi * bLo + lo * bHi);
    hi = p + err;
    lo = err - (hi - p);
  }
}

/** a·b − p exactly, for p = a·b rounded (Dekker, with Veltkamp's split). */
function productError(a: f64, b: f64, p: f64): f64 {
  const ca = 134217729.0 * a, cb = 134217729.0 * b;
  const aHi = ca - (ca - a), aLo = a - aHi;
  const bHi = cb - (cb - b), bLo = b - bHi;
  return ((aHi * bHi - p) + aHi * bLo + aLo * bHi) + aLo * bLo;
}
