// Measures what the chunk plan needs for each op and dtype: its cost per
// element on one thread, and the least n from which the pool beats one
// thread (its cutoff). Prints them for src/ops/registry.ts.
import * as lanes from 'lanes';
import { getRuntime } from '../dist/dispatch/runtime.js';
import { REGISTRY, type OpRow } from '../dist/ops/registry.js';
import { Inputs, makeCase, type Dtype } from './cases.js';
import { poolCall } from './jobs.js';
import { medians, repeatFor, type Budget } from './measure.js';

/** n from 1024 to 4M in half-octaves. */
const GRID = Array.from({ length: 25 }, (_, i) => Math.round(1024 * 2 ** (i / 2) / 16) * 16);
/** The pool must win by this margin, at this n and every larger one. */
const MARGIN = 0.95;

export interface Calibration {
  op: string;
  dtype: Dtype;
  cost: number;
  cutoff: number;
  /** For each n of the grid: pool time over inline time. */
  ratios: [number, number][];
}

export async function calibrate(budget: Budget, ops: string[], progress: (what: string) => void): Promise<Calibration[]> {
  lanes.configure({ threads: 2 });
  await getRuntime().pool.ready();
  const results: Calibration[] = [];
  for (const dtype of ['float32', 'float64'] as const) {
    const inputs = new Inputs(dtype, GRID[GRID.length - 1]);
    for (const row of (REGISTRY as readonly OpRow[]).filter((r) => ops.includes(r.name))) {
      progress(`calibrate ${row.name} ${dtype}`);
      const inCache = 65_536;
      const probe = makeCase(row, inputs, inCache);
      const cost = (medians({ simd: probe.run.simd }, budget, repeatFor(0.02)).simd * 1e6) / inCache;
      probe.dispose();
      const ratios: [number, number][] = [];
      for (const n of GRID) {
        const call = poolCall(row, inputs, n);
        if (call.chunks < 2) {
          ratios.push([n, Infinity]);
          continue;
        }
        const t = medians({ inline: () => call.run(false), pool: () => call.run(true) }, budget, repeatFor((n * cost) / 1e6));
        ratios.push([n, t.pool / t.inline]);
      }
      let cutoff = GRID[GRID.length - 1];
      for (let i = ratios.length - 1; i >= 0 && ratios[i][1] <= MARGIN; i--) cutoff = ratios[i][0];
      results.push({ op: row.name, dtype, cost, cutoff, ratios });
    }
  }
  return results;
}
