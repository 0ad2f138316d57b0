// An element's result does not depend on where it sits: a kernel run over a
// whole array gives each element the bits it gets run alone. The kernels
// take four vectors a step, then one, then a padded tail, and an op with a
// rare path (exp's subnormal results, a NaN) redoes a whole step when one
// lane needs it; every one of those roads must agree on the lanes they share.
// Fused expressions rely on this: they call kernels on blocks that start
// where their own chunk plan says, not where the op's would, and still give
// the composed ops' bits. Both builds, every unary and binary op.
import { describe, expect, it } from 'vitest';
import { kernelName, REGISTRY, type OpRow } from '../src/ops/registry.js';
import { BUILDS, runner } from './support/builds.js';
import { sameValue, values } from './support/data.js';

const N = 2048;
const ROWS = (REGISTRY as readonly OpRow[]).filter((row) => row.kind === 'unary' || row.kind === 'binary');

for (const build of BUILDS) {
  describe.runIf(build.compiles)(`${build.name} build`, () => {
    const run = build.compiles ? runner(build) : undefined;
    for (const row of ROWS) {
      for (const t of ['f32', 'f64'] as const) {
        it(`${row.name} ${t}: each of ${N} results, specials and rare inputs among them, is its result alone`, () => {
          const View = t === 'f32' ? Float32Array : Float64Array;
          const kernel = kernelName(row, t, 'array');
          const x = new View(values(N, 11));
          const y = row.kind === 'binary' ? new View(values(N, 12)) : undefined;
          const whole = run!(kernel, x, y);
          let differ = 0, first = '';
          for (let i = 0; i < N; i++) {
            const alone = run!(kernel, x.subarray(i, i + 1), y?.subarray(i, i + 1))[0];
            if (!sameValue(alone, whole[i])) {
              if (differ++ === 0) first = `at ${i}: ${row.name}(${x[i]}${y ? `, ${y[i]}` : ''}) is ${whole[i]} in the array, ${alone} alone`;
            }
          }
          expect(differ, first).toBe(0);
        });
      }
    }
  });
}
