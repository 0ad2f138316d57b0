// npm run bench: every op of the op table, float32 and float64, at n from
// 1e3 to 1.6e7, as a plain JS loop, wasm scalar, wasm SIMD (both on one
// thread) and lanes (SIMD on every thread); plus the copy bandwidth as the
// roofline, the pool's round trip and its 1- vs 2-thread scaling.
//
//   --quick            fewer sizes, shorter timing (about 30 s)
//   --ops add,exp      only these ops
//   --sizes 1e3,1e6    only these sizes
//   --threads N        threads for lanes (default: one per core)
//   --calibrate        measure each op's cost and cutoff for the op table instead
//   --node 20,24,26    compare Node versions instead: every op, float32 and
//                      float64, at n = 1e5 and 1e6 (or --sizes), the wasm SIMD
//                      kernel and the API with threads: 1, under each version
//                      in turn, one child process each, round after round;
//                      writes node-versions.md and .json (node-versions.quick.*
//                      with --quick). Versions other than this one come from the
//                      npm registry (npm exec --package=node@24); the first
//                      listed is the baseline of the ratios. 20,24,26 takes
//                      about 4–5 min (about 2 min with --quick) on 2 cores.
//   --rounds N         rounds of --node (default 3)
//   --out DIR          where the JSON and SVGs go (default: bench/results)
//   --suite ops|expr|tasks|dispatch|reductions  only the op table, only fused
//                      expressions (bench/expr.ts), only the user's tasks vs
//                      piscina (bench/tasks.ts), only the cost of a call at mid
//                      sizes and lanes vs a C OpenMP loop (bench/dispatch.ts), or
//                      only min, max, prod, argmax, var, norm… (bench/reductions.ts);
//                      default all
//   --json-only        (internal, for --node) run the --node cases here and
//                      print the results as JSON on stdout
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import * as lanes from 'lanes';
import { getRuntime } from '../dist/dispatch/runtime.js';
import { REGISTRY, type OpRow } from '../dist/ops/registry.js';
import { calibrate } from './calibrate.js';
import { bytesPerElement, Inputs, timeCase, VARIANTS, type Dtype } from './cases.js';
import { FULL, QUICK, threadSteps } from './measure.js';
import { roundTrip, scaling, SCALING_SIZES } from './pool.js';
import { chart, markdown, table, writeJson, type Row } from './report.js';
import { copyBandwidth, parallelCopyBandwidth } from './roofline.js';
import { exprSuite } from './expr.js';
import { tasksSuite } from './tasks.js';
import { reductionsSuite } from './reductions.js';
import { againstOpenMP, breakdown as dispatchBreakdown, breakdownTable, defaultTable, defaultVsOne, peerTable, type BreakdownRow, type DefaultRow, type PeerRow } from './dispatch.js';
import { oneThread, versions, VERSION_SIZES } from './versions.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    ops: { type: 'string' },
    sizes: { type: 'string' },
    threads: { type: 'string' },
    calibrate: { type: 'boolean', default: false },
    node: { type: 'string' },
    rounds: { type: 'string' },
    'json-only': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results' },
    suite: { type: 'string', default: 'all' },
  },
});

const ALL_OPS = (REGISTRY as readonly OpRow[]).map((r) => r.name);
const ops = flags.ops ? flags.ops.split(',') : ALL_OPS;
for (const op of ops) if (!ALL_OPS.includes(op)) throw new Error(`--ops: unknown op '${op}'; the ops are ${ALL_OPS.join(', ')}`);
const versionMode = flags.node !== undefined || flags['json-only'];
const sizes = flags.sizes ? flags.sizes.split(',').map(Number) : versionMode ? VERSION_SIZES : flags.quick ? [1e3, 1e5, 1e6] : [1e3, 1e4, 1e5, 1e6, 4e6, 1.6e7];
if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new Error(`--sizes: expected positive integers, got ${flags.sizes}`);
const threads = flags.threads ? Number(flags.threads) : os.availableParallelism();
const budget = flags.quick ? QUICK : FULL;
const rows = (REGISTRY as readonly OpRow[]).filter((r) => ops.includes(r.name));
/** Ops whose work is moving memory: their GB/s is compared with a copy's. */
const MEMORY_BOUND = new Set(['add', 'sub', 'mul', 'div', 'min', 'max', 'neg', 'abs', 'sum', 'dot']);
/** ...when their arrays are past the caches, as the copy's are (64 MiB each way). */
const ROOFLINE_BYTES = 64 * 2 ** 20;

