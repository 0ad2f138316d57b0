// exp over every one of the 2^32 float32 inputs, SIMD kernel against
// Math.exp (accurate to ~2^-29 float32 ULPs, far finer than the errors
// measured). Minutes of work, so it runs only when asked:
//   LANES_EXHAUSTIVE=1 npx vitest run test/exp-exhaustive.test.ts
import * as lanes from 'lanes';
import { describe, expect, it } from 'vitest';
import { getRuntime } from './support/internals.js';

const BLOCK = 1 << 24;

describe.runIf(process.env.LANES_EXHAUSTIVE === '1')('exp float32, every input', () => {
  it('stays below 1 ULP, with exact special values', { timeout: 900_000 }, () => {
    const exp = getRuntime().exports.vexp_f32 as (a: number, out: number, n: number) => void;
    const x = lanes.empty(BLOCK, 'float32'), y = lanes.empty(BLOCK, 'float32');
    const bits = new Uint32Array(x.buffer, x.byteOffset, BLOCK);
    const e64 = new Float64Array(1), e32 = new Uint32Array(e64.buffer);
    let max = 0, worst = 0, sum = 0, counted = 0, wrongSpecials = 0;
    for (let block = 0; block < 2 ** 32 / BLOCK; block++) {
      for (let i = 0; i < BLOCK; i++) bits[i] = block * BLOCK + i;
      exp(x.byteOffset, y.byteOffset, BLOCK);
      for (let i = 0; i < BLOCK; i++) {
        const xi = x[i], yi = y[i];
        if (!(xi > -104 && xi < 89)) {
          // NaN stays NaN; large x overflows to +inf; very negative x gives +0.
          const ok = xi !== xi ? yi !== yi : xi >= 89 ? yi === Infinity : Object.is(yi, 0);
          if (!ok) wrongSpecials++;
          continue;
        }
        const e = Math.exp(xi);
        e64[0] = e;
        const exponent = Math.max(((e32[1] >>> 20) & 0x7ff) - 1023, -126);
        if (e >= 3.4028235677973366e38) {
          if (yi !== Infinity) wrongSpecials++; // rounds to +inf
          continue;
        }
        const error = Math.abs(yi - e) * 2 ** (23 - exponent);
        sum += error;
        counted++;
        if (error > max) (max = error), (worst = xi);
      }
    }
    console.log(`exp float32, all 2^32 inputs: max ${max.toFixed(4)} ULP at x = ${worst}, mean ${(sum / counted).toFixed(4)} ULP over the ${counted} with finite results`);
    expect(wrongSpecials).toBe(0);
    expect(max).toBeLessThan(1);
  });
});
