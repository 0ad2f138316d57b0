// sum and dot against a compensated f64 reference: the README's error bound
// on mixed-sign data, and the relative error on 16M positive f32 elements,
// where plain f32 accumulation loses about 2%.
import * as lanes from 'lanes';
import { describe, expect, it } from 'vitest';
import { random } from './support/data.js';
import { reductionBound, referenceDot, referenceSum } from './support/reference.js';

const M = 16 * 1024 * 1024;

describe('sum and dot at 16M positive float32 elements', () => {
  const next = random(42);
  const a = lanes.empty(M, 'float32');
  const b = lanes.empty(M, 'float32');
  for (let i = 0; i < M; i++) {
    a[i] = next();
    b[i] = next();
  }

  it('sum: relative error ≤ 1e-6 (measured, not just bounded)', () => {
    const exact = referenceSum(a);
    const got = lanes.sum(a);
    let naive = Math.fround(0);
    for (let i = 0; i < M; i++) naive = Math.fround(naive + a[i]);
    const rel = Math.abs(got - exact) / exact;
    console.log(`sum f32 16M: relative error ${rel.toExponential(2)} (plain f32 accumulation: ${(Math.abs(naive - exact) / exact).toExponential(2)})`);
    expect(rel).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(got - exact)).toBeLessThanOrEqual(reductionBound('sum', 'float32', a));
  });

  it('dot: relative error ≤ 1e-6', () => {
    const exact = referenceDot(a, b);
    const got = lanes.dot(a, b);
    const rel = Math.abs(got - exact) / exact;
    console.log(`dot f32 16M: relative error ${rel.toExponential(2)}`);
    expect(rel).toBeLessThanOrEqual(1e-6);
  });
});

describe('the stated bound on ill-conditioned data', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: large terms that cancel`, () => {
      const next = random(7);
      const n = 1_000_003;
      const a = lanes.empty(n, dtype);
      const b = lanes.empty(n, dtype);
      for (let i = 0; i < n; i++) {
        a[i] = (next() - 0.5) * 2 ** Math.floor(next() * 40);
        b[i] = (next() - 0.5) * 3;
      }
      const sumError = Math.abs(lanes.sum(a) - referenceSum(a));
      expect(sumError).toBeLessThanOrEqual(reductionBound('sum', dtype, a));
      const products = Array.from(a, (x, i) => x * b[i]);
      const dotError = Math.abs(lanes.dot(a, b) - referenceDot(a, b));
      expect(dotError).toBeLessThanOrEqual(reductionBound('dot', dtype, products));
    });
  }

  it('edge cases: empty, a single -0, NaN and infinities propagate', () => {
    expect(lanes.sum(new Float64Array(0))).toBe(0);
    expect(Object.is(lanes.sum(new Float64Array([-0])), -0)).toBe(true);
    expect(lanes.sum(new Float32Array([1, NaN, 2]))).toBeNaN();
    expect(lanes.sum(new Float64Array([1, Infinity]))).toBe(Infinity);
    expect(lanes.sum(new Float64Array([Infinity, -Infinity]))).toBeNaN();
    expect(lanes.dot([1, 2, 3], [4, 5, 6])).toBe(32);
    // float32 sums are returned in full f64 precision, not rounded to float32.
    expect(lanes.sum(new Float32Array([16777216, 1]))).toBe(16777217);
  });

  it('float32: sums past the float32 range stay finite and exact where f64 holds them', () => {
    // Each block's f32 lanes overflow; such blocks are summed again in f64.
    const n = 100_003;
    const big = lanes.empty(n, 'float32').fill(3e38);
    const x = Math.fround(3e38);
    expect(lanes.sum(big)).toBe(referenceSum(big));
    expect(lanes.sum(big)).toBeCloseTo(n * x, -28);
    // Products past the float32 range: 1e20 · 1e20 per element.
    const c = lanes.empty(n, 'float32').fill(1e20);
    expect(lanes.dot(c, c)).toBe(referenceDot(c, c));
    // Overflowing terms of both signs in one lane must not turn into NaN.
    const mixed = lanes.empty(n, 'float32');
    for (let i = 0; i < n; i++) mixed[i] = i % 64 < 32 ? 3e38 : -3e38;
    expect(lanes.sum(mixed)).toBe(referenceSum(mixed));
  });
});