const started = performance.now();
const progress = (what: string) => {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${elapsed}s  ${what}`);
  else process.stderr.write(`${elapsed}s  ${what}\n`);
};

async function main() {
  if (flags['json-only']) {
    const result = await oneThread(rows, sizes, budget, progress);
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  if (flags.node !== undefined) {
    const specs = [...new Set(flags.node.split(',').map((v) => v.trim().replace(/^v/, '')))];
    if (!specs.length || specs.some((v) => !/^\d+(\.\d+){0,2}$/.test(v))) throw new Error(`--node: expected Node versions such as 20,24,26, got '${flags.node}'`);
    const rounds = flags.rounds ? Number(flags.rounds) : 3;
    if (!Number.isSafeInteger(rounds) || rounds < 1) throw new Error(`--rounds: expected a positive integer, got '${flags.rounds}'`);
    const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`;
    await versions({ specs, rounds, ops, sizes, quick: flags.quick!, budget, out: flags.out!, command });
    return;
  }
  // --calibrate measures the op table only.
  const suite = flags.calibrate ? 'ops' : flags.suite;
  if (suite === 'all' || suite === 'dispatch') await dispatch();
  if (suite === 'dispatch') return;
  if (suite === 'all' || suite === 'tasks') await tasks();
  if (suite === 'tasks') return;
  if (suite === 'all' || suite === 'reductions') await reductions();
  if (suite === 'reductions') return;
  if (suite !== 'ops') await expressions();
  if (suite === 'expr') return;
  if (flags.calibrate) {
    const results = await calibrate(budget, ops, progress);
    process.stderr.write('\n');
    console.log(markdown(['op', 'dtype', 'cost ns/el', 'cutoff n'], results.map((r) => [r.op, r.dtype, r.cost.toFixed(3), String(r.cutoff)])));
    console.log('\npool/inline time by n:');
    for (const r of results) console.log(`${r.op} ${r.dtype}: ${r.ratios.map(([n, x]) => `${n}:${Number.isFinite(x) ? x.toFixed(2) : '-'}`).join(' ')}`);
    console.log('\nfor src/ops/registry.ts:');
    for (const op of ops) {
      const [f32, f64] = (['float32', 'float64'] as const).map((d) => results.find((r) => r.op === op && r.dtype === d)!);
      console.log(`  ${op}: cost: { float32: ${f32.cost.toPrecision(2)}, float64: ${f64.cost.toPrecision(2)} }, cutoff: { float32: ${f32.cutoff}, float64: ${f64.cutoff} }`);
    }
    return;
  }

  lanes.configure({ threads });
  await getRuntime().pool.ready();
  progress('copy bandwidth');
  const copyGBps = copyBandwidth(budget);
  const parallelCopyGBps = threads > 1 ? await parallelCopyBandwidth(threads, flags.quick ? 15 : 40) : copyGBps;

  const total = rows.length * 2 * sizes.length;
  const results: Row[] = [];
  for (const dtype of ['float32', 'float64'] as Dtype[]) {
    const inputs = new Inputs(dtype, Math.max(...sizes));
    for (const row of rows) {
      for (const n of sizes) {
        progress(`[${results.length + 1}/${total}] ${row.name} ${dtype} n=${n}`);
        const ns = timeCase(row, inputs, n, budget, VARIANTS);
        const bytes = bytesPerElement(row, dtype);
        const gbps = Object.fromEntries(VARIANTS.map((v) => [v, bytes / ns[v]])) as Row['gbps'];
        const roofline = MEMORY_BOUND.has(row.name) && n * bytes >= ROOFLINE_BYTES ? gbps.lanes / parallelCopyGBps : undefined;
        results.push({ op: row.name, dtype, n, ns, gbps, roofline });
      }
    }
  }

  progress('pool round trip');
  const trips = [await roundTrip(2, budget), ...(threads > 2 ? [await roundTrip(threads, budget)] : [])];
  const scalingRows = await scaling(budget, flags.quick ? [1e3, 16e3, 256e3, 1e6] : SCALING_SIZES, progress);
  lanes.configure({ threads });
  process.stderr.write('\n');

  const us = (ms: number) => (ms * 1000).toPrecision(3);
  const report = [
    `lanes benchmark: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, Node ${process.version}, lanes with ${threads} threads (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Copy bandwidth (the roofline): ${copyGBps.toFixed(1)} GB/s on one thread, ${parallelCopyGBps.toFixed(1)} GB/s on ${threads}. '% copy' is lanes' GB/s against the latter, for memory-bound ops moving ≥ 64 MiB.`,
    '',
    table(results),
    '',
    'Pool round trip (a two-chunk job, warm workers): ' + trips.map((t) => `${t.threads} threads ${t.medianMicros.toFixed(2)} µs (inline ${t.inlineMicros.toFixed(2)} µs)`).join('; '),
    '',
    '1 thread vs 2 threads, float32, median µs per call: the job inline and on the pool; the API with threads: 1 and by default.',
    '',
    markdown(
      ['op', 'n', '1 thread', '2 threads', 'speedup', 'API threads: 1', 'API default', 'default / threads: 1'],
      scalingRows.map((r) => [r.op, String(r.n), us(r.oneThread), us(r.twoThreads), `${(r.oneThread / r.twoThreads).toFixed(2)}×`, us(r.apiOneThread), us(r.apiDefault), (r.apiDefault / r.apiOneThread).toFixed(3)]),
    ),
  ].join('\n');
  console.log(`\n${report}`);

  mkdirSync(flags.out!, { recursive: true });
  const machine = { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, v8: process.versions.v8, platform: `${os.platform()} ${os.arch()}` };
  const json = `${flags.out}/${flags.quick ? 'quick' : 'latest'}.json`;
  writeFileSync(`${flags.out}/${flags.quick ? 'quick' : 'latest'}.md`, `# \`npm run bench${flags.quick ? ' -- --quick' : ''}\`\n\n${report}\n`);
  writeJson(json, { date: new Date().toISOString(), machine, threads, quick: flags.quick, copyGBps, parallelCopyGBps, rows: results, roundTrip: trips, scaling: scalingRows });
  for (const op of new Set(results.map((r) => r.op))) {
    writeFileSync(`${flags.out}/${op}${flags.quick ? '.quick' : ''}.svg`, await chart(op, results.filter((r) => r.op === op), threads));
  }
  console.log(`\nwrote ${json}, the same tables as .md, and one SVG per op in ${flags.out}/ (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

/** bench/expr.ts: its tables on the console and in expr(.quick).md and .json. */
async function expressions() {
  const exprSizes = flags.sizes ? sizes : flags.quick ? [1e3, 1e6] : [1e3, 1e6, 1.6e7];
  const { rows: exprRows, lines } = await exprSuite(budget, exprSizes, threadSteps(threads), progress);
  process.stderr.write('\n');
  const text = [`Fused expressions (${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}); ratios are times of the other way over evaluate's:`, '', ...lines].join('\n');
  console.log(`\n${text}\n`);
  mkdirSync(flags.out!, { recursive: true });
  const name = `${flags.out}/expr${flags.quick ? '.quick' : ''}`;
  writeFileSync(`${name}.md`, `# \`npm run bench -- --suite expr${flags.quick ? ' --quick' : ''}\`\n\n${text}\n`);
  writeJson(`${name}.json`, { date: new Date().toISOString(), node: process.version, rows: exprRows });
}

