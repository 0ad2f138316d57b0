// erf and erfc to about 2^-100, in double-double arithmetic: the references
// lanes' erf and erfc are measured against, checked against decimal.js in
// ulp.test.ts to 2^-90. Independent of the kernels' method (a table of
// Taylor polynomials of e^(a²)·erfc(a)): here erf's series of positive
// terms, and erfc's continued fraction from a = 2 (erfc) or 3 (erf) on.
import { add, div, divSmall, expReference, mul, twoProd, twoSum, type DD, type Scaled } from './exp-reference.js';
import type { Exact } from './log-reference.js';

/** 2/√π and 1/√π as double-doubles. */
const TWO_OVER_ROOT_PI: DD = [1.1283791670955126, 1.5335459613165881e-17];
const ONE_OVER_ROOT_PI: DD = [0.5641895835477563, 7.66772980658294e-18];

/** e^(−a²) as m·2^k: a² = s + sl exactly, e^(−s) from expReference, times e^(−sl) ≈ 1 − sl + sl²/2. */
function gaussian(a: number): Scaled {
  const [s, sl] = twoProd(a, a);
  const { m, k } = expReference(-s);
  return { m: mul(m, twoSum(1, -sl + (sl * sl) / 2)), k };
}

/** erf(a), 0 ≤ a ≤ 3: (2/√π)·e^(−a²)·Σ 2^n·a^(2n+1)/(2n+1)!!, a sum of positive terms. */
function erfSeries(a: number): DD {
  const w2 = twoProd(2 * a, a);
  let term: DD = [a, 0];
  let sum: DD = [a, 0];
  for (let n = 1; n < 400; n++) {
    term = divSmall(mul(term, w2), 2 * n + 1);
    sum = add(sum, term);
    if (term[0] < 2 ** -112 * sum[0]) break;
  }
  const { m, k } = gaussian(a);
  return mul(mul(TWO_OVER_ROOT_PI, sum), [m[0] * 2 ** k, m[1] * 2 ** k]);
}

/** Terms of erfc's continued fraction that keep 2^-104 at a (measured against decimal.js down to a = 3). */
const depth = (a: number) => Math.ceil(12 + 2000 / (a * a));
/** Where erfc's continued fraction takes over from 1 − erf (which cancels 7.7 bits at a = 2, erf none). */
const FRACTION_FROM = { erf: 3, erfc: 2 };

/**
 * erfc(a) for a > 2 as m·2^k: e^(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + …)))),
 * evaluated from the bottom; a² = s + sl exactly, e^(−s) from expReference, times e^(−sl) ≈ 1 − sl.
 */
function erfcFraction(a: number): Scaled {
  let f: DD = [a, 0];
  for (let n = depth(a); n >= 1; n--) f = add([a, 0], div([n / 2, 0], f));
  const { m, k } = gaussian(a);
  return { m: mul(m, div(ONE_OVER_ROOT_PI, f)), k };
}

export function erfReference(x: number): Exact | Scaled {
  if (Number.isNaN(x)) return NaN;
  if (x === 0) return x;
  const a = Math.abs(x), sign = x < 0 ? -1 : 1;
  if (a > 10) return sign;
  // (2/√π)·x, scaled so that the product stays exact: x²/3 is below 2^-1800.
  if (a < 2 ** -900) return { m: mul(TWO_OVER_ROOT_PI, [x * 2 ** 600, 0]), k: -600 }; // 1 − erf(a) < 2^-148: ±1 once rounded, in either dtype
  if (a <= FRACTION_FROM.erf) {
    const m = erfSeries(a);
    return [sign * m[0], sign * m[1]];
  }
  const { m, k } = erfcFraction(a);
  const one = add([1, 0], [-m[0] * 2 ** k, -m[1] * 2 ** k]);
  return [sign * one[0], sign * one[1]];
}

export function erfcReference(x: number): Exact | Scaled {
  if (Number.isNaN(x)) return NaN;
  if (x < -10) return 2; // 2 − erfc(−x) with erfc(10) < 2^-148
  if (x > 28) return 0; // erfc(28) < 2^-1100
  const a = Math.abs(x);
  if (a <= FRACTION_FROM.erfc) {
    const e = erfSeries(a);
    return add([1, 0], x < 0 ? e : [-e[0], -e[1]]);
  }
  const tail = erfcFraction(a);
  if (x > 0) return tail;
  return add([2, 0], [-tail.m[0] * 2 ** tail.k, -tail.m[1] * 2 ** tail.k]);
}

export const ERF_REFERENCES: Record<string, (x: number) => Exact | Scaled> = { erf: erfReference, erfc: erfcReference };

/**
 * erf and erfc of a float32 x in plain f64, within 2^-46 relative (checked
 * against the references in ulp.test.ts): the estimate that lets the
 * exhaustive float32 run skip the double-double reference for most inputs.
 * x² is exact for a float32 x.
 */
export function erfEstimate(x: number): number {
  const a = Math.abs(x);
  if (a > 10 || a !== a) return a !== a ? NaN : Math.sign(x);
  return a < 3 ? Math.sign(x) * erfSeriesF64(a) : Math.sign(x) * (1 - erfcFractionF64(a));
}

export function erfcEstimate(x: number): number {
  const a = Math.abs(x);
  if (a !== a) return NaN;
  if (a < 1) return 1 - Math.sign(x) * erfSeriesF64(a);
  if (x < -10) return 2;
  return x > 0 ? erfcFractionF64(a) : 2 - erfcFractionF64(a);
}

function erfSeriesF64(a: number): number {
  const w2 = 2 * a * a;
  let term = a, sum = a;
  for (let n = 1; n < 400 && term > 2 ** -60 * sum; n++) sum += term *= w2 / (2 * n + 1);
  return TWO_OVER_ROOT_PI[0] * Math.exp(-a * a) * sum;
}

function erfcFractionF64(a: number): number {
  let f = a;
  for (let n = depth(a); n >= 1; n--) f = a + n / 2 / f;
  return (ONE_OVER_ROOT_PI[0] * Math.exp(-a * a)) / f;
}
