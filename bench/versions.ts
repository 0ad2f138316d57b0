// npm run bench -- --node 20,24,26: the wasm SIMD kernel and lanes' API on one
// thread, under each Node version, side by side. One child process per (round,
// version) runs every case (bench/run.js --json-only, which calls oneThread
// below) and prints its results as JSON; the versions take turns, round after
// round, and each figure is the median across rounds of the rounds' medians.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as lanes from 'lanes';
import { getRuntime } from '../dist/dispatch/runtime.js';
import type { OpRow } from '../dist/ops/registry.js';
import { Inputs, timeCase, type Dtype } from './cases.js';
import type { Budget } from './measure.js';
import { markdown, writeJson } from './report.js';

/** What each version is timed on: the kernel alone, and the public API with threads: 1. */
const TIMED = ['simd', 'lanes'] as const;
type Timed = (typeof TIMED)[number];
const TIMED_LABELS: Record<Timed, string> = {
  simd: 'wasm SIMD kernel, 1 thread',
  lanes: 'lanes through the API, `threads: 1`',
};

export const VERSION_SIZES = [1e5, 1e6];

interface ChildRow {
  op: string;
  dtype: Dtype;
  n: number;
  /** Median ns per element. */
  ns: Record<Timed, number>;
}

/** What one child prints: who it was and its medians. */
export interface ChildResult {
  node: string;
  v8: string;
  /** The kernel module lanes chose on this engine. */
  simd: string;
  rows: ChildRow[];
}

/** The child's side (`--json-only`): every case on one thread, in order. */
export async function oneThread(rows: readonly OpRow[], sizes: number[], budget: Budget, progress: (what: string) => void): Promise<ChildResult> {
  lanes.configure({ threads: 1 });
  await getRuntime().pool.ready();
  const total = rows.length * 2 * sizes.length;
  const out: ChildRow[] = [];
  for (const dtype of ['float32', 'float64'] as Dtype[]) {
    const inputs = new Inputs(dtype, Math.max(...sizes));
    for (const row of rows) {
      for (const n of sizes) {
        progress(`Node ${process.versions.node} [${out.length + 1}/${total}] ${row.name} ${dtype} n=${n}`);
        out.push({ op: row.name, dtype, n, ns: timeCase(row, inputs, n, budget, TIMED) });
      }
    }
  }
  const info = lanes.info();
  lanes.close();
  return { node: process.versions.node, v8: process.versions.v8, simd: info.simd, rows: out };
}

interface Launch {
  /** As asked for: '24', or '24.1.0'. */
  spec: string;
  command: string;
  args: string[];
  /** How it was started, for the report. */
  how: string;
}

/** The running Node for its own version; any other from the npm registry's `node` package. */
function launcher(spec: string, script: string, childArgs: string[]): Launch {
  const running = process.versions.node;
  if (running === spec || running.startsWith(`${spec}.`)) {
    return { spec, command: process.execPath, args: [script, ...childArgs], how: 'this process\'s `node`' };
  }
  return { spec, command: 'npm', args: ['exec', '--yes', `--package=node@${spec}`, '--', 'node', script, ...childArgs], how: `\`npm exec --yes --package=node@${spec} -- node\`` };
}

/** Runs one child; its stderr (progress) goes to ours, its stdout is the JSON. */
function runChild(launch: Launch): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(launch.command, launch.args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`Node ${launch.spec}: ${launch.command} ${launch.args.join(' ')} exited with ${signal ?? code}`));
      // npm may print notices of its own: the result is the last line.
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const result = JSON.parse(line) as ChildResult;
        if (result.node !== launch.spec && !result.node.startsWith(`${launch.spec}.`)) {
          return reject(new Error(`asked for Node ${launch.spec}, but the child ran Node ${result.node}`));
        }
        resolve(result);
      } catch {
        reject(new Error(`Node ${launch.spec}: the child printed no JSON result; its stdout ended with: ${stdout.slice(-500)}`));
      }
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export interface VersionsOptions {
  /** Node versions as given to --node; the first is the baseline of the ratios. */
  specs: string[];
  rounds: number;
  ops: string[];
  sizes: number[];
  quick: boolean;
  budget: Budget;
  out: string;
  /** The command line as typed, for the report. */
  command: string;
}