/** bench/reductions.ts: its table on the console and in reductions(.quick).md. */
async function reductions() {
  const lines = await reductionsSuite(budget, 1e6, threadSteps(threads), progress);
  process.stderr.write('\n');
  const text = [`Reductions of one array (${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}):`, '', ...lines].join('\n');
  console.log(`\n${text}\n`);
  mkdirSync(flags.out!, { recursive: true });
  writeFileSync(`${flags.out}/reductions${flags.quick ? '.quick' : ''}.md`, `# \`npm run bench -- --suite reductions${flags.quick ? ' --quick' : ''}\`\n\n${text}\n`);
}

/** bench/tasks.ts: its tables on the console and in tasks(.quick).md and .json. */
async function tasks() {
  const { result, lines } = await tasksSuite(flags.quick!, threadSteps(threads), progress);
  process.stderr.write('\n');
  const text = [`The user's tasks (${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, Node ${process.version}):`, '', ...lines].join('\n');
  console.log(`\n${text}\n`);
  mkdirSync(flags.out!, { recursive: true });
  const name = `${flags.out}/tasks${flags.quick ? '.quick' : ''}`;
  writeFileSync(`${name}.md`, `# \`npm run bench -- --suite tasks${flags.quick ? ' --quick' : ''}\`\n\n${text}\n`);
  writeJson(`${name}.json`, { date: new Date().toISOString(), node: process.version, ...result });
}

