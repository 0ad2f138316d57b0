import { define, konst, konstBits, Slot, Table, tableAddress } from "../simd/constants";
import { fastSumError, keepLowWord, lowWordOf, productError, squareError, sumError } from "../simd/double";
import { horner } from "../simd/poly";
import { absolute, add, flipSign, madd, mul, pmin, signBit, sub } from "../simd/vec";
import { expIndex, expNarrow, expPoly, fromTable, subnormal, TableWords } from "./exp";
import { inF64Lanes } from "./exp2";
import { writeErfcTable, writeErfTable } from "./erf-table";

// erf and erfc over <T, V>, faithfully rounded on all of T; erf is odd,
// erfc(x) = 1 − erf(x) = 2 − erfc(−x). Both run in f64 lanes on a = |x|,
// by one of two roads per lane:
//
//   a < 3/8: erf(a) = a + a·E(w), w = a², from tools/fits.mjs (float64:
//     erf_poly_f64 deg 9, where the sum starts as (a + a/8) kept as a
//     double word, so that E's leading coefficient is small and rounds at
//     2^-62; float32: erf_poly_f64_for_f32 deg 5). float64 erf scales a by
//     2^64 first (a/8 stays exact), and the result back with one rounding.
//     erfc = 1 − erf(x) (TwoSum), at least 0.59 there. (Up to 1/2, a·E
//     would reach 7% of erf, and its roundings 0.69 ULP.)
//   a ≥ 3/8, from the tables of tools/erf-table.mjs: on each of 16
//     intervals per binade (found in a's top bits), a Taylor polynomial
//     about the midpoint c, in h = a − c (exact: Sterbenz).
//     - erf: erf's own, to a < 6 (clamped: erf rounds to 1 from 5.92 in
//       float64, 3.92 in float32), within 2^-59.4 (float64: r_0 as a double
//       word, then r_1 … r_11) or 2^-32.3 (float32: r_0 … r_5) of erf.
//     - erfc: erfc(a) = e^(−a²)·R(a), R(a) = erfcx(a) = e^(a²)·erfc(a)
//       within 2^-58.8 of R (float64: r_0 as a double word, then r_1 …
//       r_12; float32: r_0 … r_5, 2^-30.3 up to 32), its relative error
//       kept where erfc is tiny. a² = s + sl exactly (Dekker), e^(−s − sl)
//       as a double word th + tl from exp's table (within 2^-61), and the
//       product in double-word arithmetic; erfc(x < 0) = 2 − erfc(a).
//
// float64 erfc takes x ≤ 26 on the usual path, where e^(−a²) stays normal;
// past 26 (the map driver's redo), erfc computes 2^64·e^(−a²) instead, a clamped to 27.25,
// past which erfc(a) < 2^-1075 rounds to 0, and scales the result by 2^-64
// with one rounding, as exp rounds its subnormal results. float32 needs no other path: in f64 lanes its results,
// subnormal ones too, are normal until the one rounding to float32. NaN
// takes the table road and stays NaN (its index is masked into the table).

@final @unmanaged export class Erf {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, ErfNarrow>(a);
    return erfOf<V>(a, false, false, false);
  }
}

@final @unmanaged export class Erfc {
  @inline apply<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, ErfcNarrow>(a);
    return erfOf<V>(a, true, false, false);
  }
  @inline usual<T>(a: v128): v128 {
    return v128.le<T>(a, konst<T, v128>(Slot.ErfcUsualBelow));
  }
  @inline usualOne<T>(a: T): bool {
    return a <= konst<T, T>(Slot.ErfcUsualBelow);
  }
  @inline redo<T, V>(a: V, b: V): V {
    if (sizeof<T>() == 4) return inF64Lanes<V, ErfcNarrow>(a);
    return erfOf<V>(a, true, false, true);
  }
}

/** erf in f64 for float32 x (inF64Lanes' Core). */
@final @unmanaged class ErfNarrow {
  @inline of<W>(x: W): W {
    return erfOf<W>(x, false, true, false);
  }
}

/** erfc in f64 for float32 x. */
@final @unmanaged class ErfcNarrow {
  @inline of<W>(x: W): W {
    return erfOf<W>(x, true, true, false);
  }
}

/**
 * erf(x), or erfc(x) where `complement`, in f64 lanes: `narrow` for float32
 * (fewer terms, no double words where f64's own rounding is far below
 * float32's), `scaled` for erfc's results below the normal range.
 */
