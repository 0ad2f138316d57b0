// The ops held to a ULP bound (log, log2, log10, log1p, exp2, expm1; exp has
// exp.test.ts) against their correctly rounded results, in ULPs, over 2^18
// inputs per family per dtype (LANES_SWEEP=full: 2^20, over a million;
// small: 2^16, as CI runs it on the later Node versions): bit patterns of
// every binade, inputs near 1 or 0 and the poles, subnormal inputs and
// results, and every sign and special value. The references are
// double-double (support/log-reference.ts, support/exp-reference.ts and the
// rest), checked against decimal.js here; float32 results are measured
// against Math.* in f64 wherever that is a normal float32 (float32Reference
// in support/reference.ts: within 2^-28 of their ULP). Both builds run: strict, where every madd rounds
// twice, and relaxed, where this machine's engine fuses it; the scalar twins
// must give the SIMD kernels' bits.
import Decimal from 'decimal.js';
import { afterAll, describe, expect, it } from 'vitest';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { BUILDS, runner } from './support/builds.js';
import { nanPayloads, random, sameValue } from './support/data.js';
import { coshReference, exp2Reference, expm1Reference, sigmoidReference, sinhReference, tanhReference } from './support/exp-reference.js';
import { INVERSE_REFERENCES } from './support/inverse-reference.js';
import { decimalLog, exactDecimal, LOG_REFERENCES } from './support/log-reference.js';
import { errorAgainst, exactOf, float32Reference, MATH, type Reference } from './support/reference.js';
import { ARC_REFERENCES } from './support/arc-reference.js';
import { ERF_REFERENCES, erfcEstimate, erfEstimate } from './support/erf-reference.js';
import { TRIG_REFERENCES, trigReferences } from './support/trig-reference.js';

const N = { full: 1 << 20, small: 1 << 16 }[process.env.LANES_SWEEP ?? ''] ?? 1 << 18;
/** How many inputs each check of a reference against decimal.js takes: a quarter with LANES_SWEEP=small (the references are the same JavaScript on every Node). */
const checks = (n: number) => (process.env.LANES_SWEEP === 'small' ? n / 4 : n);
const NAMES = ['log', 'log2', 'log10', 'log1p', 'exp2', 'expm1', 'sigmoid', 'tanh', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'cbrt', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'erf', 'erfc'];
const ROWS = (REGISTRY as readonly OpRow[]).filter((row) => NAMES.includes(row.name));
type Dtype = 'float32' | 'float64';
const VIEW = { float32: Float32Array, float64: Float64Array } as const;

describe('the double-double log references', () => {
  it('agree with decimal.js to 2^-100 relative', () => {
    const D = Decimal.clone({ precision: 70 });
    const next = random(7);
    for (const name of Object.keys(LOG_REFERENCES)) {
      let worst = 0;
      for (let i = 0; i < checks(1200); i++) {
        const pick = i % 4;
        let x =
          pick === 0 ? 2 ** (next() * 2000 - 1000) * (1 + next()) // every binade
          : pick === 1 ? 1 + (next() - 0.5) * 2 ** (-next() * 50) // near 1
          : pick === 2 ? (next() - 0.3) * 2 ** -(next() * 60) // near 0
          : 2 ** -1074 * Math.floor(next() * 2 ** 40); // subnormal
        if (name === 'log1p' && pick === 1) x -= 1; // near 0
        if (name === 'log1p' && pick === 3) x = -1 + 2 ** -(next() * 52); // near −1
        if (name === 'log1p' && !(x > -1 && Math.abs(x) > 2 ** -60)) continue;
        if (name !== 'log1p' && (x === 1 || !(x > 0))) continue;
        const ref = LOG_REFERENCES[name](x) as [number, number];
        const exact = decimalLog(D, name, x);
        const got = exactDecimal(D, ref[0]).plus(exactDecimal(D, ref[1]));
        worst = Math.max(worst, got.minus(exact).div(exact).abs().toNumber());
      }
      expect(worst, name).toBeLessThan(2 ** -100);
    }
  });
});

describe('the double-double exp2, expm1, sigmoid, tanh, sinh and cosh references', () => {
  it('agree with decimal.js to 2^-75 relative', () => {
    const D = Decimal.clone({ precision: 70 });
    const next = random(8);
    for (const name of ['exp2', 'expm1', 'sigmoid', 'tanh', 'sinh', 'cosh']) {
      let worst = 0;
      for (let i = 0; i < checks(1200); i++) {
        const x = i % 2 ? (next() - 0.5) * 2000 : (next() - 0.5) * 2 ** -(next() * 60);
        if (name === 'expm1' && Math.abs(x) > 700) continue;
        if ((name === 'sigmoid' && Math.abs(x) > 800) || (name === 'tanh' && (Math.abs(x) > 40 || x === 0))) continue;
        if ((name === 'sinh' || name === 'cosh') && (Math.abs(x) > 711 || x === 0)) continue;
        const reference = { exp2: exp2Reference, expm1: expm1Reference, sigmoid: sigmoidReference, tanh: tanhReference, sinh: sinhReference, cosh: coshReference }[name]!;
        const { m, k } = reference(x);
        const v = exactDecimal(D, x);
        const value =
          name === 'exp2' ? D.pow(2, v) : name === 'expm1' ? D.exp(v).minus(1) : name === 'sigmoid' ? new D(1).div(D.exp(v.neg()).plus(1)) : name === 'tanh' ? D.tanh(v) : name === 'sinh' ? D.sinh(v) : D.cosh(v);
        const exact = value.div(new D(2).pow(k));
        const got = exactDecimal(D, m[0]).plus(exactDecimal(D, m[1]));
        worst = Math.max(worst, got.minus(exact).div(exact).abs().toNumber());
      }
      expect(worst, name).toBeLessThan(2 ** -75);
    }
  });
});

