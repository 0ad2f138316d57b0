// npm run bench -- --suite dispatch: what a call costs at mid sizes, where
// two threads should pay off but dispatch can eat the gain.
// - breakdown: where the time of one call goes (add and exp, float32, n from
//   1e4 to 1e6), from the trace of every call (LANES_TRACE=1, in a child
//   process, src/pool/trace.ts), under four patterns of calls;
// - default vs threads: 1, the same ops and patterns, untraced;
// - lanes against a C OpenMP loop that this suite builds with gcc, add, mul,
//   dot and sum, float32 and float64, at 1e5 and 1e6.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as lanes from 'lanes';
import { getRuntime } from '../dist/dispatch/runtime.js';
import { Mark, WorkerMark } from '../dist/pool/trace.js';
import { markdown } from './report.js';

export type Dtype = 'float32' | 'float64';

/** How calls follow each other: what the workers are doing when the next one comes. */
export const PATTERNS = ['back-to-back', 'alternating', 'after 1 ms idle', 'after 100 ms idle'] as const;
export type Pattern = (typeof PATTERNS)[number];
export const BREAKDOWN_SIZES = [1e4, 3e4, 1e5, 3e5, 1e6];
const BREAKDOWN_OPS = ['add', 'exp'] as const;
type TimedOp = (typeof BREAKDOWN_OPS)[number];

/** The parts of a call, in µs, medians over the calls of one case. */
export const PARTS = ['checks', 'planning', 'publishing', 'waking', 'chunks', 'last chunk', 'returning', 'total'] as const;
export type Part = (typeof PARTS)[number];

export interface BreakdownRow {
  op: string;
  n: number;
  pattern: Pattern;
  /** Median µs of each part; NaN where the call had no such part (inline calls publish nothing). */
  parts: Record<Part, number>;
  /** Share of the calls whose job the worker saw before it was over. */
  workerJoined: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
};

/** Calls per case, by pattern: the idle patterns take their idle time per call. */
function callsFor(pattern: Pattern, quick: boolean): number {
  const full = { 'back-to-back': 400, alternating: 400, 'after 1 ms idle': 60, 'after 100 ms idle': 12 }[pattern];
  return quick ? Math.ceil(full / 3) : full;
}

interface Arrays {
  a: Float32Array | Float64Array;
  b: Float32Array | Float64Array;
  out: Float32Array | Float64Array;
}

function arrays(n: number, dtype: Dtype): Arrays {
  const a = lanes.empty(n, dtype), b = lanes.empty(n, dtype), out = lanes.empty(n, dtype);
  for (let i = 0; i < n; i++) (a[i] = (i % 17) / 8 - 1), (b[i] = 1 + (i % 5));
  return { a, b, out };
}

function opCall(op: string, { a, b, out }: Arrays): () => unknown {
  switch (op) {
    case 'add': return () => lanes.add(a, b, out);
    case 'mul': return () => lanes.mul(a, b, out);
    case 'exp': return () => lanes.exp(a, out);
    case 'sum': return () => lanes.sum(a);
    case 'dot': return () => lanes.dot(a, b);
    default: throw new Error(`no call for ${op}`);
  }
}

/**
 * Brings the call path to optimized code before anything is timed: V8 runs
 * the first few thousand calls of a function in slower tiers. Inline and
 * pool calls take different paths, so both are warmed, for every op here.
 */
async function warmCallPath(): Promise<void> {
  await getRuntime().pool.ready();
  for (const dtype of ['float32', 'float64'] as Dtype[]) {
    for (const n of [1024, 128 * 1024]) {
      const data = arrays(n, dtype);
      for (const op of ['add', 'mul', 'exp', 'sum', 'dot']) {
        const call = opCall(op, data);
        for (let i = 0; i < (n > 1024 ? 1000 : 5000); i++) call();
      }
      for (const array of Object.values(data)) lanes.free(array);
    }
  }
}

/** After a change of thread count: the new workers are up, and the call path is warm again. */
async function settle(threads: number): Promise<void> {
  lanes.configure({ threads });
  await warmCallPath();
}

/**
 * Runs `calls` calls of `op` in `pattern`, calling `each` after every timed
 * call (while nothing else runs). Alternating interleaves each call of `op`
 * with one of `other`, untimed.
 */
