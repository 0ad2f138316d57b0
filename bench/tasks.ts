// npm run bench -- --suite tasks: the user's own functions on the pool.
// - per-task overhead of map over 100k trivial tasks, against piscina's run
//   on the same machine and threads;
// - scaling of a compute-heavy JS task on 1, 2, 4, … threads (bench/measure.ts
//   threadSteps), blocking and promises;
// - parallel() over a JS loop kernel, on as many thread counts, against the
//   same loop on one thread.
import { Piscina } from 'piscina';
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { getRuntime } from '../dist/dispatch/runtime.js';
import { markdown } from './report.js';

const FIXTURE = new URL('./tasks-fixture.mjs', import.meta.url);
const TRIVIAL = 100_000;

async function best(rounds: number, run: () => unknown): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    await run();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

async function threads(n: number) {
  lanes.configure({ threads: n });
  await getRuntime().pool.ready();
}

export interface TasksResult {
  overhead: { way: string; usPerTask: number }[];
  /** Best ms of each API on each of `threads`, and its speedup over the first (1 thread). */
  threads: number[];
  scaling: { api: string; ms: number[]; speedup: number[] }[];
  parallel: { way: string; ms: number; speedup: number }[];
}

export async function tasksSuite(quick: boolean, steps: number[], progress: (what: string) => void): Promise<{ result: TasksResult; lines: string[] }> {
  const rounds = quick ? 3 : 7;
  const items = Array.from({ length: TRIVIAL }, (_, i) => i);
  const inc = await lanes.task(FIXTURE);
  const heavy = await lanes.task(FIXTURE, 'heavy');
  const kernel = await lanes.task(FIXTURE, 'kernel');

  progress('tasks: per-task overhead');
  await threads(2);
  const piscina = new Piscina({ filename: FIXTURE.href, minThreads: 2, maxThreads: 2, idleTimeout: 60_000 });
  await Promise.all(items.slice(0, 1000).map((x) => piscina.run(x)));
  const overhead: TasksResult['overhead'] = [];
  const per = (ms: number) => (ms * 1000) / TRIVIAL;
  const jsLoop = await best(rounds, () => items.map((x) => x + 1));
  overhead.push({ way: 'plain JS loop (the work itself)', usPerTask: per(jsLoop) });
  overhead.push({ way: 'lanes.map (blocking, default chunksize)', usPerTask: per(await best(rounds, () => lanes.map(inc, items))) });
  overhead.push({ way: 'lanes/promises map (default chunksize)', usPerTask: per(await best(rounds, () => lanesAsync.map(inc, items))) });
  overhead.push({ way: 'lanes.map, chunksize 1 (one unit per task)', usPerTask: per(await best(quick ? 1 : 3, () => lanes.map(inc, items, { chunksize: 1 }))) });
  overhead.push({ way: 'lanes/promises map, chunksize 1', usPerTask: per(await best(quick ? 1 : 3, () => lanesAsync.map(inc, items, { chunksize: 1 }))) });
  overhead.push({ way: 'piscina run × 100k, all in flight', usPerTask: per(await best(quick ? 1 : 3, () => Promise.all(items.map((x) => piscina.run(x))))) });
  await piscina.destroy();

  progress('tasks: scaling of a compute-heavy task');
  // Four items per thread at the most threads, so that the last item's tail
  // weighs the same on every machine.
  const work = Array((quick ? 2 : 4) * Math.max(8, steps.at(-1)!)).fill(20); // each about 2e6 flops (a few ms)
  const scaling: TasksResult['scaling'] = [];
  for (const [api, run] of [
    ['blocking map', () => lanes.map(heavy, work, { chunksize: 1 })],
    ['promise map', () => lanesAsync.map(heavy, work, { chunksize: 1 })],
  ] as const) {
    const ms: number[] = [];
    for (const t of steps) {
      await threads(t);
      ms.push(await best(rounds, run));
    }
    scaling.push({ api, ms, speedup: ms.map((m) => ms[0] / m) });
  }

  progress('tasks: parallel over a JS loop');
  const n = quick ? 4e6 : 16e6;
  const a = lanes.empty(n, 'float64');
  for (let i = 0; i < n; i++) a[i] = i % 1000;
  const fn = (await import(FIXTURE.href)).kernel as (a: Float64Array, s: number, e: number) => number;
  const loop = await best(rounds, () => fn(a as Float64Array, 0, n));
  const combine = (s: number, p: number) => s + p;
  const parallel: TasksResult['parallel'] = [{ way: 'the loop on one thread', ms: loop, speedup: 1 }];
  for (const [way, call] of [
    ['lanes.parallel', () => lanes.parallel(kernel, n, a, { combine, initial: 0 })],
    ['lanes/promises parallel', () => lanesAsync.parallel(kernel, n, a, { combine, initial: 0 })],
  ] as const) {
    for (const t of steps) {
      await threads(t);
      const ms = await best(rounds, call);
      parallel.push({ way: `${way}, ${t} thread${t > 1 ? 's' : ''}`, ms, speedup: loop / ms });
    }
  }
  lanes.free(a);

  const f = (x: number, d = 2) => x.toFixed(d);
  const lines = [
    `Per-task overhead, ${TRIVIAL} trivial tasks (x + 1) on 2 threads, best of ${rounds}: µs per task`,
    '',
    markdown(['way', 'µs / task'], overhead.map((o) => [o.way, f(o.usPerTask, 3)])),
    '',
    `Scaling of a compute-heavy JS task (${work.length} items, chunksize 1), best of ${rounds}`,
    '',
    markdown(
      ['API', ...steps.map((t) => `${t} thread${t > 1 ? 's' : ''} ms`), ...steps.slice(1).map((t) => `${t}T speedup`)],
      scaling.map((s) => [s.api, ...s.ms.map((m) => f(m, 1)), ...s.speedup.slice(1).map((x) => `${f(x)}×`)]),
    ),
    '',
    `parallel() over a JS loop kernel (Σ sqrt(a[i])·a[i], n = ${n}), best of ${rounds}`,
    '',
    markdown(['way', 'ms', 'speedup'], parallel.map((p) => [p.way, f(p.ms, 1), `${f(p.speedup)}×`])),
  ];
  return { result: { overhead, threads: steps, scaling, parallel }, lines };
}