describe('the double-double asinh, acosh, atanh and cbrt references', () => {
  it('agree with decimal.js to 2^-100 relative', () => {
    const D = Decimal.clone({ precision: 70 });
    const next = random(9);
    const exactOfDecimal: Record<string, (v: Decimal) => Decimal> = { asinh: (v) => D.asinh(v), acosh: (v) => D.acosh(v), atanh: (v) => D.atanh(v), cbrt: (v) => D.cbrt(v) };
    for (const name of Object.keys(INVERSE_REFERENCES)) {
      let worst = 0;
      for (let i = 0; i < checks(1200); i++) {
        const pick = i % 4;
        let x =
          pick === 0 ? 2 ** (next() * 2000 - 1000) * (1 + next()) // every binade
          : pick === 1 ? 1 + 2 ** -(next() * 52) * (1 + next()) // near 1, above
          : pick === 2 ? 2 ** -(next() * 60) * (1 + next()) // near 0
          : 2 ** -1074 * Math.floor(next() * 2 ** 40); // subnormal
        if (name === 'atanh') x = pick === 1 ? 2 - x : pick === 0 ? next() : x; // near 1, below; (0, 1)
        if (name === 'acosh' && x < 1) x = 1 + x;
        if (name !== 'acosh' && i & 1) x = -x;
        const ref = INVERSE_REFERENCES[name](x);
        if (typeof ref === 'number') continue;
        const [m, k] = 'k' in ref ? [ref.m, ref.k] : [ref, 0];
        const exact = exactOfDecimal[name](exactDecimal(D, x));
        const got = exactDecimal(D, m[0]).plus(exactDecimal(D, m[1])).times(new D(2).pow(k));
        worst = Math.max(worst, got.minus(exact).div(exact).abs().toNumber());
      }
      expect(worst, name).toBeLessThan(2 ** -100);
    }
  });
});

describe('the double-double sin, cos and tan references', () => {
  it('agree with decimal.js to 2^-98 relative, for arguments up to the largest double', () => {
    // decimal.js reduces by its own 1025 digits of π: 400 digits hold the fraction of any double's x·2/π.
    const D = Decimal.clone({ precision: 400 });
    const next = random(10);
    for (const name of Object.keys(TRIG_REFERENCES)) {
      let worst = 0;
      for (let i = 0; i < checks(240); i++) {
        const pick = i % 4;
        let x =
          pick === 0 ? 2 ** (next() * 2040 - 1020) * (1 + next()) // every binade, huge ones too
          : pick === 1 ? (next() - 0.5) * 200 // moderate
          : pick === 2 ? Math.round(next() * 2 ** 20) * (Math.PI / 2) * (1 + (next() - 0.5) * 2 ** -50) // near k·π/2
          : 6381956970095103 * 2 ** 797 * (1 + Math.round((next() - 0.5) * 8) * 2 ** -52); // the double nearest a multiple of π/2, and its neighbours
        if (i & 1) x = -x;
        const ref = TRIG_REFERENCES[name](x) as [number, number];
        const v = exactDecimal(D, x);
        const exact = name === 'sin' ? D.sin(v) : name === 'cos' ? D.cos(v) : D.tan(v);
        const got = exactDecimal(D, ref[0]).plus(exactDecimal(D, ref[1]));
        worst = Math.max(worst, got.minus(exact).div(exact).abs().toNumber());
      }
      expect(worst, name).toBeLessThan(2 ** -98);
    }
  });
});

describe('the double-double atan, asin and acos references', () => {
  it('agree with decimal.js to 2^-100 relative', () => {
    const D = Decimal.clone({ precision: 70 });
    const next = random(11);
    for (const name of Object.keys(ARC_REFERENCES)) {
      let worst = 0;
      for (let i = 0; i < checks(1200); i++) {
        const pick = i % 4;
        let x =
          pick === 0 ? 2 ** (next() * 2000 - 1000) * (1 + next()) // every binade
          : pick === 1 ? next() * 4 // moderate
          : pick === 2 ? 1 - 2 ** -(next() * 53) // near 1
          : 2 ** -(next() * 1074); // near 0
        if (name !== 'atan') x = pick === 0 ? next() : Math.min(x, 1);
        if (i & 1) x = -x;
        const ref = ARC_REFERENCES[name](x);
        if (typeof ref === 'number') continue;
        const v = exactDecimal(D, x);
        const exact = name === 'atan' ? D.atan(v) : name === 'asin' ? D.asin(v) : D.acos(v);
        const got = exactDecimal(D, ref[0]).plus(exactDecimal(D, ref[1]));
        worst = Math.max(worst, got.minus(exact).div(exact).abs().toNumber());
      }
      expect(worst, name).toBeLessThan(2 ** -100);
    }
  });
});

