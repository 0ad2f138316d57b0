// Fused expressions on the pool: results, reductions included, are the same
// bits for 1, 2, 3 and 4 threads, and a worker dying mid-call fails the call
// with the pool's error while the pool heals.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { firstDifference, values, VIEW } from './support/data.js';
import { getRuntime } from './support/internals.js';

const THREADS = [1, 2, 3, 4];
const EXPRESSIONS = ['2*a + 3*b*c', 'where(a > b, a - b, 0)', 'sqrt(a*a + b*b)', 'sum(a*b)', 'dot(a + 1, b)', 'mean(exp(-(c*c)/2))', 'min(a*b)', 'max(where(a < 0, -a, b))', 'sum(a)'];

async function withThreads<T>(threads: number, run: () => T): Promise<T> {
  lanes.configure({ threads });
  await getRuntime().pool.ready();
  return run();
}

afterAll(() => void lanes.configure({ threads: 2 }));

describe('any thread count gives the same bits', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(dtype, async () => {
      for (const n of [400_003]) {
        const vars = Object.fromEntries(['a', 'b', 'c'].map((name, i) => [name, lanes.from(new VIEW[dtype](values(n, n + i).map((x) => (Math.abs(x) < 1e30 ? x : 0.5))))]));
        for (const source of EXPRESSIONS) {
          const results = [];
          for (const threads of THREADS) results.push(await withThreads(threads, () => lanes.evaluate(source, vars)));
          for (let t = 1; t < THREADS.length; t++) {
            if (typeof results[0] === 'number') expect(Object.is(results[t], results[0]), `${source}, ${THREADS[t]} threads`).toBe(true);
            else expect(firstDifference(results[t] as lanes.FloatArray, results[0] as lanes.FloatArray), `${source}, ${THREADS[t]} threads, n = ${n}`).toBe(-1);
          }
        }
      }
    });
  }
});

describe('a worker that dies mid-call', () => {
  it('fails the call with the pool’s error, and the pool heals', async () => {
    const n = 16_000_000;
    const a = lanes.empty(n, 'float64').fill(0.5);
    const pool = await withThreads(2, () => getRuntime().pool);
    pool.terminateWorker(0, 10);
    const error = await lanesAsync.evaluate('exp(a) * exp(a) + exp(a)', { a }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^lanes: worker thread 1 exited with code 1 in the middle of the call \(kernel program\); the pool has replaced it$/);
    await pool.ready();
    expect(pool.online).toBe(1);
    expect(lanes.evaluate('sum(a * 2)', { a: a.subarray(0, 1_000_000) })).toBe(1_000_000);
    // The replacement worker has the programs loaded before it started.
    const small = { a: a.subarray(0, 1_000_000) };
    const again = lanes.evaluate('exp(a) * exp(a) + exp(a)', small) as Float64Array;
    const inline = await withThreads(1, () => lanes.evaluate('exp(a) * exp(a) + exp(a)', small) as Float64Array);
    expect(firstDifference(again, inline)).toBe(-1);
    lanes.free(a);
  });
});
