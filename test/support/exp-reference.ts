// exp to about 100 bits, in double-double arithmetic: the reference that
// lanes' f64 exp is measured against in ULPs. Checked against decimal.js in
// exp.test.ts.

/** A double-double: the unevaluated sum hi + lo, |lo| ≤ ulp(hi)/2. */
export type DD = [hi: number, lo: number];

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter for 53-bit doubles

export function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}

export function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

export function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  return twoSum(s, e + a[1] + b[1]);
}

export function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}

// ln2 = L1 + L2 + L3, L1 and L2 with 42 significant bits (n·L exact for |n| < 2^11).
export const L1 = 0.6931471805598903;
export const L2 = 5.4979230187085024e-14;
export const L3 = -1.3124698417785255e-27;

/** e^r − 1 for |r| ≲ 0.35, to ~2^-100 relative: (e^(r/2^10))^(2^10) − 1, in expm1 form throughout. */
export function expm1Reduced(r: DD): DD {
  const s: DD = [r[0] / 1024, r[1] / 1024];
  let term: DD = s;
  let em1: DD = s;
  for (let j = 2; j <= 12; j++) {
    term = divSmall(mul(term, s), j);
    em1 = add(em1, term);
  }
  for (let j = 0; j < 10; j++) em1 = add(add(em1, em1), mul(em1, em1)); // (1+e)² − 1 = 2e + e²
  return em1;
}

/** t/j for a small integer j, to ~2^-104: the remainder of the high word's quotient, formed exactly, goes into the low word. */
export function divSmall(t: DD, j: number): DD {
  const q = t[0] / j;
  const [p, e] = twoProd(q, j);
  return twoSum(q, (t[0] - p - e + t[1]) / j);
}

/** A value m · 2^k, m a double-double, kept apart so that results beyond the f64 range stay exact. */
export interface Scaled {
  m: DD;
  k: number;
}

/** exp(x) as m · 2^k, m in [0.5, 2). */
export function expReference(x: number): Scaled {
  const k = Math.round(x / Math.LN2);
  // r = x − k·ln2 to ~110 bits: each product is exact, each sum compensated.
  let r: DD = twoSum(x - k * L1, -k * L2);
  r = add(r, twoProd(-k, L3));
  return { m: add([1, 0], expm1Reduced(r)), k };
}

/** 2^x as m · 2^k, m in [0.7, 1.5): k = rint(x), and x − k (exact) times ln2 to ~150 bits. */
export function exp2Reference(x: number): Scaled {
  const k = Math.round(x);
  const f = x - k;
  const r = add(add(twoProd(f, L1), twoProd(f, L2)), [f * L3, 0]);
  return { m: add([1, 0], expm1Reduced(r)), k };
}

/** e^x − 1 as m · 2^k: the series itself for |x| < 0.35, else exp(x) − 1 as 2^k·(m − 2^-k). */
export function expm1Reference(x: number): Scaled {
  if (Math.abs(x) < 2 ** -900) return { m: [x, 0], k: 0 }; // x + x²/2: x²/2 is below 2^-900 of x
  if (Math.abs(x) < 0.35) return { m: expm1Reduced([x, 0]), k: 0 };
  if (x < -40) return { m: [-1, Math.exp(x)], k: 0 }; // e^x below 2^-57
  if (x > 710) return { m: [1, 0], k: 2000 }; // past the f64 range
  const { m, k } = expReference(x);
  return { m: add(m, [-(2 ** -k), 0]), k };
}

/** a/b to ~2^-100 relative: three quotient digits, each remainder formed exactly. */
export function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  let r = add(a, neg(mul(b, [q1, 0])));
  const q2 = r[0] / b[0];
  r = add(r, neg(mul(b, [q2, 0])));
  return add(twoSum(q1, q2), [r[0] / b[0], 0]);
}

const neg = (a: DD): DD => [-a[0], -a[1]];

/** e^x (from expReference) as a double-double; 0 where it is below 2^-1100, negligible next to 1. */
function expDD(x: number): DD {
  const { m, k } = expReference(x);
  return k < -1100 ? [0, 0] : [m[0] * 2 ** k, m[1] * 2 ** k];
}

/** 1/(1 + e^-x) as m · 2^k: 1/(1 + t) for x ≥ 0, and e^x/(1 + e^x) below, e^x kept scaled (|x| ≤ 800). */
export function sigmoidReference(x: number): Scaled {
  if (x >= 0) return { m: div([1, 0], add([1, 0], expDD(-x))), k: 0 };
  const { m, k } = expReference(x);
  return { m: div(m, add([1, 0], expDD(x))), k };
}

/** tanh(x) as m · 2^0: x − x³/3 (tiny x), e/(e + 2) with e = expm1(2x) (|x| ≤ 0.175), else (1 − t)/(1 + t), t = e^(−2|x|). */
export function tanhReference(x: number): Scaled {
  const a = Math.abs(x), sign = x < 0 ? -1 : 1;
  let m: DD;
  if (a < 2 ** -30) m = twoSum(a, (-a * a * a) / 3);
  else if (a <= 0.175) {
    const e = expm1Reduced([2 * a, 0]);
    m = div(e, add(e, [2, 0]));
  } else {
    const t = expDD(-2 * a);
    m = div(add([1, 0], neg(t)), add([1, 0], t));
  }
  return { m: [sign * m[0], sign * m[1]], k: 0 };
}

/** sinh (sign −1) or cosh (sign +1) of x as m · 2^k: (e^|x| ∓ e^-|x|)/2, by the road that keeps 2^-100 (|x| ≤ 711). */
function hyperbolicReference(x: number, sign: 1 | -1): Scaled {
  const a = Math.abs(x), odd = sign < 0 && x < 0 ? -1 : 1;
  const withSign = ({ m, k }: Scaled): Scaled => ({ m: [odd * m[0], odd * m[1]], k });
  if (a > 20) {
    // e^a/2 · (1 ∓ e^-2a), the second part below 2^-57.
    const { m, k } = expReference(a);
    const t2 = Math.exp(-2 * a);
    return withSign({ m: add(m, [sign * m[0] * t2, sign * m[1] * t2]), k: k - 1 });
  }
  if (sign < 0 && a < 2 ** -30) return withSign({ m: twoSum(a, (a * a * a) / 6), k: 0 });
  if (sign < 0 && a <= 0.175) {
    const e = expm1Reduced([a, 0]);
    const s = add(e, div(e, add(e, [1, 0])));
    return withSign({ m: [s[0] / 2, s[1] / 2], k: 0 });
  }
  const t = expDD(-a);
  const t2 = mul(t, t);
  return withSign({ m: div(add([1, 0], [sign * t2[0], sign * t2[1]]), [2 * t[0], 2 * t[1]]), k: 0 });
}

export const sinhReference = (x: number): Scaled => hyperbolicReference(x, -1);
export const coshReference = (x: number): Scaled => hyperbolicReference(x, 1);