describe('the double-double erf and erfc references', () => {
  it('agree with decimal.js to 2^-90 relative', () => {
    // erfc(a) = 1 − (2/√π)·e^(−a²)·Σ 2^n·a^(2n+1)/(2n+1)!!, a sum of positive terms, in enough
    // digits for the 1 − erf cancellation (e^(a²) reaches 10^318 at a = 27).
    const next = random(12);
    for (const name of Object.keys(ERF_REFERENCES)) {
      let worst = 0;
      for (let i = 0; i < checks(160); i++) {
        const pick = i % 4;
        let x =
          pick === 0 ? next() * 3 // the series
          : pick === 1 ? 2 + next() * (name === 'erf' ? 8 : 25) // the continued fraction
          : pick === 2 ? (name === 'erf' ? 3 : 2) + 2 ** -(next() * 40) * (next() - 0.5) // where they meet
          : 2 ** -(next() * 60); // near 0
        if (i & 1 && !(name === 'erfc' && x > 10)) x = -x;
        const ref = ERF_REFERENCES[name](x);
        if (typeof ref === 'number') continue;
        const D = Decimal.clone({ precision: 60 + Math.ceil((x * x) / 2.3) });
        const v = exactDecimal(D, Math.abs(x));
        const w = v.times(v);
        let term = v, sum = new D(0);
        for (let n = 0; n < 100 || term.gt(sum.times('1e-' + (D.precision + 5))); n++) (sum = sum.plus(term)), (term = term.times(w).times(2).div(2 * n + 3));
        const erfA = sum.times(2).div(D.acos(-1).sqrt()).times(D.exp(w.neg()));
        const exact = name === 'erf' ? (x < 0 ? erfA.neg() : erfA) : x < 0 ? erfA.plus(1) : new D(1).minus(erfA);
        const [m, k] = 'k' in ref ? [ref.m, ref.k] : [ref, 0];
        const got = exactDecimal(D, m[0]).plus(exactDecimal(D, m[1])).times(new D(2).pow(k));
        worst = Math.max(worst, got.minus(exact).div(exact).abs().toNumber());
      }
      expect(worst, name).toBeLessThan(2 ** -90);
    }
  });

  it('and their plain-f64 estimates for float32 inputs (the exhaustive run) to 2^-46', () => {
    const next = random(13);
    for (const [name, estimate] of [['erf', erfEstimate], ['erfc', erfcEstimate]] as const) {
      let worst = 0;
      for (let i = 0; i < 20000; i++) {
        const x = Math.fround((i & 1 ? -1 : 1) * (i % 3 ? next() * 11 : 2 ** -(next() * 40)));
        const ref = ERF_REFERENCES[name](x);
        if (typeof ref === 'number') continue;
        const [m, k] = 'k' in ref ? [ref.m, ref.k] : [ref, 0];
        const exact = (m[0] + m[1]) * 2 ** k;
        if (exact < 2 ** -149) continue; // float32 sees 0 there
        worst = Math.max(worst, Math.abs((estimate(x) - exact) / exact));
      }
      expect(worst, name).toBeLessThan(2 ** -46);
    }
  });
});

/** n evenly spaced bit patterns from lo to hi (both patterns of positive values of the dtype), as numbers. */
function patterns(dtype: Dtype, n: number, lo: number, hi: number, sign = 1): Float64Array {
  const out = new Float64Array(n);
  if (dtype === 'float32') {
    const f = new Float32Array(1), u = new Uint32Array(f.buffer);
    f[0] = lo;
    const a = u[0];
    f[0] = hi;
    const b = u[0];
    for (let i = 0; i < n; i++) {
      u[0] = a + Math.floor(((b - a) * i) / n);
      out[i] = sign * f[0];
    }
  } else {
    const f = new Float64Array(1), u = new BigUint64Array(f.buffer);
    f[0] = lo;
    const a = u[0];
    f[0] = hi;
    const b = u[0];
    const span = b - a;
    for (let i = 0; i < n; i++) {
      u[0] = a + (span * BigInt(i)) / BigInt(n) + BigInt(i & 7);
      out[i] = sign * f[0];
    }
  }
  return out;
}

/** c + sign·2^-t for t uniform in [0, bits): values near c at every scale down to its ULP. */
function near(n: number, c: number, bits: number, seed: number): Float64Array {
  const next = random(seed);
  return Float64Array.from({ length: n }, () => c + (next() < 0.5 ? -1 : 1) * 2 ** -(next() * bits) * (1 + next()));
}

/** Every pattern family, both signs (NaNs and infinities as they fall). */
function allPatterns(dtype: Dtype, n: number): Float64Array {
  const out = new Float64Array(n);
  if (dtype === 'float32') {
    const u = new Uint32Array(1), f = new Float32Array(u.buffer);
    for (let i = 0; i < n; i++) (u[0] = Math.floor((i * 2 ** 32) / n) + 777), (out[i] = f[0]);
  } else {
    const u = new BigUint64Array(1), f = new Float64Array(u.buffer);
    const stride = 2n ** 64n / BigInt(n);
    for (let i = 0; i < n; i++) (u[0] = BigInt(i) * stride + 987654321n), (out[i] = f[0]);
  }
  return out;
}

