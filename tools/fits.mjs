#!/usr/bin/env node
// The polynomial fits lanes' kernels use. `node tools/fits.mjs [--json] [name...]`
// (or `node tools/minimax.mjs --all`) reprints them: the fits are
// deterministic, so the output only changes when this list does.

import { pathToFileURL } from 'node:url';
import { D, runFits } from './minimax.mjs';

const LN2 = D.ln(2);
const exp = (r) => D.exp(r);
const exp2 = (r) => D.exp(r.mul(LN2)); // 2^r; cheaper than D.pow(2, r), same value to 64 digits

// e^r = 1 + r + r²·P(r): c0, c1 exact, c2 = P(0) = 1/2 fixed, P of degree d is
// the powers 3..d+2. Errors are of the whole 1 + r + r²·P relative to e^r.
const tail = (name, format, d) => ({
  name, label: `P deg ${d}`, describe: 'e^r ≈ 1 + r + r²·P(r)', f: exp,
  interval: ['-0.34658', '0.34658'], degree: d + 2, fixed: { 0: 1, 1: 1, 2: '0.5' },
  error: 'rel', format, hornerFrom: 2,
});

// The same form with Taylor coefficients 1/k! rounded to nearest (what
// assembly/ops/exp.ts uses today), measured for comparison.
const taylor = (name, format, d) => ({
  ...tail(name, format, d), label: `P deg ${d} Taylor`, degree: undefined,
  coefficients: Object.fromEntries(Array.from({ length: d + 3 }, (_, k) =>
    [k, D.div(1, Array.from({ length: k }, (_, j) => j + 1).reduce((a, b) => a * b, 1))])),
});

