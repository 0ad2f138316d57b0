// log, log2, log10 and log1p to about 100 bits, in double-double arithmetic:
// the references lanes' log family is measured against in ULPs (float32 and
// float64 alike). Checked against decimal.js in ulp.test.ts.
//
//   x = 2^k·m, m in [√½, √2),  c = j/64 nearest m,  s = (m − c)/(m + c),  |s| ≤ 1/181
//   log(x) = k·ln2 + log(c) + 2s·Σ s^(2i)/(2i + 1)    (8 terms: s^16/17 < 2^-120)
// log(c) comes from the same series with s = (c − 1)/(c + 1), 23 terms.
import Decimal from 'decimal.js';
import { add, type DD, div, L1, L2, L3, mul, twoSum } from './exp-reference.js';

/** An exact result: a number where it is exactly representable (special values, log(1) = +0, log1p(±0) = ±0), else hi + lo. */
export type Exact = number | DD;

const TERMS = 23;
const INVERSE_ODD: DD[] = Array.from({ length: TERMS }, (_, j) => div([1, 0], [2 * j + 1, 0]));

/** 2·atanh(s) = log((1 + s)/(1 − s)) for |s| ≤ 0.18 (fewer terms for smaller s). */
export function twiceAtanh(s: DD, terms = TERMS): DD {
  const s2 = mul(s, s);
  let p = INVERSE_ODD[terms - 1];
  for (let j = terms - 2; j >= 0; j--) p = add(mul(p, s2), INVERSE_ODD[j]);
  const t = mul(s, p);
  return [2 * t[0], 2 * t[1]];
}

const f64 = new Float64Array(1);
const bits = new BigUint64Array(f64.buffer);

/** log(c) for c = j/64, j = 45..91 (c around [√½, √2)), by the series itself: for logDD's second step. */
const LOG_C: DD[] = [];
for (let j = 45; j <= 91; j++) LOG_C[j] = twiceAtanh(div([j - 64, 0], [j + 64, 0]));

/** log(x) for a finite x > 0, as hi + lo. */
export function logDD(x: number): DD {
  let k = 0;
  if (x < 2 ** -1022) (x *= 2 ** 54), (k = -54);
  f64[0] = x;
  const e = Number((bits[0] >> 52n) & 0x7ffn) - 1023;
  let m = x * 2 ** -e;
  k += e;
  if (m > Math.SQRT2) (m /= 2), (k += 1);
  // log(m) = log(c) + 2·atanh((m − c)/(m + c)), c = j/64 nearest m: |s| ≤ 1/181,
  // so 8 terms of the series reach 2^-120. m − c is exact (Sterbenz).
  const j = Math.round(m * 64), c = j / 64;
  const s = div([m - c, 0], twoSum(m, c));
  // k·ln2: k·L1 and k·L2 exact (42-bit L1, L2, |k| < 2^11), k·L3 rounded (2^-130).
  const kln2 = add(twoSum(k * L1, k * L2), [k * L3, 0]);
  return add(kln2, add(LOG_C[j], twiceAtanh(s, 8)));
}

/** log1p(x) for a finite x > −1, x ≠ 0. */
export function log1pDD(x: number): DD {
  if (Math.abs(x) < 2 ** -500) return [x, -(x * x) / 2];
  if (x > Math.SQRT1_2 - 1 && x < Math.SQRT2 - 1) return twiceAtanh(div([x, 0], twoSum(2, x)));
  // log(x) + log1p(1/x), 1/(2x²) < 2^-121 of it (and Dekker's split would overflow on x past 2^996).
  if (x > 2 ** 60) return add(logDD(x), [1 / x, 0]);
  // 1 + x = u + v exactly; log(u + v) = log(u) + v/u − (v/u)²/2.
  const [u, v] = twoSum(1, x);
  const t = div([v, 0], [u, 0]);
  return add(add(logDD(u), t), [-(t[0] * t[0]) / 2, 0]);
}

/** x exactly, as a Decimal: m·2^e from its bits (a decimal string would round it). */
export function exactDecimal(D: typeof Decimal, x: number): Decimal {
  if (x === 0) return new D(0);
  f64[0] = x;
  const e = Number((bits[0] >> 52n) & 0x7ffn);
  const m = (bits[0] & ((1n << 52n) - 1n)) | (e ? 1n << 52n : 0n);
  return new D(m.toString()).times(new D(2).pow(Math.max(e, 1) - 1075)).times(x < 0 ? -1 : 1);
}

/** A Decimal as a double-double: hi = it rounded to nearest, lo = the rest rounded. */
function toDD(D: typeof Decimal, v: Decimal): DD {
  const hi = Number(v.toString());
  return [hi, Number(v.minus(exactDecimal(D, hi)).toString())];
}

const D50 = Decimal.clone({ precision: 50 });
const INV_LN2 = toDD(D50, new D50(1).div(D50.ln(2)));
const INV_LN10 = toDD(D50, new D50(1).div(D50.ln(10)));

/** The exact results of the log family, by op name. */
export const LOG_REFERENCES: Record<string, (x: number) => Exact> = {
  log: (x) => logSpecial(x) ?? logDD(x),
  log2: (x) => logSpecial(x) ?? mul(logDD(x), INV_LN2),
  log10: (x) => logSpecial(x) ?? mul(logDD(x), INV_LN10),
  log1p: (x) => {
    if (Number.isNaN(x) || x < -1) return NaN;
    if (x === -1) return -Infinity;
    if (x === Infinity || x === 0) return x;
    return log1pDD(x);
  },
};

function logSpecial(x: number): number | undefined {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  if (x === 1) return 0;
  return undefined;
}

/** The reference of a log op in decimal.js (slow): for checking the double-double ones. */
export function decimalLog(D: typeof Decimal, name: string, x: number): Decimal {
  const v = exactDecimal(D, x);
  switch (name) {
    case 'log': return D.ln(v);
    case 'log2': return D.ln(v).div(D.ln(2));
    case 'log10': return D.ln(v).div(D.ln(10));
    case 'log1p': return D.ln(v.plus(1));
    default: throw new Error(`no decimal reference for ${name}`);
  }
}
