// hypot against its correctly rounded result, in ULPs, over 2^18 pairs per
// family per dtype (LANES_SWEEP=full: 2^20; small: 2^16): bit patterns of
// every binade, magnitudes close together and far apart, pairs whose squares
// overflow or underflow, and the special values of C99 Annex F. The
// reference (support/reference.ts) is double-double, checked here against
// decimal.js. Both builds; the scalar twins give the SIMD kernels' bits.
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { describeBinarySweeps, pairMaker } from './support/binary-sweep.js';
import { random } from './support/data.js';
import { exactDecimal } from './support/log-reference.js';
import { exactOf } from './support/reference.js';

type Dtype = 'float32' | 'float64';

describe('the double-double hypot reference', () => {
  it('agrees with decimal.js to 2^-100 relative', () => {
    const D = Decimal.clone({ precision: 70 });
    const next = random(17);
    let worst = 0;
    for (let i = 0; i < 2000; i++) {
      const x = (next() - 0.5) * 2 ** (next() * 2000 - 1000), y = (next() - 0.5) * 2 ** (next() * 2000 - 1000);
      const { m, k } = exactOf('hypot', x, y) as { m: [number, number]; k: number };
      const exact = exactDecimal(D, x).pow(2).plus(exactDecimal(D, y).pow(2)).sqrt().div(new D(2).pow(k));
      worst = Math.max(worst, exactDecimal(D, m[0]).plus(exactDecimal(D, m[1])).minus(exact).div(exact).abs().toNumber());
    }
    expect(worst).toBeLessThan(2 ** -100);
  });
});

/** Pairs of a family: x and y, both of the dtype. */
function families(dtype: Dtype): Record<string, [Float64Array, Float64Array]> {
  const { emin, emax, make, sign, anyBinade: positive } = pairMaker(dtype);
  const anyBinade = (next: () => number) => sign(next) * positive(next);
  const large = 2 ** (emax - 3), small = 2 ** (emin + 30);
  return {
    'every binade, independently': make(1, (next) => [anyBinade(next), anyBinade(next)]),
    'magnitudes within a factor of 2': make(2, (next) => { const x = anyBinade(next); return [x, x * (0.5 + next() * 1.5)]; }),
    'magnitudes 2^-10 to 2^-60 apart': make(3, (next) => { const x = (next() * 2 - 1) * 2 ** (next() * 40); return [x, x * 2 ** -(10 + next() * 50)]; }),
    'squares that overflow': make(4, (next) => [large * (1 + next() * 6), sign(next) * large * next() * 7]),
    'squares that underflow, subnormal inputs': make(5, (next) => [small * next() * 2 ** -30, small * next() * 2 ** -(20 + next() * 10)]),
  };
}

const SPECIALS: [number, number, number][] = [
  [Infinity, NaN, Infinity], [NaN, -Infinity, Infinity], [-Infinity, 3, Infinity], [NaN, 1, NaN], [2, NaN, NaN],
  [0, 0, 0], [-0, -0, 0], [-3, 0, 3], [0, -7, 7], [3, 4, 5], [-5, 12, 13],
];

describeBinarySweeps('hypot', { families, reference: (x, y) => exactOf('hypot', x, y), estimate: Math.hypot, specials: SPECIALS, bound: { float32: 0.51, float64: 0.52 }, twins: ['every binade, independently'] });