const familyCache = new Map<string, Record<string, Float64Array>>();
function families(name: string, dtype: Dtype): Record<string, Float64Array> {
  const key = `${name} ${dtype}`;
  if (!familyCache.has(key)) familyCache.set(key, makeFamilies(name, dtype));
  return familyCache.get(key)!;
}

function makeFamilies(name: string, dtype: Dtype): Record<string, Float64Array> {
  const tiny = dtype === 'float32' ? 2 ** -149 : 2 ** -1074;
  const minNormal = dtype === 'float32' ? 2 ** -126 : 2 ** -1022;
  const max = dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
  const p = dtype === 'float32' ? 24 : 53;
  if (name === 'sigmoid') return sigmoidFamilies(dtype, tiny, max);
  if (name === 'asinh' || name === 'cbrt') {
    // Where the roads meet: asinh's at 2^±28, float64 cbrt's scaled range at 2^±900.
    const meet = name === 'asinh' ? 2 ** 28 : dtype === 'float32' ? 2 ** 100 : 2 ** 900;
    return {
      'bit patterns of every binade, both signs': Float64Array.from(patterns(dtype, N, tiny, max), (x, i) => (i & 1 ? -x : x)),
      'uniform over [−30, 30]': Float64Array.from({ length: N }, (_, i) => -30 + (60 * (i + 0.5)) / N),
      'near 0, every scale': near(N, 0, dtype === 'float32' ? 140 : 1060, 40),
      'where the roads meet': Float64Array.from(near(N, 0, 40, 41), (d, i) => [meet, -1 / meet, 1 / meet, -meet][i & 3] * (1 + d)),
      'every bit pattern': allPatterns(dtype, N),
    };
  }
  if (name === 'sin' || name === 'cos' || name === 'tan') return trigFamilies(dtype, tiny, max);
  if (name === 'atan') {
    // ±7/16, ±5/8 and ±37/16, where the roads meet; [0.4, 0.65], where the polynomial's share of the result is largest; 2^±400, where the fast path ends.
    return {
      'bit patterns of every binade, both signs': Float64Array.from(patterns(dtype, N, tiny, max), (x, i) => (i & 1 ? -x : x)),
      'uniform over [−4, 4]': Float64Array.from({ length: N }, (_, i) => -4 + (8 * (i + 0.5)) / N),
      'near ±7/16, ±5/8 and ±37/16, where the roads meet': Float64Array.from(near(N, 0, 40, 50), (d, i) => (i & 1 ? -1 : 1) * [7 / 16, 5 / 8, 37 / 16][i % 3] * (1 + d / 16)),
      'uniform over [0.4, 0.65]': Float64Array.from({ length: N }, (_, i) => 0.4 + (0.25 * (i + 0.5)) / N),
      'near 0, every scale': near(N, 0, dtype === 'float32' ? 140 : 1060, 51),
      'near ±2^±400, where the roads meet': Float64Array.from(near(N, 0, 40, 52), (d, i) => [2 ** 400, -(2 ** -400), 2 ** -400, -(2 ** 400)][i & 3] * (1 + d)),
      'every bit pattern': allPatterns(dtype, N),
    };
  }
  if (name === 'erf' || name === 'erfc') {
    // The table's interval edges 2^e·(1 + m/16) (1/4 ≤ a < 32), where the entry changes; ±3/8, where the roads meet.
    const edges = Float64Array.from(near(N, 0, 40, 56), (d, i) => (i & 1 ? -1 : 1) * 2 ** ((i >> 1) % 7 - 2) * (1 + ((i >> 4) % 16) / 16) * (1 + d));
    const high = name === 'erf' ? 6 : dtype === 'float32' ? 10.1 : 27.3;
    const families: Record<string, Float64Array> = {
      'bit patterns of every binade, both signs': Float64Array.from(patterns(dtype, N, tiny, max), (x, i) => (i & 1 ? -x : x)),
      [`uniform over [−6, ${high}]`]: Float64Array.from({ length: N }, (_, i) => -6 + ((high + 6) * (i + 0.5)) / N),
      "near the table's interval edges": edges,
      'near ±3/8, where the roads meet': Float64Array.from(near(N, 0, 40, 57), (d, i) => (i & 1 ? -0.375 : 0.375) * (1 + d)),
      'near 0, every scale': near(N, 0, dtype === 'float32' ? 140 : 1060, 58),
      'every bit pattern': allPatterns(dtype, N),
    };
    if (name === 'erfc') {
      const [low, top] = dtype === 'float32' ? [9.1, 10.1] : [26.4, 27.3];
      families['subnormal results'] = Float64Array.from({ length: N }, (_, i) => low + ((top - low) * (i + 0.5)) / N);
    }
    return families;
  }
  if (name === 'asin' || name === 'acos') {
    return {
      'bit patterns in (−1, 1)': Float64Array.from(patterns(dtype, N, tiny, 1), (x, i) => (i & 1 ? -x : x)),
      'uniform over [−1, 1]': Float64Array.from({ length: N }, (_, i) => -1 + (2 * (i + 0.5)) / N),
      'near ±1, inside': Float64Array.from(near(N, 0, p + 1, 53), (d, i) => (i & 1 ? -1 : 1) * (1 - Math.abs(d) / 2)),
      'near ±½, where the polynomial and the root meet': Float64Array.from(near(N, 0, p + 2, 54), (d, i) => (i & 1 ? -1 : 1) * (0.5 + d)),
      'near 0, every scale': near(N, 0, dtype === 'float32' ? 140 : 1060, 55),
      'every bit pattern': allPatterns(dtype, N),
    };
  }
  if (name === 'acosh') {
    return {
      'bit patterns from 1 up': patterns(dtype, N, 1, max),
      'near 1, above': Float64Array.from(near(N, 0, p + 1, 42), (d) => 1 + Math.abs(d)),
      'uniform over [1, 30]': Float64Array.from({ length: N }, (_, i) => 1 + (29 * (i + 0.5)) / N),
      'near 2^28, where the roads meet': Float64Array.from(near(N, 0, 40, 43), (d) => 2 ** 28 * (1 + d)),
      'every bit pattern': allPatterns(dtype, N),
    };
  }
  if (name === 'atanh') {
    return {
      'bit patterns in (−1, 1)': Float64Array.from(patterns(dtype, N, tiny, 1), (x, i) => (i & 1 ? -x : x)),
      'near ±1, inside': Float64Array.from(near(N, 0, p + 1, 44), (d, i) => (i & 1 ? -1 : 1) * (1 - Math.abs(d) / 2)),
      'near 0, every scale': near(N, 0, dtype === 'float32' ? 140 : 1060, 45),
      'near ±2^-28, where the roads meet': Float64Array.from(near(N, 0, 40, 46), (d, i) => (i & 1 ? -1 : 1) * 2 ** -28 * (1 + d)),
      'every bit pattern': allPatterns(dtype, N),
    };
  }
  if (name === 'sinh' || name === 'cosh') {
    const high = dtype === 'float32' ? 90 : 711;
    return {
      'bit patterns of every binade, both signs': Float64Array.from(patterns(dtype, N, tiny, max), (x, i) => (i & 1 ? -x : x)),
      'uniform over the finite-result range': Float64Array.from({ length: N }, (_, i) => -high + (2 * high * (i + 0.5)) / N),
      'near 0, every scale': near(N, 0, dtype === 'float32' ? 140 : 1060, 38),
      'near ±1/16 and ±20, where the roads meet': Float64Array.from(near(N, 0, 40, 39), (d, i) => [0.0625, -0.0625, 20, -20][i & 3] + d),
      'every bit pattern': allPatterns(dtype, N),
    };
  }
  if (name === 'tanh') {
    return {
      'bit patterns of every binade, both signs': Float64Array.from(patterns(dtype, N, tiny, max), (x, i) => (i & 1 ? -x : x)),
      'uniform over [−20, 20]': Float64Array.from({ length: N }, (_, i) => -20 + (40 * (i + 0.5)) / N),
      'near 0, every scale': near(N, 0, dtype === 'float32' ? 140 : 1060, 36),
      'near ±1/16, where the roads meet': Float64Array.from(near(N, 0, 40, 37), (d, i) => (i & 1 ? 0.0625 : -0.0625) + d),
      'every bit pattern': allPatterns(dtype, N),
    };
  }
  if (name === 'exp2' || name === 'expm1') {
    const [low, high] = name === 'exp2' ? (dtype === 'float32' ? [-151, 129] : [-1076, 1025]) : dtype === 'float32' ? [-20, 89] : [-40, 710];
    const families: Record<string, Float64Array> = {
      'bit patterns of every binade, both signs': Float64Array.from(patterns(dtype, N, tiny, max), (x, i) => (i & 1 ? -x : x)),
      'uniform over the finite-result range': Float64Array.from(near(N, 0, 1, 31), (_, i) => low + ((high - low) * (i + 0.5)) / N),
      'near 0, every scale': near(N, 0, dtype === 'float32' ? 140 : 1060, 32),
      'every bit pattern': allPatterns(dtype, N),
    };
    if (name === 'exp2') families['subnormal results'] = Float64Array.from({ length: N }, (_, i) => (dtype === 'float32' ? -150 : -1075) + (i / N) * 25);
    else families['near ±1/16 and ±ln2/2, where the roads meet'] = Float64Array.from(near(N, 0, 40, 33), (d, i) => [0.0625, -0.0625, 0.34658, -0.34658][i & 3] + d);
    return families;
  }
  if (name === 'log1p') {
    return {
      'bit patterns of every binade, x > 0': patterns(dtype, N, tiny, max),
      'bit patterns in (−1, 0)': patterns(dtype, N, tiny, 1, -1),
      'near 0, every scale': near(N, 0, dtype === 'float32' ? 140 : 1060, 21),
      'near −1': Float64Array.from(near(N, 0, p + 1, 22), (d) => -1 + Math.abs(d) / 2),
      'every bit pattern': allPatterns(dtype, N),
    };
  }
  return {
    'bit patterns of every binade, x > 0': patterns(dtype, N, tiny, max),
    'near 1': near(N, 1, p + 2, 11),
    'subnormal inputs': patterns(dtype, N, tiny, minNormal),
    'every bit pattern': allPatterns(dtype, N),
  };
}