export const fits = [
  // float32 exp computed in f64 lanes: 2^n · p(r), r = x·log2e − n.
  ...[5, 6, 7].map((d) => ({
    name: 'exp2_f64_for_f32', label: `deg ${d}`, describe: '2^r', f: exp2,
    interval: ['-0.5', '0.5'], degree: d, fixed: { 0: 1 }, error: 'rel', format: 'f64',
  })),
  // float64 exp, |r| ≤ ln2/2 (0.34658 leaves a margin for the reduction).
  ...[9, 10, 11].map((d) => tail('expm1_tail_f64', 'f64', d)),
  taylor('expm1_tail_f64', 'f64', 11),
  // float32 exp, same range.
  ...[4, 5, 6].map((d) => tail('expm1_tail_f32', 'f32', d)),
  taylor('expm1_tail_f32', 'f32', 6),
  // float64 exp with a 128-entry table: |r| ≤ ln2/256.
  ...[4, 5, 6].map((d) => ({
    name: 'exp_tab128_f64', label: `deg ${d}`, describe: 'e^r', f: exp,
    interval: [LN2.div(-256), LN2.div(256)], degree: d, fixed: { 0: 1, 1: 1 }, error: 'rel', format: 'f64',
  })),
  // The same for float32 in f64 lanes (erfc, cosh, sigmoid, pow): e^r − 1 = r + r²·P(r), P to r¹.
  {
    name: 'exp_tab128_f64_for_f32', label: 'deg 1', describe: 'P(r), e^r − 1 = r + r²·P(r)',
    f: (r) => { let t = new D(0.5), p = new D(0); for (let k = 0; k < 40; k++, t = t.mul(r).div(k + 2)) p = p.plus(t); return p; },
    interval: [LN2.div(-256), LN2.div(256)], degree: 1, fixed: { 0: '0.5' }, error: 'rel', format: 'f64',
  },
  // float64 exp2 with the same table: 2^r = 1 + r·Q(r), |r| ≤ 1/256 exactly (r = x − k/128
  // is exact). Q(r) = (2^r − 1)/r = Σ ln2^(k+1)·r^k/(k+1)!, summed to 64 digits.
  ...[4, 5].map((d) => ({
    name: 'exp2_tab128_f64', label: `deg ${d}`, describe: 'Q(r), 2^r = 1 + r·Q(r)',
    f: (r) => { let t = LN2, q = new D(0); for (let k = 0; k < 30; k++, t = t.mul(r).mul(LN2).div(k + 1)) q = q.plus(t); return q; },
    interval: ['-0.00390625', '0.00390625'], degree: d, error: 'rel', format: 'f64',
  })),
  // expm1 without reduction: e^r − 1 = r + r²·P(r), P(r) = Σ r^k/(k+2)!, fitted for
  // P's own relative error (so the error stays relative to e^r − 1 near 0, not to e^r).
  // float64 on |r| < 1/16 (the rest goes through the exp table); float32 (in f64
  // lanes) on |r| ≤ ln2/2, after a Cody–Waite reduction.
  ...[[7, 'f64', '0.0625'], [8, 'f64', '0.0625'], [5, 'f32', '0.34658'], [6, 'f32', '0.34658']].map(([d, t, b]) => ({
    name: t === 'f64' ? 'expm1_poly_f64' : 'expm1_poly_f64_for_f32', label: `deg ${d}`, describe: 'P(r), e^r − 1 = r + r²·P(r)',
    f: (r) => { let t = new D(0.5), p = new D(0); for (let k = 0; k < 40; k++, t = t.mul(r).div(k + 2)) p = p.plus(t); return p; },
    interval: [`-${b}`, b], degree: d, fixed: { 0: '0.5' }, error: 'rel', format: 'f64',
  })),
  // float32 log family, computed in f64 lanes: log1p(f) = 2·atanh(s) = 2s + 2s·w·Q(w),
  // s = f/(2+f), w = s², |s| ≤ (√2−1)/(√2+1) = 0.171573 (f in [√½−1, √2−1)), so
  // w ≤ 0.0294373. Q(w) = Σ w^k/(2k+3), summed to 64 digits. The error in 2·atanh(s)
  // is at most Q's relative error × wQ/(1 + wQ) ≤ Q's × 2^-6.6.
  ...[3, 4, 5].map((d) => ({
    name: 'log_atanh_f64_for_f32', label: `deg ${d}`, describe: 'Q(w), 2·atanh(s) = 2s + 2s·w·Q(s²)',
    f: (w) => { let t = new D(1), q = new D(0); for (let k = 0; k < 45; k++, t = t.mul(w)) q = q.plus(t.div(2 * k + 3)); return q; },
    interval: ['0', '0.0294373'], degree: d, error: 'rel', format: 'f64',
  })),
  // float64 log family with a 128-entry table: log1p(r) = r − r²·G(r), |r| ≤ 2^-8
  // (0.00395 leaves a margin). G(r) = Σ (−r)^k/(k+2) = 1/2 − r/3 + …, summed to 64 digits. The
  // error in log1p(r) is at most G's relative error × |r|·|G|/|1 + rG| ≤ G's × 2^-8.9.
  ...[5, 6].map((d) => ({
    name: 'log1p_tab128_f64', label: `deg ${d}`, describe: 'G(r), log1p(r) = r − r²·G(r)',
    f: (r) => { let t = new D(1), g = new D(0); for (let k = 0; k < 30; k++, t = t.mul(r.neg())) g = g.plus(t.div(k + 2)); return g; },
    interval: ['-0.00395', '0.00395'], degree: d, error: 'rel', format: 'f64',
  })),
  // float64 pow's log, with the same table and r: log1p(r) = r − r²/2 + r³·H(r), the
  // r²/2 formed exactly as a double word, so H's error reaches log1p(r) only through
  // r³·H ≤ 2^-25.6. H(r) = Σ (−r)^k/(k+3) = 1/3 − r/4 + …, summed to 64 digits; the
  // error in log1p(r) is at most H's relative error × r²/3 ≤ H's × 2^-17.5 (relative).
  ...[4, 5].map((d) => ({
    name: 'log_pow_tab128_f64', label: `deg ${d}`, describe: 'H(r), log1p(r) = r − r²/2 + r³·H(r)',
    f: (r) => { let t = new D(1), h = new D(0); for (let k = 0; k < 30; k++, t = t.mul(r.neg())) h = h.plus(t.div(k + 3)); return h; },
    interval: ['-0.00395', '0.00395'], degree: d, error: 'rel', format: 'f64',
  })),
  // float64 tanh near 0: tanh(x) = x + x·w·Q(w), w = x², for |x| < 1/16 (w < 2^-8;
  // beyond, tanh takes exp's table). Q(w) = (tanh(√w)/√w − 1)/w → −1/3, evaluated at
  // 64 digits from 10^-20 up (Q's own relative error is what reaches the result, times
  // w·|Q| ≤ 2^-9.6).
  ...[5, 6].map((d) => ({
    name: 'tanh_poly_f64', label: `deg ${d}`, describe: 'Q(w), tanh(x) = x + x·w·Q(x²)',
    f: (w) => { const x = w.sqrt(); return D.tanh(x).div(x).minus(1).div(w); },
    interval: ['1e-20', '0.00390625'], degree: d, error: 'rel', format: 'f64',
  })),
  // float64 sinh near 0, the same form: sinh(x) = x + x·w·S(w), |x| < 1/16, S → 1/6.
  ...[4, 5].map((d) => ({
    name: 'sinh_poly_f64', label: `deg ${d}`, describe: 'S(w), sinh(x) = x + x·w·S(x²)',
    f: (w) => { const x = w.sqrt(); return D.sinh(x).div(x).minus(1).div(w); },
    interval: ['1e-20', '0.00390625'], degree: d, error: 'rel', format: 'f64',
  })),
  // sin and cos of the reduced argument r, |r| ≤ π/4 (z = r² ≤ 0.6169): sin(r) = r + r·z·S(z),
  // S → −1/6, and cos(r) = 1 − z/2 + z²·C(z), C → 1/24 (ops/trig.ts). S's and C's own relative
  // errors reach the result times z·|S| ≤ 0.103 and z²·|C| ≤ 0.016. float32 (in f64 lanes)
  // takes the lower degrees.
  // float64 sin keeps r³/6 as a double word, so only the rest is fitted: sin(r) = r − r³/6 + r⁵·Q(z),
  // Q → 1/120, whose relative error reaches the result times r⁴·|Q| ≤ 0.0032.
  ...[4, 5].map((d) => ({
    name: 'sin_tail_f64', label: `deg ${d}`, describe: 'Q(z), sin(r) = r − r³/6 + r⁵·Q(r²)',
    f: (z) => { const r = z.sqrt(); return D.sin(r).minus(r).plus(r.mul(z).div(6)).div(r.mul(z).mul(z)); },
    interval: ['1e-20', '0.6169'], degree: d, error: 'rel', format: 'f64',
  })),
  ...[[3, 'f64_for_f32'], [5, 'f64']].map(([d, tag]) => ({
    name: `sin_poly_${tag}`, label: `deg ${d}`, describe: 'S(z), sin(r) = r + r·z·S(r²)',
    f: (z) => { const r = z.sqrt(); return D.sin(r).div(r).minus(1).div(z); },
    interval: ['1e-20', '0.6169'], degree: d, error: 'rel', format: 'f64',
  })),
  ...[[3, 'f64_for_f32'], [5, 'f64']].map(([d, tag]) => ({
    name: `cos_poly_${tag}`, label: `deg ${d}`, describe: 'C(z), cos(r) = 1 − z/2 + z²·C(r²)',
    f: (z) => D.cos(z.sqrt()).minus(1).plus(z.div(2)).div(z.mul(z)),
    interval: ['1e-20', '0.6169'], degree: d, error: 'rel', format: 'f64',
  })),
  // asin and acos (ops/inverse-trig.ts): asin(x) = x + x·w·Q(w), w = x², on [0, 1/2]; beyond,
  // asin(x) = π/2 − 2·asin(√((1 − x)/2)) takes the same Q at w = (1 − x)/2 ≤ 1/4. Q → 1/6, and
  // its relative error reaches the result times w·|Q| ≤ 0.047. float32 (in f64 lanes) takes deg 7.
  ...[[7, 'f64_for_f32'], [12, 'f64']].map(([d, tag]) => ({
    name: `asin_poly_${tag}`, label: `deg ${d}`, describe: 'Q(w), asin(x) = x + x·w·Q(x²)',
    f: (w) => { const x = w.sqrt(); return D.asin(x).div(x).minus(1).div(w); },
    interval: ['1e-20', '0.25'], degree: d, error: 'rel', format: 'f64',
  })),
  // atan (ops/inverse-trig.ts): atan(u) = u + u·z·P(z), z = u². float64: |u| ≤ 7/16 (a up to 7/16
  // as it is; (a − c)/(1 + c·a), c = 1/2 or 1, up to 37/16; −1/a beyond); float32 (in f64 lanes,
  // c = 1 from 7/16): |u| ≤ 7/16 as well. P → −1/3; its relative error reaches the result
  // times z·|P|, at most 0.062. float32 takes deg 6 (deg 5, 2^-28.35, would cost it 0.007 ULP).
  ...[[5, 'f64_for_f32', '0.19140625'], [6, 'f64_for_f32', '0.19140625'], [11, 'f64', '0.19140625']].map(([d, tag, b]) => ({
    name: `atan_poly_${tag}`, label: `deg ${d}`, describe: 'P(z), atan(u) = u + u·z·P(u²)',
    f: (z) => { const u = z.sqrt(); return D.atan(u).div(u).minus(1).div(z); },
    interval: ['1e-20', b], degree: d, error: 'rel', format: 'f64',
  })),
  // erf near 0, |x| < 1/2 (beyond, erfc's table, ops/erf.ts), by erf's Taylor series at
  // 64 digits. float64: erf(x) = (x + x/8) + x·E(w), w = x², the first sum kept as a double
  // word, E(w) = erf(√w)/√w − 9/8 → 2/√π − 9/8 = 0.0034 (so that E's leading coefficient
  // rounds at 2^-62, where 2/√π − 1 would round at 2^-56). float32 (in f64 lanes):
  // erf(x) = x + x·E(w), E = erf(√w)/√w − 1. E's absolute error is erf's relative error.
  ...[[5, 'f64_for_f32', 1], [9, 'f64', '1.125']].map(([d, tag, lead]) => ({
    name: `erf_poly_${tag}`, label: `deg ${d}`, describe: `E(w), erf(x) = ${lead === 1 ? 'x' : '(x + x/8)'} + x·E(x²)`,
    f: (w) => {
      let t = new D(1), s = new D(0);
      for (let n = 0; n < 40; n++, t = t.mul(w).neg().div(n)) s = s.plus(t.div(2 * n + 1));
      return s.mul(2).div(D.acos(-1).sqrt()).minus(lead);
    },
    interval: ['1e-20', '0.25'], degree: d, error: 'abs', format: 'f64',
  })),
];

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2), names = args.filter((a) => !a.startsWith('--'));
  runFits(names.length ? fits.filter((s) => names.includes(s.name)) : fits, { json: args.includes('--json') });
}