/**
 * bench/dispatch.ts: its tables on the console and in dispatch(.quick).md and
 * .json. With
 * dispatch-before.json beside it (a committed earlier run), that run's
 * tables follow.
 */
async function dispatch() {
  const quick = flags.quick!;
  progress('dispatch: breakdown of a call (traced)');
  const breakdown = await dispatchBreakdown(quick);
  progress('dispatch: the default against threads: 1');
  const defaults = await defaultVsOne(quick, quick ? [1e3, 1e4, 1e5, 1e6] : [1e3, 1e4, 3e4, 1e5, 3e5, 1e6]);
  progress('dispatch: lanes against a C OpenMP loop');
  const peers = await againstOpenMP(quick, threadSteps(threads));
  process.stderr.write('\n');
  const before = `${flags.out}/dispatch-before.json`;
  type Run = { date: string; node: string; breakdown: BreakdownRow[]; defaults: DefaultRow[]; peers: PeerRow[] };
  const earlier = existsSync(before) ? (JSON.parse(readFileSync(before, 'utf8')) as Run) : undefined;
  const tables = (run: Omit<Run, 'date' | 'node'>, why?: string) => [
    'Where one call goes, float32, by default, median µs of each part over the calls of a case (parts are medians one by one, so they need not add up to the total): checks (types, dtypes, lengths), planning (chunk plan and staging), publishing (writing the job, notifying sleeping workers), waking (from published until the first worker sees the job), chunks (the caller claiming and running chunks until none is left), last chunk (waiting for the workers\' last ones), returning. "worker joined": calls whose job the first worker saw before it was over.',
    '',
    breakdownTable(run.breakdown),
    '',
    'The default (one thread per core) against threads: 1, float32, median µs per call; for each n the two settings take turns, twice each:',
    '',
    defaultTable(run.defaults),
    '',
    'lanes against a C loop with OpenMP (gcc -O3 -march=native -fopenmp, bench/openmp.c), back-to-back calls on the same arrays, median ns per element:',
    '',
    why ?? peerTable(run.peers),
  ];
  const text = [
    `Dispatch at mid sizes (${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, Node ${process.version}, lanes with ${os.availableParallelism()} threads by default).`,
    '',
    ...tables({ breakdown, defaults, peers: peers.rows }, peers.why),
    ...(earlier ? ['', `## Before the dispatch changes (${earlier.date.slice(0, 10)}, Node ${earlier.node}, bench/results/dispatch-before.json)`, '', ...tables(earlier)] : []),
  ].join('\n');
  console.log(`\n${text}\n`);
  mkdirSync(flags.out!, { recursive: true });
  const name = `${flags.out}/dispatch${quick ? '.quick' : ''}`;
  writeFileSync(`${name}.md`, `# \`npm run bench -- --suite dispatch${quick ? ' --quick' : ''}\`\n\n${text}\n`);
  writeJson(`${name}.json`, { date: new Date().toISOString(), node: process.version, breakdown, defaults, peers: peers.rows });
}

await main();
