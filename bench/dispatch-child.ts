// The lanes side of the dispatch suite (bench/dispatch.ts), in a process of
// its own per setting (LANES_THREADS=1, the default, or LANES_TRACE=1), so
// that the settings take turns without restarting workers and only the
// traced one pays for the trace. It warms up, prints {"ready":true}, then
// answers one JSON line on stdout for each request line on stdin.
import { createInterface } from 'node:readline';
import * as lanes from 'lanes';
import { getRuntime } from '../dist/dispatch/runtime.js';
import { Mark, WorkerMark } from '../dist/pool/trace.js';
import { median, type Dtype, type Part, type Pattern, type Request } from './dispatch.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Arrays {
  a: Float32Array | Float64Array;
  b: Float32Array | Float64Array;
  out: Float32Array | Float64Array;
}

let current: { key: string; data: Arrays } | undefined;

/** Operands of n elements (the last ones asked for are kept, the ones before freed). */
function arrays(n: number, dtype: Dtype): Arrays {
  const key = `${n} ${dtype}`;
  if (current?.key === key) return current.data;
  if (current) for (const array of Object.values(current.data)) lanes.free(array);
  const a = lanes.empty(n, dtype), b = lanes.empty(n, dtype), out = lanes.empty(n, dtype);
  for (let i = 0; i < n; i++) (a[i] = (i % 17) / 8 - 1), (b[i] = 1 + (i % 5));
  current = { key, data: { a, b, out } };
  return current.data;
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
 * the first few thousand calls of a function in slower tiers, on each
 * thread. Inline and pool calls take different paths, so both are warmed.
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
    }
  }
}

/** Runs `calls` calls in `pattern`, calling `each` after every timed call. */
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

const other = (op: string) => (op === 'add' ? 'exp' : 'add');

async function times({ op, dtype, n, pattern, calls }: Extract<Request, { type: 'times' }>) {
  const data = arrays(n, dtype);
  const call = opCall(op, data);
  const out: number[] = [];
  const timed = () => {
    const start = performance.now();
    call();
    out.push((performance.now() - start) * 1000);
  };
  await runPattern(pattern, calls, timed, opCall(other(op), data), () => {});
  return { times: out };
}

async function breakdown({ op, n, pattern, calls }: Extract<Request, { type: 'breakdown' }>) {
  const trace = getRuntime().pool.trace;
  if (!trace) throw new Error('the breakdown needs LANES_TRACE=1 when lanes starts');
  const data = arrays(n, 'float32');
  const samples: Record<Part, number>[] = [];
  let joined = 0;
  await runPattern(pattern, calls, opCall(op, data), opCall(other(op), data), () => {
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
  return { samples, joined: joined / samples.length };
}

function ns({ op, dtype, n, samples }: Extract<Request, { type: 'ns' }>) {
  const call = opCall(op, arrays(n, dtype));
  // Warm up for 20 ms, as the C side does.
  let start = performance.now();
  for (let i = 0; i < 100 || performance.now() - start < 20; i++) call();
  start = performance.now();
  for (let i = 0; i < 20; i++) call();
  const repeat = Math.max(1, Math.ceil(0.05 / ((performance.now() - start) / 20)));
  const out: number[] = [];
  for (let s = 0; s < samples; s++) {
    start = performance.now();
    for (let i = 0; i < repeat; i++) call();
    out.push(((performance.now() - start) * 1e6) / repeat / n);
  }
  return { ns: median(out) };
}

async function serve(): Promise<void> {
  await warmCallPath();
  process.stdout.write(`${JSON.stringify({ ready: true, threads: lanes.configure().threads })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const request = JSON.parse(line) as Request;
    const reply = request.type === 'times' ? await times(request) : request.type === 'breakdown' ? await breakdown(request) : ns(request);
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  }
  lanes.close();
}

await serve();
