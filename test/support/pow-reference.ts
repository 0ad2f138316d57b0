// pow(x, y) to about 100 bits, in double-double arithmetic, with the special
// values of C99 Annex F: the reference lanes' pow is measured against in
// ULPs (float32 and float64 alike). Checked against decimal.js in pow.test.ts.
//
//   |x|^y = e^z,  z = y·ln|x| (ln as logDD, to ~2^-104; y·ln exact as a double-double)
//   e^z = 2^k·(1 + expm1(r)),  k = rint(z/ln2),  r = z − k·ln2 to ~2^-110
import { add, type DD, expm1Reduced, L1, L2, L3, mul, twoProd, twoSum, type Scaled } from './exp-reference.js';
import { logDD } from './log-reference.js';

/** Whether y is an odd integer (finite y past 2^53 are even). */
export const isOddInteger = (y: number) => Number.isInteger(y) && Math.abs(y % 2) === 1;

/** x^y as m·2^k, or a number where it is exact (special values, ±0, ±∞, NaN, 1). */
export function powReference(x: number, y: number): Scaled | number {
  if (y === 0 || x === 1) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  const ax = Math.abs(x), odd = isOddInteger(y);
  if (Math.abs(y) === Infinity) return ax === 1 ? 1 : (ax < 1) === (y > 0) ? 0 : Infinity;
  if (ax === 0) return y < 0 ? (odd ? Math.sign(1 / x) * Infinity : Infinity) : odd ? x : 0;
  if (ax === Infinity) return y < 0 ? (odd && x < 0 ? -0 : 0) : odd && x < 0 ? -Infinity : Infinity;
  if (x < 0 && !Number.isInteger(y)) return NaN;
  const sign = x < 0 && odd ? -1 : 1;
  const l = logDD(ax);
  // Past 2^900, |y·ln x| ≥ 2^847 (|ln x| ≥ 2^-53 for x ≠ 1): 0 or ∞, and Dekker's split of y would overflow.
  const z: DD = Math.abs(y) > 2 ** 900 ? [y * l[0], 0] : mul(l, [y, 0]);
  if (z[0] > 1100) return sign * Infinity;
  if (z[0] < -1100) return sign * 0;
  const k = Math.round(z[0] / Math.LN2);
  // z − k·ln2: z[0] − k·L1 exact (Sterbenz; k·L1 exact, L1 has 42 bits and |k| < 2^11).
  let r: DD = twoSum(z[0] - k * L1, -k * L2);
  r = add(add(r, [z[1], 0]), twoProd(-k, L3));
  const m = add([1, 0], expm1Reduced(r));
  return { m: [sign * m[0], sign * m[1]], k };
}
