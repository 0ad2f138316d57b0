// npm run bench -- --suite dispatch: what a call costs at mid sizes, where
// two threads should pay off but dispatch can eat the gain.
// - breakdown: where the time of one call goes (add and exp, float32, n from
//   1e4 to 1e6), from the trace of every call (LANES_TRACE=1,
//   src/pool/trace.ts), under four patterns of calls;
// - the default against threads: 1, the same ops and patterns, untraced;
// - lanes against a C OpenMP loop that this suite builds with gcc, add, mul,
//   dot and sum, float32 and float64, at 1e5 and 1e6, on 1, 2, 4, … threads.
// lanes runs in child processes (bench/dispatch-child.ts), one per setting,
// which take turns case by case.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { markdown } from './report.js';

export type Dtype = 'float32' | 'float64';

/** How calls follow each other: what the workers are doing when the next one comes. */
export const PATTERNS = ['back-to-back', 'alternating', 'after 1 ms idle', 'after 100 ms idle'] as const;
export type Pattern = (typeof PATTERNS)[number];
export const BREAKDOWN_SIZES = [1e4, 3e4, 1e5, 3e5, 1e6];
const TIMED_OPS = ['add', 'exp'];

/** The parts of a call, in µs. */
export const PARTS = ['checks', 'planning', 'publishing', 'waking', 'chunks', 'last chunk', 'returning', 'total'] as const;
export type Part = (typeof PARTS)[number];

/** What a child is asked, one JSON line each (bench/dispatch-child.ts). */
export type Request =
  /** µs of each call of op in pattern (alternating: each followed by an untimed call of the other of add and exp). */
  | { type: 'times'; op: string; dtype: Dtype; n: number; pattern: Pattern; calls: number }
  /** The traced parts of each call, and the share of calls whose job the first worker saw before it was over. */
  | { type: 'breakdown'; op: string; n: number; pattern: Pattern; calls: number }
  /** Median ns per element of back-to-back calls, in samples of ≥ ~50 µs. */
  | { type: 'ns'; op: string; dtype: Dtype; n: number; samples: number };

/** The median of the numbers among xs (nulls and NaN, from JSON, left out); NaN if none. */
export const median = (xs: (number | null)[]) => {
  const s = xs.filter((x): x is number => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
};

/** Calls per case, by pattern: the idle patterns take their idle time per call. */
function callsFor(pattern: Pattern, quick: boolean): number {
  const full = { 'back-to-back': 400, alternating: 400, 'after 1 ms idle': 100, 'after 100 ms idle': 40 }[pattern];
  return quick ? Math.ceil(full / 3) : full;
}

/** A lanes process of the suite, with its environment. */
class Child {
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private readonly reader: Interface;

  constructor(env: Record<string, string>) {
    const script = fileURLToPath(new URL('./dispatch-child.js', import.meta.url));
    this.process = spawn(process.execPath, [script], { env: { ...process.env, ...env } });
    this.process.stderr.pipe(process.stderr);
    this.reader = createInterface({ input: this.process.stdout });
    this.lines = this.reader[Symbol.asyncIterator]();
  }

  async next<T>(): Promise<T> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error('a dispatch child exited early');
    return JSON.parse(value) as T;
  }

  ask<T>(request: Request): Promise<T> {
    this.process.stdin.write(`${JSON.stringify(request)}\n`);
    return this.next<T>();
  }

  close(): void {
    this.process.stdin.end();
    this.reader.close();
  }
}

async function start(env: Record<string, string>): Promise<Child> {
  const child = new Child(env);
  await child.next();
  return child;
}

export interface BreakdownRow {
  op: string;
  n: number;
  pattern: Pattern;
  /** Median µs of each part; NaN where the call had no such part (inline calls publish nothing). */
  parts: Record<Part, number>;
  /** Share of the calls whose job the first worker saw before it was over. */
  workerJoined: number;
}

/** The breakdown of each case, from a child with LANES_TRACE=1 and the default threads. */
export async function breakdown(quick: boolean, sizes = BREAKDOWN_SIZES): Promise<BreakdownRow[]> {
  const child = await start({ LANES_TRACE: '1' });
  const rows: BreakdownRow[] = [];
  for (const n of sizes) {
    for (const op of TIMED_OPS) {
      for (const pattern of PATTERNS) {
        const reply = await child.ask<{ samples: Record<Part, number | null>[]; joined: number }>({ type: 'breakdown', op, n, pattern, calls: callsFor(pattern, quick) });
        const parts = Object.fromEntries(PARTS.map((p) => [p, median(reply.samples.map((s) => s[p]))])) as Record<Part, number>;
        rows.push({ op, n, pattern, parts, workerJoined: reply.joined });
      }
    }
  }
  child.close();
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
 * The default against threads: 1, float32: each case runs in eight turns,
 * an eighth of its calls at a time, in a child of each setting (ABBA BAAB),
 * so that drifts of a shared machine fall on both.
 */
export async function defaultVsOne(quick: boolean, sizes: number[]): Promise<DefaultRow[]> {
  const one = await start({ LANES_THREADS: '1' });
  const byDefault = await start({});
  const rows: DefaultRow[] = [];
  for (const n of sizes) {
    for (const op of TIMED_OPS) {
      for (const pattern of PATTERNS) {
        const times: Record<'one' | 'default', number[]> = { one: [], default: [] };
        const request: Request = { type: 'times', op, dtype: 'float32', n, pattern, calls: Math.ceil(callsFor(pattern, quick) / 4) };
        const turns = [['one', one], ['default', byDefault], ['default', byDefault], ['one', one], ['default', byDefault], ['one', one], ['one', one], ['default', byDefault]] as const;
        for (const [which, child] of turns) {
          times[which].push(...(await child.ask<{ times: number[] }>(request)).times);
        }
        rows.push({ op, n, pattern, oneThread: median(times.one), byDefault: median(times.default) });
      }
    }
  }
  one.close();
  byDefault.close();
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
    return { why: `(no OpenMP figures: gcc -O3 -march=native -fopenmp failed: ${String((error as Error).message).split('\n')[0]})` };
  }
}

/**
 * lanes and the OpenMP loop on each of `steps` threads (1, 2, 4, … as far as
 * the machine has cores): for each thread count, three rounds over the cases, each case
 * timed in lanes and then in C; each figure is the median of its rounds.
 */
export async function againstOpenMP(quick: boolean, steps: number[]): Promise<{ rows: PeerRow[]; why?: string }> {
  const { binary, why } = buildOpenMP();
  if (!binary) return { rows: [], why };
  const rows: PeerRow[] = [];
  const cases = (['float32', 'float64'] as Dtype[]).flatMap((dtype) => PEER_SIZES.flatMap((n) => PEER_OPS.map((op) => ({ op, dtype, n }))));
  for (const threads of steps) {
    const child = await start({ LANES_THREADS: String(threads) });
    const rounds = cases.map(() => ({ lanes: [] as number[], openmp: [] as number[] }));
    for (let round = 0; round < 3; round++) {
      for (const [i, { op, dtype, n }] of cases.entries()) {
        rounds[i].lanes.push((await child.ask<{ ns: number }>({ type: 'ns', op, dtype, n, samples: quick ? 15 : 41 })).ns);
        const c = execFileSync(binary, [String(threads), String(n), op, dtype], { encoding: 'utf8' });
        rounds[i].openmp.push((JSON.parse(c) as { nsPerElement: number }).nsPerElement);
      }
    }
    for (const [i, c] of cases.entries()) rows.push({ ...c, threads, lanes: median(rounds[i].lanes), openmp: median(rounds[i].openmp) });
    child.close();
  }
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
