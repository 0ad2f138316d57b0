// asinh, acosh, atanh and cbrt to about 100 bits, in double-double
// arithmetic: the references these ops are measured against in ULPs. Each
// takes the road that keeps its argument exact where it matters (no 1 + x²
// that loses x near 0, no x − 1 that loses the distance to 1), then the log
// references. Checked against decimal.js in ulp.test.ts.
import { add, type DD, div, L1, L2, L3, mul, type Scaled, twoProd, twoSum } from './exp-reference.js';
import { type Exact, logDD, twiceAtanh } from './log-reference.js';

const LN2 = add(twoSum(L1, L2), [L3, 0]);
const neg = (a: DD): DD => [-a[0], -a[1]];
const half = (a: DD): DD => [a[0] / 2, a[1] / 2];
const signed = (x: number, a: DD): DD => (x < 0 ? neg(a) : a);

/** √a for a DD a > 0 (well inside the normal range): √hi and one Newton step on the exact remainder. */
export function sqrtDD(a: DD): DD {
  const r = Math.sqrt(a[0]);
  const rr = twoProd(r, r);
  return twoSum(r, (a[0] - rr[0] - rr[1] + a[1]) / (2 * r));
}

/** log1p(t) for a DD t > −1: the atanh series near 0, else log(u) + log1p(v/u) with 1 + t = u + v. */
function log1pOfDD(t: DD): DD {
  if (t[0] > Math.SQRT1_2 - 1 && t[0] < Math.SQRT2 - 1) return twiceAtanh(div(t, add([2, 0], t)));
  const [u, e] = twoSum(1, t[0]);
  const w = (e + t[1]) / u; // v/u, |v/u| < 2^-52: its square is the last term that counts
  return add(add(logDD(u), [w, 0]), [(-w * w) / 2, 0]);
}

/** log(2x) ± 1/(4x²) for x ≥ 2^26 (the next term is below 2^-106 of it): asinh with plus, acosh with minus. */
function farDD(x: number, sign: 1 | -1): DD {
  return add(add(logDD(x), LN2), [sign / (4 * x * x), 0]);
}

/** asinh(x): log1p(|x| + x²/(1 + √(1 + x²))), or log(2|x|) + 1/(4x²) past 2^26. */
function asinhDD(x: number): DD {
  const a = Math.abs(x);
  if (a < 2 ** -500) return [x, 0];
  if (a >= 2 ** 26) return signed(x, farDD(a, 1));
  const s2 = twoProd(a, a);
  const t = add([a, 0], div(s2, add([1, 0], sqrtDD(add([1, 0], s2)))));
  return signed(x, log1pOfDD(t));
}

/** acosh(x), x > 1: log1p(y + √(y·(y + 2))), y = x − 1 (exact below 2^53), or log(2x) − 1/(4x²) past 2^26. */
function acoshDD(x: number): DD {
  if (x >= 2 ** 26) return farDD(x, -1);
  const y = x - 1;
  return log1pOfDD(add([y, 0], sqrtDD(mul([y, 0], twoSum(y, 2)))));
}

/** atanh(x), 0 < |x| < 1: the series below 0.17, else log1p(2|x|/(1 − |x|))/2. */
function atanhDD(x: number): DD {
  const a = Math.abs(x);
  if (a < 2 ** -500) return [x, 0];
  if (a < 0.17) return signed(x, half(twiceAtanh([a, 0])));
  return signed(x, half(log1pOfDD(div([2 * a, 0], twoSum(1, -a)))));
}

/** ∛x as m·2^k, m = ∛(x·2^-3k) in [1, 2): Math.cbrt, then one Newton step on the exact remainder. */
export function cbrtReference(x: number): Scaled {
  const a = Math.abs(x);
  let k = Math.floor(Math.log2(a) / 3);
  const h = Math.trunc((-3 * k) / 2);
  let m3 = a * 2 ** h * 2 ** (-3 * k - h); // exact: two steps by powers of two, each within the range
  if (m3 < 1) (m3 *= 8), (k -= 1);
  if (m3 >= 8) (m3 /= 8), (k += 1);
  const r = Math.cbrt(m3);
  const r3 = mul(twoProd(r, r), [r, 0]);
  const remainder = add([m3, 0], neg(r3));
  const m = twoSum(r, remainder[0] / (3 * r * r));
  return { m: signed(x, m), k };
}

const specialOr = (special: number | undefined, f: () => Exact | Scaled): Exact | Scaled => (special === undefined ? f() : special);

/** The exact results of the four ops, special values as numbers (y must be exactly that value). */
export const INVERSE_REFERENCES: Record<string, (x: number) => Exact | Scaled> = {
  asinh: (x) => specialOr(x !== x || x === 0 || Math.abs(x) === Infinity ? x : undefined, () => asinhDD(x)),
  acosh: (x) => specialOr(x !== x || x < 1 ? NaN : x === 1 ? 0 : x === Infinity ? x : undefined, () => acoshDD(x)),
  atanh: (x) => specialOr(x !== x || Math.abs(x) > 1 ? NaN : Math.abs(x) === 1 ? x * Infinity : x === 0 ? x : undefined, () => atanhDD(x)),
  cbrt: (x) => specialOr(x !== x || x === 0 || Math.abs(x) === Infinity ? x : undefined, () => cbrtReference(x)),
};