async function runPattern(pattern: Pattern, calls: number, call: () => unknown, other: () => unknown, each: () => void): Promise<void> {
  for (let i = 0; i < 20; i++) call(), pattern === 'alternating' && other();
  for (let i = 0; i < calls; i++) {
    if (pattern === 'after 1 ms idle') await sleep(1);
    if (pattern === 'after 100 ms idle') await sleep(100);
    call();
    each();
    if (pattern === 'alternating') other();
  }
}

/** In a process started with LANES_TRACE=1: the breakdown of each case. */
export async function breakdown(quick: boolean, sizes = BREAKDOWN_SIZES): Promise<BreakdownRow[]> {
  const trace = getRuntime().pool.trace;
  if (!trace) throw new Error('the breakdown needs LANES_TRACE=1 when lanes starts');
  await warmCallPath();
  const rows: BreakdownRow[] = [];
  for (const n of sizes) {
    const data = arrays(n, 'float32');
    for (const op of BREAKDOWN_OPS) {
      const other: TimedOp = op === 'add' ? 'exp' : 'add';
      for (const pattern of PATTERNS) {
        const samples: Record<Part, number>[] = [];
        let joined = 0;
        await runPattern(pattern, callsFor(pattern, quick), opCall(op, data), opCall(other, data), () => {
          const { caller: c, workers } = trace.row(trace.calls);
          const seen = workers[0][WorkerMark.Seen];
          const published = c[Mark.Published];
          const started = Number.isNaN(published) ? c[Mark.Prepared] : published;
          const settled = Number.isNaN(c[Mark.Settled]) ? c[Mark.Claimed] : c[Mark.Settled];
          if (!Number.isNaN(seen) && seen < settled) joined++;
          const us = (from: number, to: number) => (to - from) * 1000;
          samples.push({
            checks: us(c[Mark.Enter], c[Mark.Checked]),
            planning: us(c[Mark.Checked], c[Mark.Prepared]),
            publishing: us(c[Mark.Prepared], published),
            waking: us(published, seen),
            chunks: us(started, c[Mark.Claimed]),
            'last chunk': us(c[Mark.Claimed], c[Mark.Settled]),
            returning: us(settled, c[Mark.Returned]),
            total: us(c[Mark.Enter], c[Mark.Returned]),
          });
        });
        const parts = Object.fromEntries(PARTS.map((p) => [p, median(samples.map((s) => s[p]))])) as Record<Part, number>;
        rows.push({ op, n, pattern, parts, workerJoined: joined / samples.length });
      }
    }
  }
  return rows;
}

export interface DefaultRow {
  op: string;
  n: number;
  pattern: Pattern;
  /** Median µs per call with threads: 1 and with the default (one thread per core). */
  oneThread: number;
  byDefault: number;
}

/**
 * Default vs threads: 1 for add and exp, float32, in every pattern. For each
 * n the two settings take turns, twice each, so that drifts of a shared
 * machine fall on both.
 */
export async function defaultVsOne(quick: boolean, sizes: number[]): Promise<DefaultRow[]> {
  const threads = os.availableParallelism();
  const rows: DefaultRow[] = [];
  for (const n of sizes) {
    const data = arrays(n, 'float32');
    const times = new Map<string, Record<'one' | 'default', number[]>>();
    for (const which of ['one', 'default', 'one', 'default'] as const) {
      await settle(which === 'one' ? 1 : threads);
      for (const op of BREAKDOWN_OPS) {
        for (const pattern of PATTERNS) {
          const key = `${op} ${pattern}`;
          if (!times.has(key)) times.set(key, { one: [], default: [] });
          const call = opCall(op, data);
          const timed = () => {
            const start = performance.now();
            call();
            times.get(key)![which].push((performance.now() - start) * 1000);
          };
          await runPattern(pattern, Math.ceil(callsFor(pattern, quick) / 2), timed, opCall(op === 'add' ? 'exp' : 'add', data), () => {});
        }
      }
    }
    for (const op of BREAKDOWN_OPS) {
      for (const pattern of PATTERNS) {
        const t = times.get(`${op} ${pattern}`)!;
        rows.push({ op, n, pattern, oneThread: median(t.one), byDefault: median(t.default) });
      }
    }
    for (const array of Object.values(data)) lanes.free(array);
  }
  lanes.configure({ threads });
  return rows;
}