/**
 * sin's, cos's and tan's families (the same for all three): every binade
 * (huge arguments included), moderate arguments, the doubles and floats
 * nearest k·π/2 and their neighbours (where the reduction cancels most),
 * near 0, where the fast path meets Payne–Hanek (2^20), and past it.
 */
function trigFamilies(dtype: Dtype, tiny: number, max: number): Record<string, Float64Array> {
  const next = random(47);
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const eps = dtype === 'float32' ? 2 ** -23 : 2 ** -52;
  const nearHalfPi = Float64Array.from({ length: N }, (_, i) => {
    const k = i < 64 ? i + 1 : Math.floor(next() * 667544) + 1; // |x| < 2^20
    return round(round(k * (Math.PI / 2)) * (1 + ((i % 7) - 3) * eps)) * (i & 1 ? -1 : 1);
  });
  return {
    'bit patterns of every binade, both signs': Float64Array.from(patterns(dtype, N, tiny, max), (x, i) => (i & 1 ? -x : x)),
    'uniform over [−100, 100]': Float64Array.from({ length: N }, (_, i) => -100 + (200 * (i + 0.5)) / N),
    'nearest k·π/2 (k < 2^20), and neighbours': nearHalfPi,
    'near 0, every scale': near(N, 0, dtype === 'float32' ? 140 : 1060, 48),
    'near ±2^20, where the roads meet': Float64Array.from(near(N, 0, 40, 49), (d, i) => (i & 1 ? -1 : 1) * 2 ** 20 * (1 + d)),
    'every bit pattern': allPatterns(dtype, N),
  };
}

