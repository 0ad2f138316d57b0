// Results do not depend on the thread count: for every op-table row and
// dtype, at sizes straddling chunk boundaries, 2, 3 and 4 threads give the
// same bits as 1 (reductions included: partials are combined in chunk order).
// Every case runs once per thread count, the thread counts in the outer loop
// (starting workers costs more than the calls), and elementwise results are
// compared through a 64-bit digest of their bytes.
import * as lanes from 'lanes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { values, VIEW } from './support/data.js';
import { arity } from './support/reference.js';
import { getRuntime, plan } from './support/internals.js';

const THREADS = [1, 2, 3, 4];
type Dtype = 'float32' | 'float64';

interface Case {
  row: OpRow;
  dtype: Dtype;
  sizes: number[];
  /** Per size, per thread count: the reduction's value, or the result's digest. */
  seen: (number | string)[][];
}

const cases: Case[] = [];
for (const row of REGISTRY as readonly OpRow[]) {
  for (const dtype of ['float32', 'float64'] as const) {
    const bytes = dtype === 'float32' ? 4 : 8;
    const planFor = (n: number) => plan(n, row.cost[dtype], bytes, row.cutoff[dtype]);
    // Large calls use chunks of a fixed length: straddle their boundaries (±1);
    // plus one call just past the cutoff, where chunks are n/8 long.
    const chunk = planFor(1e9).chunk;
    const k = Math.max(9, Math.ceil(row.cutoff[dtype] / chunk));
    const sizes = [k * chunk - 1, k * chunk + 1, (k + 11) * chunk + 5, row.cutoff[dtype] + 3];
    for (const n of sizes) expect(planFor(n).parallel, `${row.name} ${dtype} n = ${n}`).toBe(true);
    cases.push({ row, dtype, sizes, seen: sizes.map(() => []) });
  }
}

/** Inputs for every size: made once per dtype, finite, and taken as prefixes. */
const longest = Math.max(...cases.flatMap((c) => c.sizes));
const pools = new Map<Dtype, [lanes.FloatArray, lanes.FloatArray]>();
function inputs(dtype: Dtype): [lanes.FloatArray, lanes.FloatArray] {
  let pool = pools.get(dtype);
  if (!pool) {
    const make = (seed: number, fill: number) => lanes.from(new VIEW[dtype](values(longest, seed).map((x) => (Math.abs(x) < 1e30 ? x : fill))));
    pools.set(dtype, (pool = [make(1, 0.25), make(2, 0.5)]));
  }
  return pool;
}

/** The bytes of an array, as two 32-bit multiplicative hashes. */
function digest(array: lanes.FloatArray): string {
  const words = new Uint32Array(array.buffer, array.byteOffset, array.byteLength / 4);
  let h1 = 0x811c9dc5, h2 = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    h1 = Math.imul(h1 ^ words[i], 0x01000193);
    h2 = Math.imul(h2 + words[i], 0x85ebca6b) ^ (h2 >>> 13);
  }
  return `${(h1 >>> 0).toString(16)}.${(h2 >>> 0).toString(16)}`;
}

beforeAll(async () => {
  for (const threads of THREADS) {
    lanes.configure({ threads });
    await getRuntime().pool.ready();
    for (const c of cases) {
      const [a, b] = inputs(c.dtype);
      const op = lanes[c.row.name] as (...args: unknown[]) => lanes.FloatArray | number;
      c.sizes.forEach((n, s) => {
        const x = a.subarray(0, n), y = b.subarray(0, n);
        const result = op(...[x, y, y].slice(0, arity(c.row)));
        if (typeof result === 'number') c.seen[s].push(result);
        else {
          c.seen[s].push(digest(result));
          lanes.free(result);
        }
      });
    }
  }
}, 300_000);

afterAll(() => void lanes.configure({ threads: 2 }));

for (const c of cases) {
  describe(`${c.row.name} ${c.dtype}`, () => {
    it(`bit-identical for ${THREADS.join(', ')} threads at n = ${c.sizes.join(', ')}`, () => {
      c.sizes.forEach((n, s) => {
        expect(c.seen[s].length).toBe(THREADS.length);
        for (let t = 1; t < THREADS.length; t++) expect(Object.is(c.seen[s][t], c.seen[s][0]), `${THREADS[t]} threads, n = ${n}`).toBe(true);
      });
    });
  });
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
