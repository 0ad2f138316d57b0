// Every one of the 2^32 float32 inputs through the SIMD kernel of each unary
// op held to a ULP bound (exp, log, log2, log10, log1p), against its
// correctly rounded result: Math.* in f64 first (within 2^-29 float32 ULPs),
// and the double-double reference wherever that estimate is not clearly
// below 0.5 ULP, so the maximum is exact to ~2^-20. Special values must be
// exact. Minutes per op, so it runs only when asked:
//   LANES_EXHAUSTIVE=1 npx vitest run test/exhaustive.test.ts          every such op
//   LANES_EXHAUSTIVE=log,log1p npx vitest run test/exhaustive.test.ts  those named
import * as lanes from 'lanes';
import { describe, expect, it } from 'vitest';
import { kernelName, REGISTRY, type OpRow } from '../src/ops/registry.js';
import { getRuntime } from './support/internals.js';
import { ulpError } from './support/reference.js';

const BLOCK = 1 << 24;
const asked = process.env.LANES_EXHAUSTIVE ?? '';
const ROWS = (REGISTRY as readonly OpRow[]).filter(
  (row) => row.kind === 'unary' && !row.exact && (asked === '1' || asked.split(',').includes(row.name)),
);

if (!ROWS.length) describe.skip('float32 over every input (LANES_EXHAUSTIVE=1, or =exp,log,…)', () => it('runs on request', () => {}));

for (const row of ROWS) {
  describe(`${row.name} float32, every input`, () => {
    it('stays below 1 ULP, with exact special values', { timeout: 1_800_000 }, () => {
      const kernel = getRuntime().exports[kernelName(row, 'f32')] as (a: number, out: number, n: number) => void;
      const x = lanes.empty(BLOCK, 'float32'), y = lanes.empty(BLOCK, 'float32');
      const bits = new Uint32Array(x.buffer, x.byteOffset, BLOCK);
      let max = 0, worst = 0, sum = 0, counted = 0, wrong = 0, firstWrong = NaN;
      for (let block = 0; block < 2 ** 32 / BLOCK; block++) {
        for (let i = 0; i < BLOCK; i++) bits[i] = block * BLOCK + i;
        kernel(x.byteOffset, y.byteOffset, BLOCK);
        for (let i = 0; i < BLOCK; i++) {
          const error = ulpError(row, 'float32', x[i], y[i], 0.5);
          if (error === Infinity) {
            if (!wrong++) firstWrong = x[i];
            continue;
          }
          if (Number.isFinite(y[i]) && y[i] !== 0) (sum += error), counted++;
          if (error > max) (max = error), (worst = x[i]);
        }
      }
      console.log(`${row.name} float32, all 2^32 inputs: max ${max.toFixed(4)} ULP at x = ${worst}, mean ${(sum / counted).toFixed(4)} ULP over the ${counted} with finite nonzero results`);
      expect(wrong, `wrong special values, the first at x = ${firstWrong}`).toBe(0);
      expect(max).toBeLessThan(1);
    });
  });
}
