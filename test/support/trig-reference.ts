// sin, cos and tan to about 100 bits, in double-double arithmetic: the
// references these ops are measured against in ULPs. The argument is
// reduced exactly, for every double: x·2/π with 1400 bits of 2/π from
// decimal.js, in BigInt arithmetic, so k and the fraction are exact to
// 2^-160, whatever x's size. Then Taylor series on |r| ≤ π/4. Checked
// against decimal.js in ulp.test.ts.
import Decimal from 'decimal.js';
import { add, type DD, div, mul, twoSum } from './exp-reference.js';
import { type Exact, exactDecimal } from './log-reference.js';

const BITS = 1400n;
const P = Decimal.clone({ precision: 460 });
const PI = P.acos(-1);
const TWO_OVER_PI = BigInt(new P(2).div(PI).mul(new P(2).pow(Number(BITS))).toFixed(0, P.ROUND_DOWN));
const halfPiHi = PI.div(2).toNumber();
const HALF_PI: DD = [halfPiHi, PI.div(2).minus(exactDecimal(P, halfPiHi)).toNumber()];

const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

/** |x| = k·π/2 + r for finite x: k mod 4 and r (|r| ≤ π/4) as a double-double. */
export function reduce(x: number): { k: number; r: DD } {
  const a = Math.abs(x);
  if (a <= Math.PI / 4) return { k: 0, r: [a, 0] };
  f64[0] = a;
  const bits = u64[0], exponent = Number(bits >> 52n);
  const m = (bits & ((1n << 52n) - 1n)) | (exponent ? 1n << 52n : 0n);
  const shift = BITS - BigInt(Math.max(exponent, 1) - 1075); // a·2/π = m·TWO_OVER_PI / 2^shift
  const p = m * TWO_OVER_PI;
  let k = p >> shift;
  let fraction = p - (k << shift);
  if (fraction >= 1n << (shift - 1n)) (k += 1n), (fraction -= 1n << shift);
  // The fraction's leading 160 bits as a double-double, then times π/2.
  const g = fraction >> (shift - 160n);
  const hi = Number(g), lo = Number(g - BigInt(hi));
  const r = mul([hi * 2 ** -160, lo * 2 ** -160], HALF_PI);
  return { k: Number(k & 3n), r };
}

const scale = (a: DD, s: number): DD => [a[0] * s, a[1] * s];

/** 1/((2n)(2n + 1)) and 1/((2n − 1)(2n)) as double-doubles, n = 1…16: the Taylor series' steps. */
const SIN_STEPS = Array.from({ length: 16 }, (_, i) => div([1, 0], [(2 * i + 2) * (2 * i + 3), 0]));
const COS_STEPS = Array.from({ length: 16 }, (_, i) => div([1, 0], [(2 * i + 1) * (2 * i + 2), 0]));

/** sin r and cos r for a double-double |r| ≤ π/4 + ε: their Taylor series, to 2^-110. */
function sinCos(r: DD): [DD, DD] {
  const r2 = mul(r, r);
  let sin: DD = r, cos: DD = [1, 0], term: DD = r, cterm: DD = [1, 0];
  for (let n = 0; n < 16 && Math.abs(cterm[0]) > 2 ** -112; n++) {
    term = scale(mul(mul(term, r2), SIN_STEPS[n]), -1);
    cterm = scale(mul(mul(cterm, r2), COS_STEPS[n]), -1);
    sin = add(sin, term);
    cos = add(cos, cterm);
  }
  return [sin, cos];
}

const neg = (a: DD): DD => [-a[0], -a[1]];

type Trig = 'sin' | 'cos' | 'tan';

/** sin, cos and tan of x from one reduction: ±0 and NaN exact, infinities NaN, else double-doubles. */
export function trigReferences(x: number): Record<Trig, Exact> {
  if (!Number.isFinite(x)) return { sin: NaN, cos: NaN, tan: NaN };
  if (x === 0) return { sin: x, cos: 1, tan: x };
  // Below 2^-500, sin and tan are x ∓ x³/(6 or 3), far below any ULP of x; cos is 1 − x²/2.
  if (Math.abs(x) < 2 ** -500) return { sin: [x, -(x * x * x) / 6], cos: twoSum(1, -(x * x) / 2), tan: [x, (x * x * x) / 3] };
  const { k, r } = reduce(x);
  const [s, c] = sinCos(r);
  const odd = (y: DD): DD => (x < 0 ? neg(y) : y);
  return {
    sin: odd([s, c, neg(s), neg(c)][k]),
    cos: [c, neg(s), neg(c), s][k],
    tan: odd(k & 1 ? neg(div(c, s)) : div(s, c)),
  };
}

export const TRIG_REFERENCES: Record<string, (x: number) => Exact> = {
  sin: (x) => trigReferences(x).sin,
  cos: (x) => trigReferences(x).cos,
  tan: (x) => trigReferences(x).tan,
};
