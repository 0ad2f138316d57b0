// pow against its correctly rounded result, in ULPs, over 2^18 pairs per
// family per dtype (LANES_SWEEP=full: 2^20; small: 2^16): results across the
// whole range down to the subnormals and up to overflow, x near 1 with
// large y (where y·ln x must be right to 2^-60), negative x with integer y,
// subnormal x, roots and small powers, and raw bit patterns; then the
// special values of C99 Annex F. The reference (support/pow-reference.ts)
// is double-double, checked here against decimal.js. Both builds; the
// scalar twins give the SIMD kernels' bits.
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { describeBinarySweeps, pairMaker } from './support/binary-sweep.js';
import { random } from './support/data.js';
import { exactDecimal } from './support/log-reference.js';
import { isOddInteger, powReference } from './support/pow-reference.js';

type Dtype = 'float32' | 'float64';

describe('the double-double pow reference', () => {
  it('agrees with decimal.js to 2^-94 relative (y·ln x, up to 745, carries the 2^-104 of logDD as 2^-95)', () => {
    const D = Decimal.clone({ precision: 70 });
    const next = random(23);
    let worst = 0;
    for (let i = 0; i < 600; i++) {
      const x = 2 ** (next() * 200 - 100) * (1 + next()), t = next() * 1400 - 700;
      const y = i % 3 === 0 ? Math.round(t / Math.log2(x) * 8) / 8 : t / Math.log(x);
      const ref = powReference(x, y);
      if (typeof ref === 'number') continue;
      const exact = exactDecimal(D, x).pow(exactDecimal(D, y)).div(new D(2).pow(ref.k));
      worst = Math.max(worst, exactDecimal(D, ref.m[0]).plus(exactDecimal(D, ref.m[1])).minus(exact).div(exact).abs().toNumber());
    }
    expect(worst).toBeLessThan(2 ** -94);
  });

  it('gives C99 signs: odd integers keep the sign of x, others do not', () => {
    expect(isOddInteger(3) && isOddInteger(-1) && !isOddInteger(2) && !isOddInteger(2 ** 60) && !isOddInteger(0.5)).toBe(true);
    const r = powReference(-2, 3) as { m: [number, number] };
    expect(r.m[0]).toBeLessThan(0);
    expect(powReference(-2, -1600)).toBe(0);
    expect(Object.is(powReference(-2, -1601), -0)).toBe(true);
  });
});

/** Pairs of a family: x and y, both of the dtype. */
function families(dtype: Dtype): Record<string, [Float64Array, Float64Array]> {
  const { emin, emax, round, make, anyBinade } = pairMaker(dtype);
  // y such that x^y lands at 2^t, t spread over the whole range and a little past it.
  const landing = (next: () => number, x: number) => (emin - 4 + next() * (emax - emin + 10)) / Math.log2(x);
  return {
    'results across the whole range': make(1, (next) => { const x = anyBinade(next); return [x, landing(next, x)]; }),
    'x within 2^-6 of 1, large y': make(2, (next) => {
      const x = 1 + (next() < 0.5 ? -1 : 1) * 2 ** -(6 + next() * 46) * (1 + next());
      return [x, landing(next, round(x))];
    }),
    'negative x, integer y': make(3, (next) => {
      const x = -(2 ** (next() * 40 - 20)) * (1 + next());
      const y = Math.round((next() - 0.5) * (next() < 0.2 ? 2 ** 20 : 200));
      return [x, y];
    }),
    'subnormal x': make(4, (next) => [2 ** (emin + next() * 23) * (1 + next()) / 2, (next() - 0.5) * 2.2]),
    'roots and small powers': make(5, (next) => {
      const y = [0.5, 1 / 3, 0.25, 2, 3, -1, -0.5, -2, 1.5, 2.5][Math.floor(next() * 10)];
      return [next() * 2 ** (next() * 40 - 20), y];
    }),
    'bit patterns of both': make(6, (next) => {
      const x = (next() < 0.5 ? -1 : 1) * anyBinade(next), y = (next() < 0.5 ? -1 : 1) * 2 ** (next() * 24 - 16) * (1 + next());
      return [x, y];
    }),
  };
}

const I = Infinity;
/** C99 Annex F, F.9.4.4, one row each (and the negative-x rules between). */
const SPECIALS: [number, number, number][] = [
  [NaN, 0, 1], [NaN, -0, 1], [I, 0, 1], [0, 0, 1], [1, NaN, 1], [1, I, 1], [1, -I, 1], [-1, I, 1], [-1, -I, 1],
  [NaN, 2, NaN], [2, NaN, NaN], [-1, NaN, NaN], [0, NaN, NaN],
  [0, -3, I], [-0, -3, -I], [0, -2, I], [-0, -2, I], [-0, -0.5, I], [0, -I, I], [-0, -I, I],
  [0, 3, 0], [-0, 3, -0], [-0, 2, 0], [-0, 0.5, 0], [0, I, 0], [-0, I, 0],
  [0.5, -I, I], [-0.5, -I, I], [2, -I, 0], [-2, -I, 0], [0.5, I, 0], [-0.5, I, 0], [2, I, I], [-2, I, I],
  [-I, -3, -0], [-I, -2, 0], [-I, -0.5, 0], [-I, 3, -I], [-I, 2, I], [-I, 0.5, I], [I, -1, 0], [I, 0.5, I],
  [-2, 0.5, NaN], [-8, 1 / 3, NaN], [-1, 0.5, NaN], [-2, 3, -8], [-2, -3, -0.125], [-2, 2, 4], [-1, 3, -1], [-1, 2, 1],
  [2, 10, 1024], [4, 0.5, 2], [10, 2, 100], [2, -1074, 2 ** -1074], [2, 1023, 2 ** 1023], [2, 1024, I], [2, -1080, 0],
];

describeBinarySweeps('pow', { families, reference: powReference, estimate: Math.pow, specials: SPECIALS, bound: { float32: 0.52, float64: 0.53 }, twins: ['results across the whole range', 'bit patterns of both', 'negative x, integer y'] });