@inline function erfOf<W>(x: W, complement: bool, narrow: bool, scaled: bool): W {
  const clamp = !complement ? Slot.ErfClamp : scaled ? Slot.ErfcScaledClamp : Slot.ErfcClamp;
  const a = pmin<f64, W>(absolute<f64, W>(x), konst<f64, W>(clamp));
  const sign = signBit<W>(x);
  if (isVector<W>()) {
    const near0 = f64x2.lt(a, konst<f64, v128>(Slot.ErfNearZeroBelow));
    if (i64x2.all_true(near0)) return nearZero<W>(a, sign, complement, narrow);
    if (!v128.any_true(near0)) return awayFromZero<W>(a, sign, complement, narrow, scaled);
    return v128.bitselect(nearZero<W>(a, sign, complement, narrow), awayFromZero<W>(a, sign, complement, narrow, scaled), near0);
  }
  if (a < konst<f64, W>(Slot.ErfNearZeroBelow)) return nearZero<W>(a, sign, complement, narrow);
  return awayFromZero<W>(a, sign, complement, narrow, scaled);
}

/** erf or erfc for a = |x| ≥ 3/8 (or NaN). */
@inline function awayFromZero<W>(a: W, sign: W, complement: bool, narrow: bool, scaled: bool): W {
  if (complement) return erfcTail<W>(a, sign, narrow, scaled);
  // erf's own polynomial: float64 rounds r_0 + (r_0's low word + h·Σ) once.
  return flipSign<W>(taylor<W>(a, Table.Erf, Slot.ErfIndexBase, Slot.ErfIndexMask, narrow ? 6 : 12, narrow, false), sign);
}

/** erf or erfc for a = |x| < 3/8, `sign` x's sign bit. */
@inline function nearZero<W>(a: W, sign: W, complement: bool, narrow: bool): W {
  const w = mul<f64, W>(a, a);
  let gh: W, gl: W;
  if (narrow) {
    const e = horner<f64, W>(w, Slot.ErfS0, 5);
    const y = madd<f64, W>(a, e, a);
    if (!complement) return flipSign<W>(y, sign);
    return sub<f64, W>(konst<f64, W>(Slot.One), flipSign<W>(y, sign));
  }
  const e = horner<f64, W>(w, Slot.ErfP0, 9);
  // z = a·2^64 (erf) keeps z/8 exact and the sum normal; erfc needs no scaling.
  const z = complement ? a : mul<f64, W>(a, konst<f64, W>(Slot.ErfUp));
  const eighth = mul<f64, W>(z, konst<f64, W>(Slot.ErfEighth));
  gh = add<f64, W>(z, eighth);
  // z·E is below 4% of the result: its roundings cost about 2^-57.
  gl = madd<f64, W>(z, e, fastSumError<W>(z, eighth, gh));
  if (!complement) return flipSign<W>(scaledBack<W>(gh, gl), sign);
  // 1 − (±erf(a)): 1 − gh as H + L exactly (TwoSum), then the small part.
  const mh = flipSign<W>(gh, flipSign<W>(sign, konst<f64, W>(Slot.NegativeZero)));
  const one = konst<f64, W>(Slot.One);
  const h = add<f64, W>(one, mh);
  const l = sumError<W>(one, mh, h);
  return add<f64, W>(h, sub<f64, W>(l, flipSign<W>(gl, sign)));
}

/** erfc for a = |x| ≥ 3/8 (or NaN), from erfc(a) = e^(−a²)·R(a). */
@inline function erfcTail<W>(a: W, sign: W, narrow: bool, scaled: bool): W {
  // e^(−a²) = th + tl: a² = s + sl exactly, e^(−s − sl) by exp's table.
  const s = mul<f64, W>(a, a);
  const m = flipSign<W>(s, konst<f64, W>(Slot.NegativeZero));
  if (narrow) {
    // float32's a has 24 bits: a² is exact, and e^(−a²) within 2^-38.5 is far below float32's 2^-24.
    const c = mul<f64, W>(erfcx<W>(a, true), expNarrow<W>(m));
    return add<f64, W>(twoWhere<W>(sign), flipSign<W>(c, sign));
  }
  const f = expIndex<W>(m);
  const p = expPoly<W>(m, f, flipSign<W>(squareError<W>(a, s), konst<f64, W>(Slot.NegativeZero)), true);
  // Scaled: 2^64·e^(−a²), by 64 more in the exponent k >> 7 (the table index k & 127 stays).
  let g = f;
  if (scaled) {
    if (isVector<W>()) g = i64x2.add(f, konstBits<f64>(Slot.ErfcExponentStep));
    else g = <W>reinterpret<f64>(reinterpret<i64>(<f64>f) + 8192);
  }
  const th = fromTable<W, TableWords>(g, p, m);
  const tl = lowWordOf<W>();
  const rh = erfcx<W>(a, false);
  const rl = lowWordOf<W>();
  const ph = mul<f64, W>(th, rh);
  const pl = add<f64, W>(productError<W>(th, rh, ph), madd<f64, W>(th, rl, mul<f64, W>(tl, rh)));
  // erfc(x ≥ 0) = ph + pl (scaled: rounded, then scaled back, once more);
  // erfc(x < 0) = 2 − (ph + pl), as H + L (TwoSum) plus the small part.
  const positive = scaled ? scaledBack<W>(ph, pl) : add<f64, W>(ph, pl);
  const qh = scaled ? mul<f64, W>(ph, konst<f64, W>(Slot.ErfDown)) : ph;
  const ql = scaled ? mul<f64, W>(pl, konst<f64, W>(Slot.ErfDown)) : pl;
  const two = konst<f64, W>(Slot.Two);
  const nqh = flipSign<W>(qh, konst<f64, W>(Slot.NegativeZero));
  const h = add<f64, W>(two, nqh);
  const negative = add<f64, W>(h, sub<f64, W>(sumError<W>(two, nqh, h), ql));
  if (isVector<W>()) return v128.bitselect(negative, positive, i64x2.shr_s(sign, 63));
  return reinterpret<u64>(<f64>sign) != 0 ? negative : positive;
}