export interface PeerRow {
  op: string;
  dtype: Dtype;
  n: number;
  threads: number;
  /** Median ns per element, back-to-back calls on the same arrays. */
  lanes: number;
  openmp: number;
}

export const PEER_OPS = ['add', 'mul', 'dot', 'sum'];
export const PEER_SIZES = [1e5, 1e6];

/** Builds bench/openmp.c in a temporary folder; undefined (and why) if gcc or OpenMP is missing. */
function buildOpenMP(): { binary?: string; why?: string } {
  const source = fileURLToPath(new URL('./openmp.c', import.meta.url));
  const binary = path.join(mkdtempSync(path.join(os.tmpdir(), 'lanes-openmp-')), 'openmp');
  try {
    execFileSync('gcc', ['-O3', '-march=native', '-fopenmp', '-o', binary, source], { stdio: 'pipe' });
    return { binary };
  } catch (error) {
    return { why: `gcc -O3 -march=native -fopenmp failed: ${String((error as Error).message).split('\n')[0]}` };
  }
}

/** Median ns per element of back-to-back calls, timed in samples of ≥ ~50 µs as the C side does. */
function nsPerElement(call: () => unknown, n: number, samples: number): number {
  for (let i = 0; i < 50; i++) call();
  let start = performance.now();
  for (let i = 0; i < 20; i++) call();
  const repeat = Math.max(1, Math.ceil(0.05 / ((performance.now() - start) / 20)));
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    start = performance.now();
    for (let i = 0; i < repeat; i++) call();
    times.push(((performance.now() - start) * 1e6) / repeat / n);
  }
  return median(times);
}

/** lanes and the OpenMP loop, 1 and 2 threads, one after the other for each thread count. */
export async function againstOpenMP(quick: boolean): Promise<{ rows: PeerRow[]; why?: string }> {
  const { binary, why } = buildOpenMP();
  if (!binary) return { rows: [], why };
  const rows: PeerRow[] = [];
  const threadCounts = [...new Set([1, Math.min(2, os.availableParallelism())])];
  for (const threads of threadCounts) {
    await settle(threads);
    const openmp = execFileSync(binary, [String(threads), PEER_SIZES.join(',')], { encoding: 'utf8' })
      .trim().split('\n').map((line) => JSON.parse(line) as { op: string; dtype: Dtype; n: number; nsPerElement: number });
    for (const dtype of ['float32', 'float64'] as Dtype[]) {
      for (const n of PEER_SIZES) {
        const data = arrays(n, dtype);
        for (const op of PEER_OPS) {
          const c = openmp.find((r) => r.op === op && r.dtype === dtype && r.n === n)!;
          rows.push({ op, dtype, n, threads, lanes: nsPerElement(opCall(op, data), n, quick ? 31 : 101), openmp: c.nsPerElement });
        }
        for (const array of Object.values(data)) lanes.free(array);
      }
    }
  }
  lanes.configure({ threads: os.availableParallelism() });
  return { rows };
}

const fmt = (x: number | null) => (x === null || Number.isNaN(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const sizeName = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

export function breakdownTable(rows: BreakdownRow[]): string {
  return markdown(
    ['op', 'n', 'pattern', ...PARTS.map((p) => `${p} µs`), 'worker joined'],
    rows.map((r) => [r.op, sizeName(r.n), r.pattern, ...PARTS.map((p) => fmt(r.parts[p])), `${(r.workerJoined * 100).toFixed(0)}%`]),
  );
}

export function defaultTable(rows: DefaultRow[]): string {
  return markdown(
    ['op', 'n', 'pattern', 'threads: 1 µs', 'default µs', 'default / threads: 1'],
    rows.map((r) => [r.op, sizeName(r.n), r.pattern, fmt(r.oneThread), fmt(r.byDefault), (r.byDefault / r.oneThread).toFixed(3)]),
  );
}

export function peerTable(rows: PeerRow[]): string {
  return markdown(
    ['op', 'dtype', 'n', 'threads', 'lanes ns/el', 'OpenMP ns/el', 'lanes speed / OpenMP'],
    rows.map((r) => [r.op, r.dtype, sizeName(r.n), String(r.threads), r.lanes.toFixed(3), r.openmp.toFixed(3), `${(r.openmp / r.lanes).toFixed(2)}×`]),
  );
}
