// atan2 against its correctly rounded result, in ULPs, over 2^18 pairs per
// family per dtype (LANES_SWEEP=full: 2^20; small: 2^16): every binade of
// both operands, points near the diagonals (where |a| and |b| change places)
// and near the axes on either side (results near 0, ±π/2 and ±π), the
// table's midpoints (where its entry changes), quotients that underflow
// (subnormal results), operands past the fast path's 2^±400, and raw bit
// patterns; then the special values of C99 Annex F. The reference
// (support/arc-reference.ts) is double-double, checked here against
// decimal.js. Both builds; the scalar twins give the SIMD kernels' bits.
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { atan2Reference } from './support/arc-reference.js';
import { describeBinarySweeps, pairMaker } from './support/binary-sweep.js';
import { random } from './support/data.js';
import { exactDecimal } from './support/log-reference.js';

type Dtype = 'float32' | 'float64';

describe('the double-double atan2 reference', () => {
  it('agrees with decimal.js to 2^-100 relative', () => {
    const D = Decimal.clone({ precision: 70 });
    const next = random(29);
    let worst = 0;
    for (let i = 0; i < 2000; i++) {
      const spread = i % 2 ? 2000 : 40;
      const y = (next() - 0.5) * 2 ** (next() * spread - spread / 2), x = (next() - 0.5) * 2 ** (next() * spread - spread / 2);
      const ref = atan2Reference(y, x);
      if (typeof ref === 'number') continue;
      const [m, k] = Array.isArray(ref) ? [ref, 0] : [ref.m, ref.k];
      const exact = D.atan2(exactDecimal(D, y), exactDecimal(D, x)).div(new D(2).pow(k));
      worst = Math.max(worst, exactDecimal(D, m[0]).plus(exactDecimal(D, m[1])).minus(exact).div(exact).abs().toNumber());
    }
    expect(worst).toBeLessThan(2 ** -100);
  });
});

/** Pairs of a family: a and b (the point (b, a)), both of the dtype. */
function families(dtype: Dtype): Record<string, [Float64Array, Float64Array]> {
  const { emin, make, sign, anyBinade: positive } = pairMaker(dtype);
  const anyBinade = (next: () => number) => sign(next) * positive(next);
  const moderate = (next: () => number) => sign(next) * 2 ** (next() * 40 - 20) * (1 + next());
  const bits = (next: () => number) => {
    if (dtype === 'float32') return new Float32Array(new Uint32Array([Math.floor(next() * 2 ** 32)]).buffer)[0];
    return new Float64Array(new Uint32Array([Math.floor(next() * 2 ** 32), Math.floor(next() * 2 ** 32)]).buffer)[0];
  };
  return {
    'every binade, independently': make(1, (next) => [anyBinade(next), anyBinade(next)]),
    'moderate magnitudes, every quadrant': make(2, (next) => [moderate(next), moderate(next)]),
    'near the diagonals': make(3, (next) => { const x = moderate(next); return [x * sign(next) * (1 + (next() - 0.5) * 2 ** -(next() * 30)), x]; }),
    'near the axes, either side': make(4, (next) => { const x = moderate(next); const y = x * 2 ** -(next() * 60) * sign(next); return next() < 0.5 ? [y, x] : [x, y]; }),
    "the table's midpoints": make(5, (next) => { const x = moderate(next); const t = (Math.floor(next() * 64) + 0.5 + (next() - 0.5) * 2 ** -(next() * 40)) / 64; return next() < 0.5 ? [x * t * sign(next), x] : [x, x * t * sign(next)]; }),
    'quotients that underflow, and operands past 2^±400': make(6, (next) => {
      const e = dtype === 'float32' ? 2 ** (emin + 10 + next() * 20) : 2 ** (-1074 + next() * 700);
      const big = dtype === 'float32' ? 2 ** (100 + next() * 27) : 2 ** (380 + next() * 643);
      return [sign(next) * e * (1 + next()), sign(next) * big * (1 + next())];
    }),
    'bit patterns of both': make(7, (next) => [bits(next), bits(next)]),
  };
}

const { PI } = Math;
const SPECIALS: [number, number, number][] = [
  [0, 1, 0], [-0, 1, -0], [0, -1, PI], [-0, -1, -PI], [0, 0, 0], [-0, 0, -0], [0, -0, PI], [-0, -0, -PI],
  [1, 0, PI / 2], [1, -0, PI / 2], [-1, 0, -PI / 2], [-1, -0, -PI / 2],
  [Infinity, 1, PI / 2], [-Infinity, -1, -PI / 2], [1, Infinity, 0], [-1, Infinity, -0], [1, -Infinity, PI], [-1, -Infinity, -PI],
  [Infinity, Infinity, PI / 4], [-Infinity, Infinity, -PI / 4], [Infinity, -Infinity, (3 * PI) / 4], [-Infinity, -Infinity, (-3 * PI) / 4],
  [NaN, 1, NaN], [1, NaN, NaN], [NaN, NaN, NaN], [Infinity, NaN, NaN], [1, 1, PI / 4], [-1, -1, (-3 * PI) / 4],
];

describeBinarySweeps('atan2', { families, reference: atan2Reference, estimate: Math.atan2, specials: SPECIALS, bound: { float32: 0.51, float64: 0.52 }, twins: ['every binade, independently', 'quotients that underflow, and operands past 2^±400', 'bit patterns of both'] });