export async function versions(o: VersionsOptions): Promise<void> {
  const started = performance.now();
  const script = fileURLToPath(new URL('./run.js', import.meta.url));
  const childArgs = ['--json-only', '--ops', o.ops.join(','), '--sizes', o.sizes.join(','), ...(o.quick ? ['--quick'] : [])];
  const launches = o.specs.map((spec) => launcher(spec, script, childArgs));
  const results = new Map<string, ChildResult[]>(o.specs.map((s) => [s, []]));
  const childSeconds: number[] = [];
  for (let round = 0; round < o.rounds; round++) {
    // Round-robin, starting one version later each round: no version always runs first.
    for (let i = 0; i < launches.length; i++) {
      const launch = launches[(i + round) % launches.length];
      process.stderr.write(`round ${round + 1}/${o.rounds}: Node ${launch.spec}\n`);
      const t0 = performance.now();
      results.get(launch.spec)!.push(await runChild(launch));
      childSeconds.push((performance.now() - t0) / 1000);
      if (process.stderr.isTTY) process.stderr.write('\n');
    }
  }

  const first = (spec: string) => results.get(spec)![0];
  const base = o.specs[0];
  const keys = first(base).rows.map(({ op, dtype, n }) => ({ op, dtype, n }));
  const rows = keys.map((key, i) => ({
    ...key,
    versions: Object.fromEntries(
      o.specs.map((spec) => {
        const runs = results.get(spec)!.map((r) => r.rows[i]);
        for (const r of runs) if (r.op !== key.op || r.dtype !== key.dtype || r.n !== key.n) throw new Error(`Node ${spec} ran ${r.op} ${r.dtype} ${r.n} where ${key.op} ${key.dtype} ${key.n} was expected`);
        return [spec, Object.fromEntries(TIMED.map((v) => { const ns = runs.map((r) => r.ns[v]); return [v, { median: median(ns), min: Math.min(...ns), rounds: ns }]; }))];
      }),
    ) as Record<string, Record<Timed, { median: number; min: number; rounds: number[] }>>,
  }));

  const engines = o.specs.map((spec, i) => {
    const runs = results.get(spec)!;
    const simd = [...new Set(runs.map((r) => r.simd))].join(', ');
    return { spec, node: runs[0].node, v8: runs[0].v8, simd, launched: launches[i].how };
  });
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const date = new Date().toISOString();
  const seconds = (performance.now() - started) / 1000;

  const ns = (x: number) => (x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
  const sizeName = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : `${n}`);
  const major = (spec: string) => spec.split('.')[0];
  const newer = o.specs.slice(1);
  const ratio = (spec: string, v: Timed, r: (typeof rows)[number]) => r.versions[spec][v].median / r.versions[base][v].median;
  const geomean = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
  const section = (v: Timed) => [
    `## ${TIMED_LABELS[v]}`,
    '',
    ...(newer.length ? [`Geometric mean over the table: ${newer.map((s) => `${major(s)}/${major(base)} = ${geomean(rows.map((r) => ratio(s, v, r))).toFixed(2)}×`).join(', ')}.`, ''] : []),
    markdown(
      ['op', 'dtype', 'n', ...o.specs.map((s) => `Node ${major(s)} ns/el`), ...newer.map((s) => `${major(s)}/${major(base)}`)],
      rows.map((r) => [r.op, r.dtype, sizeName(r.n), ...o.specs.map((s) => ns(r.versions[s][v].median)), ...newer.map((s) => `${ratio(s, v, r).toFixed(2)}×`)]),
    ),
  ];
  const md = [
    `# Node versions: \`${o.command}\``,
    '',
    `${cpu}, ${os.availableParallelism()} cores, ${os.platform()} ${os.arch()}; ${date.slice(0, 10)}; ${seconds.toFixed(0)} s in all.`,
    '',
    markdown(
      ['Node', 'V8', 'kernel module (`lanes.info().simd`)', 'run as'],
      engines.map((e) => [e.node, e.v8, e.simd, e.launched]),
      4,
    ),
    '',
    `How it was measured: each version ran as its own child process (\`bench/run.js --json-only\`), ${o.rounds} round${o.rounds === 1 ? '' : 's'} of every version in turn, each round starting one version later, never two at once. ` +
      `Every child ran the same cases in the same order with the same seeded inputs and the same tinybench budget (${o.quick ? '`--quick`: ' : ''}${o.budget.time} ms and at least ${o.budget.iterations} samples per task, after ${o.budget.warmupTime} ms of warm-up), ` +
      `each case warmed up and checked against the JS loop first. A figure is the median, across rounds, of the rounds' median ns per element; ` +
      `the minimum and every round's figure are in node-versions${o.quick ? '.quick' : ''}.json. A ratio is that version's time over Node ${major(base)}'s: below 1× is faster.`,
    '',
    ...section('simd'),
    '',
    ...section('lanes'),
    '',
  ].join('\n');

  mkdirSync(o.out, { recursive: true });
  const name = `${o.out}/node-versions${o.quick ? '.quick' : ''}`;
  writeFileSync(`${name}.md`, md);
  writeJson(`${name}.json`, {
    date,
    command: o.command,
    machine: { cpu, cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.arch()}` },
    rounds: o.rounds,
    quick: o.quick,
    budget: o.budget,
    baseline: base,
    engines,
    childSeconds,
    rows,
  });
  console.log(md);
  console.log(`wrote ${name}.md and .json (${seconds.toFixed(0)} s)`);
}
