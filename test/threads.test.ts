// Results do not depend on the thread count: for every op-table row and
// dtype, at sizes straddling chunk boundaries, 2, 3 and 4 threads give the
// same bits as 1 (reductions included: partials are combined in chunk order).
import * as lanes from 'lanes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { firstDifference, values, VIEW } from './support/data.js';
import { getRuntime, plan } from './support/internals.js';

const THREADS = [1, 2, 3, 4];

async function withThreads<T>(threads: number, run: () => T): Promise<T> {
  lanes.configure({ threads });
  await getRuntime().pool.ready();
  return run();
}

afterAll(() => void lanes.configure({ threads: 2 }));
beforeAll(async () => {
  await withThreads(4, () => 0); // start every worker once
});

for (const row of REGISTRY as readonly OpRow[]) {
  for (const dtype of ['float32', 'float64'] as const) {
    const bytes = dtype === 'float32' ? 4 : 8;
    const planFor = (n: number) => plan(n, row.cost[dtype], bytes, row.cutoff[dtype]);
    // Large calls use chunks of a fixed length: straddle their boundaries (±1);
    // plus one call just past the cutoff, where chunks are n/8 long.
    const chunk = planFor(1e9).chunk;
    const k = Math.max(9, Math.ceil(row.cutoff[dtype] / chunk));
    const sizes = [k * chunk - 1, k * chunk + 1, (k + 11) * chunk + 5, row.cutoff[dtype] + 3];

    describe(`${row.name} ${dtype}`, () => {
      it(`bit-identical for ${THREADS.join(', ')} threads at n = ${sizes.join(', ')}`, async () => {
        for (const n of sizes) {
          expect(planFor(n).parallel).toBe(true);
          const a = lanes.from(new VIEW[dtype](values(n, n).map((x) => (Math.abs(x) < 1e30 ? x : 0.25))));
          const b = lanes.from(new VIEW[dtype](values(n, n + 1).map((x) => (Math.abs(x) < 1e30 ? x : 0.5))));
          const op = lanes[row.name] as (...args: unknown[]) => lanes.FloatArray | number;
          const call = () => (row.kind === 'binary' || row.kind === 'dot' ? op(a, b) : op(a));
          const results = [];
          for (const threads of THREADS) results.push(await withThreads(threads, call));
          for (let t = 1; t < THREADS.length; t++) {
            if (typeof results[0] === 'number') expect(Object.is(results[t], results[0]), `${THREADS[t]} threads`).toBe(true);
            else expect(firstDifference(results[t] as lanes.FloatArray, results[0] as lanes.FloatArray), `${THREADS[t]} threads, n = ${n}`).toBe(-1);
          }
        }
      });
    });
  }
}

describe('the chunk plan', () => {
  it('depends on n and the op, never on the thread count, and uses whole unrolled steps', () => {
    for (const row of REGISTRY as readonly OpRow[]) {
      for (const bytes of [4, 8]) {
        const dtype = bytes === 4 ? 'float32' : 'float64';
        for (const n of [1, 1000, 65_537, 1e6, 1e8]) {
          const p = plan(n, row.cost[dtype], bytes, row.cutoff[dtype]);
          expect((p.chunk * bytes) % 64).toBe(0);
          expect(p.chunks).toBe(Math.ceil(n / p.chunk));
          expect(p.chunk * bytes).toBeLessThanOrEqual(256 * 1024); // the reduction bound assumes it
          expect(p.parallel).toBe(p.chunks > 1 && n >= row.cutoff[dtype]);
        }
      }
    }
  });
});