/** sigmoid's families: where its roads meet (±40), its subnormal results, and the usual ones. */
function sigmoidFamilies(dtype: Dtype, tiny: number, max: number): Record<string, Float64Array> {
  const [low, high] = dtype === 'float32' ? [-110, 20] : [-750, 40];
  return {
    'bit patterns of every binade, both signs': Float64Array.from(patterns(dtype, N, tiny, max), (x, i) => (i & 1 ? -x : x)),
    'uniform over the range of results below 1': Float64Array.from({ length: N }, (_, i) => low + ((high - low) * (i + 0.5)) / N),
    'near 0, every scale': near(N, 0, dtype === 'float32' ? 140 : 1060, 34),
    'near ±40, where the roads meet': Float64Array.from(near(N, 0, 40, 35), (d, i) => (i & 1 ? 40 : -40) + d),
    'subnormal results': Float64Array.from({ length: N }, (_, i) => (dtype === 'float32' ? -104 : -745.2) + (i / N) * 18),
    'every bit pattern': allPatterns(dtype, N),
  };
}

/** References by (op, dtype, family), computed once and shared by both builds. */
const references = new Map<string, Reference[]>();
function referenceOf(name: string, dtype: Dtype, family: string, x: ArrayLike<number>): Reference[] {
  const key = `${name} ${dtype} ${family}`;
  let r = references.get(key);
  if (r) return r;
  if (name in TRIG_REFERENCES && dtype === 'float64') {
    // sin, cos and tan sweep the same families: one reduction serves all three.
    const all = Array.from(x, trigReferences);
    for (const fn of ['sin', 'cos', 'tan'] as const) references.set(`${fn} ${dtype} ${family}`, all.map((t) => t[fn]));
    return references.get(key)!;
  }
  references.set(key, (r = Array.from(x, (v) => (dtype === 'float32' ? float32Reference(MATH[name]?.(v), () => exactOf(name, v)) : exactOf(name, v)))));
  return r;
}

/** What lanes measures today (README), a little above: a regression shows before the 1 ULP bar. */
const MEASURED: Record<string, Record<Dtype, number>> = {
  log: { float32: 0.51, float64: 0.53 },
  log2: { float32: 0.51, float64: 0.53 },
  log10: { float32: 0.51, float64: 0.53 },
  log1p: { float32: 0.51, float64: 0.53 },
  exp2: { float32: 0.51, float64: 0.53 },
  expm1: { float32: 0.51, float64: 0.6 },
  sigmoid: { float32: 0.51, float64: 0.56 },
  tanh: { float32: 0.51, float64: 0.56 },
  sinh: { float32: 0.51, float64: 0.56 },
  cosh: { float32: 0.51, float64: 0.56 },
  asinh: { float32: 0.51, float64: 0.53 },
  acosh: { float32: 0.51, float64: 0.53 },
  atanh: { float32: 0.51, float64: 0.53 },
  cbrt: { float32: 0.51, float64: 0.51 },
  sin: { float32: 0.51, float64: 0.6 },
  cos: { float32: 0.51, float64: 0.6 },
  tan: { float32: 0.51, float64: 0.62 },
  asin: { float32: 0.51, float64: 0.7 },
  acos: { float32: 0.51, float64: 0.7 },
  atan: { float32: 0.51, float64: 0.66 },
  erf: { float32: 0.51, float64: 0.66 },
  erfc: { float32: 0.51, float64: 0.62 },
};

