// atan, atan2, asin and acos to about 100 bits, in double-double
// arithmetic: the references these ops are measured against in ULPs. Not
// the kernels' road (a table of atan(j/64)): the argument t in [0, 1] is
// halved as an angle, t → t/(1 + √(1 + t²)), until t < 2^-7, and the Taylor
// series taken to t^17. Quotients are double-double; a result far below 1
// (atan2 of a tiny y over a large x) is kept as m·2^k. Checked against
// decimal.js in ulp.test.ts and atan2.test.ts.
import Decimal from 'decimal.js';
import { add, type DD, div, mul, type Scaled, twoSum } from './exp-reference.js';
import { sqrtDD } from './inverse-reference.js';
import { type Exact, exactDecimal } from './log-reference.js';

const P = Decimal.clone({ precision: 60 });
const piHi = P.acos(-1).toNumber();
const PI: DD = [piHi, P.acos(-1).minus(exactDecimal(P, piHi)).toNumber()];
const HALF_PI: DD = [PI[0] / 2, PI[1] / 2];
const neg = (a: DD): DD => [-a[0], -a[1]];
const ONE: DD = [1, 0];

/** atan(t) for a double-double t in [0, 1]. */
function atanDD(t: DD): DD {
  let halvings = 0;
  while (t[0] >= 2 ** -7) {
    t = div(t, add(ONE, sqrtDD(add(ONE, mul(t, t)))));
    halvings++;
  }
  // atan(t)/t = c0 − z·(c1 − z·(c2 − …)), c_k = 1/(2k + 1), to k = 8.
  const z = mul(t, t);
  let sum: DD = div(ONE, [17, 0]);
  for (let k = 7; k >= 0; k--) sum = add(div(ONE, [2 * k + 1, 0]), neg(mul(z, sum)));
  const r = mul(t, sum);
  return [r[0] * 2 ** halvings, r[1] * 2 ** halvings];
}

/**
 * atan2(y, x) for y ≥ 0 and double-double y and x (both not zero at once,
 * finite): by the octant, atan(p/q) with p ≤ q, then π/2 − or π −.
 */
function atan2DD(y: DD, x: DD): DD {
  const ax: DD = x[0] < 0 ? neg(x) : x;
  const swap = y[0] > ax[0];
  const [p, q] = swap ? [ax, y] : [y, ax];
  let r = p[0] === 0 ? ([0, 0] as DD) : atanDD(div(p, q));
  if (swap) r = add(HALF_PI, neg(r));
  if (x[0] < 0 || Object.is(x[0], -0)) r = add(PI, neg(r));
  return r;
}

/** About log2 |x| (finite x ≠ 0, subnormals too): within one, which is all the scalings below need. */
const exponentOf = (x: number) => Math.floor(Math.log2(Math.abs(x)));

/** x·2^k in two exact steps (|k| up to 2100), neither leaving the doubles' range. */
const scaled = (x: number, k: number) => x * 2 ** Math.trunc(k / 2) * 2 ** (k - Math.trunc(k / 2));

/**
 * The reference of atan2(y, x): a special value (C99 Annex F) as a number,
 * otherwise a double-double, or m·2^k where the result is atan(t) for a tiny
 * t = |y|/x (below 2^-60: atan(t) = t·(1 − t²/3), t²/3 below 2^-120).
 */
export function atan2Reference(y: number, x: number): Exact | Scaled {
  if (Number.isNaN(y) || Number.isNaN(x)) return NaN;
  const sign = y < 0 || Object.is(y, -0) ? -1 : 1;
  const negX = x < 0 || Object.is(x, -0);
  const signed = (r: number): number => sign * r;
  const ay = Math.abs(y);
  if (ay === Infinity || Math.abs(x) === Infinity) {
    const r = atan2DD(ay === Infinity ? ONE : [0, 0], Math.abs(x) === Infinity ? [negX ? -1 : 1, 0] : [negX ? -0 : 0, 0]);
    return r[0] === 0 ? signed(0) : [sign * r[0], sign * r[1]];
  }
  if (ay === 0) return negX ? [sign * PI[0], sign * PI[1]] : signed(0);
  if (x === 0) return [sign * HALF_PI[0], sign * HALF_PI[1]];
  const ey = exponentOf(ay), ex = exponentOf(x);
  if (!negX && ey - ex < -64) {
    // t = |y|/x as m·2^k: both scaled to [1, 2), the quotient a double-double.
    const t = div([scaled(ay, -ey), 0], [scaled(x, -ex), 0]);
    const t2 = 2 ** (2 * (ey - ex)); // t² within a factor of 4: its third is far below what counts
    const m = mul(t, [1 - t2 / 3, 0]);
    return { m: [sign * m[0], sign * m[1]], k: ey - ex };
  }
  // Scaled alike by a power of two: the angle stays, both stay normal (ey − ex ≥ −64 or x < 0).
  const e = Math.max(ey, ex);
  const r = atan2DD([scaled(ay, -e), 0], [scaled(x, -e), 0]);
  return [sign * r[0], sign * r[1]];
}

/** √(1 − x²) for |x| ≤ 1 as a double-double: 1 − x² = (1 − |x|)(1 + |x|), both factors exact as double-doubles. */
function rootOfOneMinusSquare(x: number): DD {
  const a = Math.abs(x);
  const w = mul(twoSum(1, -a), twoSum(1, a));
  return w[0] === 0 ? [0, 0] : sqrtDD(w);
}

/** The exact results of atan, asin and acos: special values as numbers, else double-doubles. */
export const ARC_REFERENCES: Record<string, (x: number) => Exact> = {
  atan: (x) => {
    if (Number.isNaN(x) || x === 0) return x;
    if (Math.abs(x) < 2 ** -500) return [x, 0];
    const a = Math.abs(x);
    // Past 2^500, atan(a) = π/2 − 1/a: the next term is below 2^-1500.
    const r = a <= 1 ? atanDD([a, 0]) : add(HALF_PI, a > 2 ** 500 ? [-1 / a, 0] : neg(atanDD(div(ONE, [a, 0]))));
    return x < 0 ? neg(r) : r;
  },
  asin: (x) => {
    if (Number.isNaN(x) || Math.abs(x) > 1) return NaN;
    if (x === 0) return x;
    if (Math.abs(x) < 2 ** -500) return [x, 0];
    const r = atan2DD([Math.abs(x), 0], rootOfOneMinusSquare(x));
    return x < 0 ? neg(r) : r;
  },
  acos: (x) => {
    if (Number.isNaN(x) || Math.abs(x) > 1) return NaN;
    if (x === 1) return 0;
    if (Math.abs(x) < 2 ** -500) return add(HALF_PI, [-x, 0]);
    return atan2DD(rootOfOneMinusSquare(x), [x, 0]);
  },
};