/**
 * (h + l)·2^-64 rounded once: where the result is normal, h + l rounds and
 * the scaling is exact; below, exp's subnormal rounding (rounding h + l
 * first would round twice, on the same grid near 2^-1022).
 */
@inline function scaledBack<W>(h: W, l: W): W {
  const y = mul<f64, W>(add<f64, W>(h, l), konst<f64, W>(Slot.ErfDown));
  if (isVector<W>()) {
    const tiny = f64x2.lt(f64x2.abs(y), konst<f64, v128>(Slot.MinNormal));
    if (!v128.any_true(tiny)) return y;
    return v128.bitselect(subnormal<f64, W>(h, l, konst<f64, W>(Slot.ErfcScaleExponent)), y, tiny);
  }
  return abs<f64>(<f64>y) < konst<f64, f64>(Slot.MinNormal) ? subnormal<f64, W>(h, l, konst<f64, W>(Slot.ErfcScaleExponent)) : y;
}

/** 2 where sign (a sign bit alone) is set, else 0. */
@inline function twoWhere<W>(sign: W): W {
  if (isVector<W>()) return v128.and(konst<f64, v128>(Slot.Two), i64x2.shr_s(sign, 63));
  return <W>(reinterpret<u64>(<f64>sign) != 0 ? 2.0 : 0.0);
}

/** R(a) = erfcx(a) = e^(a²)·erfc(a) for 1/4 ≤ a < 28, as Rh + Rl (float64; Rl for lowWordOf) or Rh alone (narrow). */
@inline function erfcx<W>(a: W, narrow: bool): W {
  return taylor<W>(a, Table.Erfcx, Slot.ErfcxIndexBase, Slot.ErfcxIndexMask, narrow ? 6 : 13, narrow, true);
}

/**
 * A table's Taylor polynomial at a (lanes outside the table read some entry
 * and are dropped): the entry of a's interval, i = (a's top 16 bits) − base,
 * masked; its words 0 and 1 hold r_0 as hi and lo, word k + 1 holds r_k, up
 * to word `top`. narrow: r_0's hi + h·Σ; else hi + (lo + h·Σ), leaving the
 * second part for lowWordOf where `low`.
 */
@inline function taylor<W>(a: W, table: Table, base: Slot, mask: Slot, top: i32, narrow: bool, low: bool): W {
  // The midpoint c: a's exponent and top 4 fraction bits, then a one.
  const t = tableAddress(table);
  let h: W, e0: usize, e1: usize = 0;
  if (isVector<W>()) {
    h = f64x2.sub(a, v128.or(v128.and(a, konstBits<f64>(Slot.ErfTopBits)), konstBits<f64>(Slot.ErfMidBit)));
    const i = v128.and(i64x2.sub(i64x2.shr_u(a, 48), konstBits<f64>(base)), konstBits<f64>(mask));
    e0 = t + (<usize>i64x2.extract_lane(i, 0) << 7);
    e1 = t + (<usize>i64x2.extract_lane(i, 1) << 7);
  } else {
    const bits = reinterpret<u64>(<f64>a);
    h = <W>(<f64>a - reinterpret<f64>((bits & 0xffff000000000000) | 0x0000800000000000));
    e0 = t + (<usize>(((bits >> 48) - konst<u64, u64>(base)) & konst<u64, u64>(mask)) << 7);
  }
  // Σ r_k·h^k, k ≥ 1, by Horner (guarded steps: they fold away with `top` constant).
  let p = word<W>(e0, e1, top);
  if (top > 12) p = madd<f64, W>(p, h, word<W>(e0, e1, 12));
  if (top > 11) p = madd<f64, W>(p, h, word<W>(e0, e1, 11));
  if (top > 10) p = madd<f64, W>(p, h, word<W>(e0, e1, 10));
  if (top > 9) p = madd<f64, W>(p, h, word<W>(e0, e1, 9));
  if (top > 8) p = madd<f64, W>(p, h, word<W>(e0, e1, 8));
  if (top > 7) p = madd<f64, W>(p, h, word<W>(e0, e1, 7));
  if (top > 6) p = madd<f64, W>(p, h, word<W>(e0, e1, 6));
  if (top > 5) p = madd<f64, W>(p, h, word<W>(e0, e1, 5));
  if (top > 4) p = madd<f64, W>(p, h, word<W>(e0, e1, 4));
  if (top > 3) p = madd<f64, W>(p, h, word<W>(e0, e1, 3));
  if (top > 2) p = madd<f64, W>(p, h, word<W>(e0, e1, 2));
  if (narrow) return madd<f64, W>(h, p, word<W>(e0, e1, 0));
  // h·Σ is below 1/16 of r_0 (erfcx: |h| ≤ c/33, |r_1| < r_0/c·1.7; erf:
  // |r_1| ≤ 2/√π·e^(−c²) ≤ r_0·2.5): Fast2Sum holds.
  const hi = word<W>(e0, e1, 0);
  const small = madd<f64, W>(h, p, word<W>(e0, e1, 1));
  const rh = add<f64, W>(hi, small);
  if (low) keepLowWord<W>(fastSumError<W>(hi, small, rh));
  return rh;
}