/** Special values per op, each exact: [x, op(x)]. */
const SPECIALS: Record<string, [number, number][]> = {
  log: [[0, -Infinity], [-0, -Infinity], [-1, NaN], [-Infinity, NaN], [Infinity, Infinity], [NaN, NaN], [1, 0], [-(2 ** -149), NaN]],
  log1p: [[-1, -Infinity], [-2, NaN], [-Infinity, NaN], [Infinity, Infinity], [NaN, NaN], [0, 0], [-0, -0]],
  exp2: [[0, 1], [-0, 1], [Infinity, Infinity], [-Infinity, 0], [NaN, NaN], [1e30, Infinity], [-1e30, 0], [2000, Infinity], [-2000, 0]],
  expm1: [[0, 0], [-0, -0], [Infinity, Infinity], [-Infinity, -1], [NaN, NaN], [1e30, Infinity], [-1e30, -1], [1000, Infinity], [-1000, -1]],
  sigmoid: [[0, 0.5], [-0, 0.5], [Infinity, 1], [-Infinity, 0], [NaN, NaN], [1e30, 1], [-1e30, 0], [800, 1], [-800, 0], [40.5, 1]],
  tanh: [[0, 0], [-0, -0], [Infinity, 1], [-Infinity, -1], [NaN, NaN], [1e30, 1], [-1e30, -1], [25, 1], [-25, -1]],
  sinh: [[0, 0], [-0, -0], [Infinity, Infinity], [-Infinity, -Infinity], [NaN, NaN], [1e30, Infinity], [-1e30, -Infinity], [1000, Infinity], [-1000, -Infinity]],
  cosh: [[0, 1], [-0, 1], [Infinity, Infinity], [-Infinity, Infinity], [NaN, NaN], [1e30, Infinity], [-1e30, Infinity], [1000, Infinity], [-1000, Infinity]],
  asinh: [[0, 0], [-0, -0], [Infinity, Infinity], [-Infinity, -Infinity], [NaN, NaN]],
  acosh: [[1, 0], [Infinity, Infinity], [0.5, NaN], [0, NaN], [-1, NaN], [-Infinity, NaN], [NaN, NaN]],
  atanh: [[0, 0], [-0, -0], [1, Infinity], [-1, -Infinity], [1.5, NaN], [-2, NaN], [Infinity, NaN], [-Infinity, NaN], [NaN, NaN]],
  cbrt: [[0, 0], [-0, -0], [Infinity, Infinity], [-Infinity, -Infinity], [NaN, NaN], [8, 2], [-27, -3], [1, 1]],
};
SPECIALS.sin = [[0, 0], [-0, -0], [Infinity, NaN], [-Infinity, NaN], [NaN, NaN], [2 ** -149, 2 ** -149], [-(2 ** -149), -(2 ** -149)]];
SPECIALS.cos = [[0, 1], [-0, 1], [Infinity, NaN], [-Infinity, NaN], [NaN, NaN], [2 ** -149, 1], [-(2 ** -149), 1]];
SPECIALS.tan = SPECIALS.sin;
SPECIALS.atan = [[0, 0], [-0, -0], [Infinity, Math.PI / 2], [-Infinity, -Math.PI / 2], [NaN, NaN], [1e300, Math.PI / 2], [-1e300, -Math.PI / 2]];
SPECIALS.asin = [[0, 0], [-0, -0], [1, Math.PI / 2], [-1, -Math.PI / 2], [1.5, NaN], [-2, NaN], [Infinity, NaN], [-Infinity, NaN], [NaN, NaN]];
SPECIALS.acos = [[1, 0], [-1, Math.PI], [0, Math.PI / 2], [-0, Math.PI / 2], [1.5, NaN], [-2, NaN], [Infinity, NaN], [-Infinity, NaN], [NaN, NaN]];
SPECIALS.log2 = SPECIALS.log10 = SPECIALS.log;
SPECIALS.erf = [[0, 0], [-0, -0], [Infinity, 1], [-Infinity, -1], [NaN, NaN], [6, 1], [-6, -1], [1e300, 1], [-1e300, -1]];
SPECIALS.erfc = [[0, 1], [-0, 1], [Infinity, 0], [-Infinity, 2], [NaN, NaN], [30, 0], [-30, 2], [1e300, 0], [-1e300, 2]];

