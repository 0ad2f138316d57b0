// The pool on its own: the round trip of a job through warm workers, and
// what a second thread buys, call by call, for a compute-bound op (exp) and
// a memory-bound one (add).
import * as lanes from 'lanes';
import { getRuntime } from '../dist/dispatch/runtime.js';
import { REGISTRY, type OpRow } from '../dist/ops/registry.js';
import { Shape } from '../dist/pool/pool.js';
import { Inputs } from './cases.js';
import { poolCall } from './jobs.js';
import { medians, repeatFor, type Budget } from './measure.js';

export interface RoundTrip {
  threads: number;
  /** Median µs for a two-chunk job of 16 elements each: publish, a worker runs one chunk, the caller the other. */
  medianMicros: number;
  /** The same job run inline, for comparison. */
  inlineMicros: number;
}

export async function roundTrip(threads: number, budget: Budget): Promise<RoundTrip> {
  lanes.configure({ threads });
  const rt = getRuntime();
  await rt.pool.ready();
  const a = lanes.empty(32, 'float32').fill(1);
  const job = { kernel: rt.kernelIndex.get('vneg_f32')!, shape: Shape.Unary, elemBytes: 4, n: 32, chunk: 16, a: a.byteOffset, b: 0, c: 0, out: a.byteOffset };
  const repeat = 1000;
  const t = medians({ pool: () => rt.pool.runSync(job, true), inline: () => rt.pool.runSync(job, false) }, budget, repeat);
  return { threads, medianMicros: t.pool * 1000, inlineMicros: t.inline * 1000 };
}

export interface ScalingRow {
  op: string;
  dtype: 'float32';
  n: number;
  /** Median ms per call of the job on the caller alone, and on the pool with 2 threads. */
  oneThread: number;
  twoThreads: number;
  /** Median ms per call through the API: with threads: 1, and by default with 2 threads (inline below the cutoff). */
  apiOneThread: number;
  apiDefault: number;
}

export const SCALING_SIZES = [1e3, 4e3, 16e3, 64e3, 256e3, 1e6, 4e6, 16e6];
const SCALING_OPS = ['exp', 'add'];

/**
 * exp and add on float32. The job alone, inline and on the pool for every n
 * (what a second thread buys); then the API with threads: 1 and with the
 * default (is the default ever slower than one thread?).
 */
export async function scaling(budget: Budget, sizes = SCALING_SIZES, progress: (what: string) => void = () => {}): Promise<ScalingRow[]> {
  const inputs = new Inputs('float32', Math.max(...sizes));
  const rows = new Map<string, ScalingRow>();
  const find = (row: OpRow) => (REGISTRY as readonly OpRow[]).find((r) => r.name === row.name)!;
  const apiCall = (name: string, n: number) => {
    const a = inputs.lanes.a.subarray(0, n), b = inputs.lanes.b.subarray(0, n), out = inputs.lanes.out.subarray(0, n);
    return name === 'exp' ? () => lanes.exp(a, out) : () => lanes.add(a, b, out);
  };
  for (const threads of [2, 1]) {
    lanes.configure({ threads });
    await getRuntime().pool.ready();
    for (const name of SCALING_OPS) {
      const row = find({ name } as OpRow);
      for (const n of sizes) {
        progress(`threads: ${name} float32 n=${n}, ${threads} thread${threads > 1 ? 's' : ''}`);
        const repeat = repeatFor((n * row.cost.float32) / 1e6);
        const key = `${name} ${n}`;
        if (threads === 2) {
          const call = poolCall(row, inputs, n);
          const t = medians({ one: () => call.run(false), two: () => call.run(true), api: apiCall(name, n) }, budget, repeat);
          rows.set(key, { op: name, dtype: 'float32', n, oneThread: t.one, twoThreads: t.two, apiOneThread: NaN, apiDefault: t.api });
        } else {
          rows.get(key)!.apiOneThread = medians({ api: apiCall(name, n) }, budget, repeat).api;
        }
      }
    }
  }
  return [...rows.values()];
}