/** Word k of each lane's entry (e0 for lane 0, e1 for lane 1; scalar: e0). */
@inline function word<W>(e0: usize, e1: usize, k: usize): W {
  if (isVector<W>()) return v128.load64_lane(e1 + (k << 3), v128.load64_splat(e0 + (k << 3)), 1);
  return <W>load<f64>(e0 + (k << 3));
}

/** erf's and erfc's constants and erfc's table (see simd/constants.ts). */
export function erfConstants(): void {
  define(Slot.ErfcClamp, 0, 0x403a000000000000); // 26
  define(Slot.ErfcScaledClamp, 0, 0x403b400000000000); // 27.25
  define(Slot.ErfcUsualBelow, 0x7f800000, 0x403a000000000000); // float32: all but NaN; float64: 26
  define(Slot.ErfUp, 0, 0x43f0000000000000); // 2^64
  define(Slot.ErfDown, 0, 0x3bf0000000000000); // 2^-64
  define(Slot.ErfEighth, 0, 0x3fc0000000000000); // 1/8
  define(Slot.ErfcExponentStep, 0, 0x2000); // 64·128, added to exp's k
  define(Slot.ErfcScaleExponent, 0, 0xffffffffffffffc0); // −64, as exp's subnormal takes its exponent
  define(Slot.ErfTopBits, 0, 0xffff000000000000);
  define(Slot.ErfMidBit, 0, 0x0000800000000000);
  define(Slot.ErfcxIndexBase, 0, 0x3fd0); // 1/4's top 16 bits
  define(Slot.ErfcxIndexMask, 0, 127);
  define(Slot.ErfIndexBase, 0, 0x3fd8); // 3/8's top 16 bits
  define(Slot.ErfIndexMask, 0, 63);
  define(Slot.ErfClamp, 0, 0x4017ffffffffffff); // the float64 below 6
  define(Slot.ErfNearZeroBelow, 0, 0x3fd8000000000000); // 3/8
  // tools/fits.mjs erf_poly_f64 deg 9 (E within 2^-62.47) and erf_poly_f64_for_f32 deg 5 (2^-36.17).
  define(Slot.ErfP0, 0, 0x3f6baea08536da23);
  define(Slot.ErfP1, 0, 0xbfd812746b0379e5);
  define(Slot.ErfP2, 0, 0x3fbce2f21a04290c);
  define(Slot.ErfP3, 0, 0xbf9b82ce3126c17a);
  define(Slot.ErfP4, 0, 0x3f7565bcd051ca17);
  define(Slot.ErfP5, 0, 0xbf4c02db0755279c);
  define(Slot.ErfP6, 0, 0x3f1f9a24feabd75c);
  define(Slot.ErfP7, 0, 0xbeef4b20220f2199);
  define(Slot.ErfP8, 0, 0x3ebb6e1a1203302f);
  define(Slot.ErfP9, 0, 0xbe836365ad47127b);
  define(Slot.ErfS0, 0, 0x3fc06eba820dc372);
  define(Slot.ErfS1, 0, 0xbfd812746700b2cd);
  define(Slot.ErfS2, 0, 0x3fbce2ef291aed05);
  define(Slot.ErfS3, 0, 0xbf9b8203f8bed2e3);
  define(Slot.ErfS4, 0, 0x3f754d18f6cd65a7);
  define(Slot.ErfS5, 0, 0xbf493785076cb385);
  writeErfcTable(tableAddress(Table.Erfcx));
  writeErfTable(tableAddress(Table.Erf));
}