/** Inputs whose result is exactly representable, per op and dtype: [x, op(x)]. */
function exactCases(name: string, dtype: Dtype): [number, number][] {
  const cases: [number, number][] = [];
  const emin = dtype === 'float32' ? -149 : -1074, emax = dtype === 'float32' ? 127 : 1023;
  if (name === 'log2') for (let k = emin; k <= emax; k++) cases.push([2 ** k, k]);
  if (name === 'exp2') for (let k = emin; k <= emax; k++) cases.push([k, 2 ** k]);
  if (name === 'log10') for (let k = 0; k <= (dtype === 'float32' ? 10 : 22); k++) cases.push([10 ** k, k]);
  if (name === 'cosh' || name === 'cos') cases.push([0, 1], [1e-30, 1], [-(2 ** emin), 1]);
  if (name === 'sin' || name === 'tan') for (const x of [2 ** emin, -(2 ** emin), 1e-30, -1e-30, 2 ** -30]) if (Math.fround(x) !== 0 || dtype === 'float64') cases.push([x, x]);
  if (name === 'log1p' || name === 'expm1' || name === 'tanh' || name === 'sinh') for (const x of [2 ** emin, -(2 ** emin), 1e-30, -1e-30]) if (Math.fround(x) !== 0 || dtype === 'float64') cases.push([x, x]);
  if (name === 'asinh' || name === 'atanh') for (const x of [2 ** emin, -(2 ** emin), 1e-30, -1e-30]) if (Math.fround(x) !== 0 || dtype === 'float64') cases.push([x, x]);
  if (name === 'acosh' || name === 'acos') cases.push([1, 0]);
  if (name === 'erfc') cases.push([0, 1], [1e-30, 1], [-(2 ** emin), 1], [28, 0], [-10, 2]);
  if (name === 'atan' || name === 'asin') for (const x of [2 ** emin, -(2 ** emin), 1e-30, -1e-30]) if (Math.fround(x) !== 0 || dtype === 'float64') cases.push([x, x]);
  if (name === 'cbrt') {
    // Perfect cubes: k³ (exact in the dtype for k < 2^8 or 2^17) and 2^(3j), both signs.
    for (let k = 1; k < (dtype === 'float32' ? 256 : 1 << 17); k += k < 300 ? 1 : 97) cases.push([k ** 3, k], [-(k ** 3), -k]);
    for (let j = Math.ceil(emin / 3); 3 * j <= emax; j++) cases.push([2 ** (3 * j), 2 ** j]);
  }
  if (name === 'log1p' || name === 'expm1') cases.push([0, 0]);
  else if (name.startsWith('log')) cases.push([1, 0]);
  return cases;
}

// Both builds of an op and dtype run one after the other, sharing its
// references, which are then dropped: kept for every op they took GBs, and
// major GCs over that heap made the later sweeps ten times slower.
for (const row of ROWS) for (const dtype of ['float32', 'float64'] as const) describe(`${row.name} ${dtype}`, () => {
  afterAll(() => {
    for (const key of references.keys()) if (key.startsWith(`${row.name} ${dtype} `)) references.delete(key);
  });
  for (const build of BUILDS) describe.runIf(build.compiles)(`${build.name} build`, () => {
    const View = VIEW[dtype];
    const run = build.compiles ? runner(build) : () => new View();
    const kernel = `v${row.kernel}_${dtype === 'float32' ? 'f32' : 'f64'}`;
    const op = (x: ArrayLike<number>) => run(kernel, new View(x));

    for (const [family, values] of Object.entries(families(row.name, dtype))) {
      it(`${family}: max error below 1 ULP`, () => {
        const x = new View(values);
        const y = op(x);
        const ref = referenceOf(row.name, dtype, family, x);
        let max = 0, sum = 0, worst = 0, counted = 0;
        for (let i = 0; i < x.length; i++) {
          const e = errorAgainst(dtype, y[i], ref[i]);
          if (e === Infinity) expect.fail(`${row.name}(${x[i]}) = ${y[i]}, expected ${ref[i]}`);
          if (typeof ref[i] !== 'number') (sum += e), counted++;
          if (e > max) (max = e), (worst = x[i]);
        }
        console.log(`${row.name} ${dtype} ${build.name} ${family}: max ${max.toFixed(4)} ULP at x = ${worst}, mean ${(sum / counted).toFixed(4)} ULP over ${counted} (+ ${x.length - counted} exact)`);
        expect(max).toBeLessThan(1);
        expect(max).toBeLessThan(MEASURED[row.name][dtype]);
      });
    }

    it('special values exactly', () => {
      const x = SPECIALS[row.name].map((c) => c[0]);
      const y = op(x);
      const scalar = run(`${kernel}_scalar`, new View(x));
      for (let i = 0; i < x.length; i++) {
        const want = new View([SPECIALS[row.name][i][1]])[0]; // π/2 and π rounded to the dtype
        expect(sameValue(y[i], want), `${row.name}(${x[i]}) = ${y[i]}`).toBe(true);
        expect(sameValue(scalar[i], want), `scalar ${row.name}(${x[i]}) = ${scalar[i]}`).toBe(true);
      }
    });

    it('exact results where the result is representable', () => {
      const cases = exactCases(row.name, dtype);
      const x = new View(cases.map((c) => c[0]));
      const y = op(x);
      for (let i = 0; i < x.length; i++) expect(y[i], `${row.name}(${x[i]})`).toBe(new View([cases[i][1]])[0]);
    });

    it('NaN in, NaN out, whatever its payload and sign', () => {
      const x = nanPayloads(dtype, 4099, 13);
      for (const y of [op(x), run(`${kernel}_scalar`, x)]) {
        let notNaN = 0;
        for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i])) notNaN++;
        expect(notNaN).toBe(0);
      }
    });

    it('the scalar twin gives the same bits as the SIMD kernel', () => {
      const x = new View(allPatterns(dtype, 100_003));
      const simd = op(x);
      const scalar = run(`${kernel}_scalar`, x);
      let differ = 0;
      for (let i = 0; i < x.length; i++) if (!sameValue(simd[i], scalar[i])) differ++;
      expect(differ).toBe(0);
    });
  });
});
