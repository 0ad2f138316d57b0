// Faults in every shape of job. A worker terminated in the middle of a unary,
// binary, scalar-operand or reduction call fails that call (sync or async)
// with the worker-exited Error, leaves each element of out old or new, and
// the next call is correct. close() with calls in flight rejects them with
// the closed error, hangs nothing, and lets the process exit.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { runScript } from './support/child.js';
import { firstDifference } from './support/data.js';
import { getRuntime } from './support/internals.js';
import { arity, expectedElementwise, reductionOk } from './support/reference.js';

const N = 32_000_000; // f64, 256 MB: memory-bound ops take 20 ms and more on 2 threads
const DELAY = 2; // ms before the worker is terminated: the job has started by then
const ATTEMPTS = 5; // a kill can still land after a fast job: then the call must simply be right
const X = 0.5;
const CLOSED = 'lanes: the pool is closed (lanes.close() was called); no further calls can run';

type AnyFn = (...args: unknown[]) => unknown;
const row = (name: string) => (REGISTRY as readonly OpRow[]).find((r) => r.name === name)!;

/** One op of each kind of job: its kernel, and its arguments given the input and an out. */
const KINDS = [
  { kind: 'unary', op: 'sqrt', kernel: 'vsqrt_f64', args: (a: unknown, out: unknown) => [a, out] },
  { kind: 'binary', op: 'add', kernel: 'vadd_f64', args: (a: unknown, out: unknown) => [a, a, out] },
  { kind: 'scalar operand', op: 'mul', kernel: 'vmulc_f64', args: (a: unknown, out: unknown) => [a, 3, out] },
  { kind: 'number first', op: 'sub', kernel: 'vrsubc_f64', args: (a: unknown, out: unknown) => [3, a, out] },
  { kind: 'ternary', op: 'clip', kernel: 'vclip_f64', args: (a: unknown, out: unknown) => [a, a, a, out] },
  { kind: 'ternary, two numbers', op: 'clip', kernel: 'vclipc_f64', args: (a: unknown, out: unknown) => [a, -1, 2, out] },
  { kind: 'reduce', op: 'sum', kernel: 'rsum_f64', args: (a: unknown) => [a] },
  { kind: 'reduce, two operands', op: 'dot', kernel: 'rdot_f64', args: (a: unknown) => [a, a] },
];

/** The result every element of a call on an array of X holds. */
function elementOf(op: string, args: unknown[]): number {
  const xs = args.map((v) => (typeof v === 'number' ? [v] : [X]));
  return expectedElementwise(row(op), 'float64', ...xs.slice(0, arity(row(op))))[0];
}

let big: Float64Array;
let out: Float64Array;
beforeAll(() => {
  big = lanes.empty(N, 'float64').fill(X) as Float64Array;
  out = lanes.empty(N, 'float64') as Float64Array;
});

async function ready() {
  lanes.configure({ threads: 2 });
  const pool = getRuntime().pool;
  // The replacement of a killed worker starts a thread and instantiates the
  // module: on two cores shared with other test files that took over 10 s once.
  await pool.ready(30_000);
  expect(pool.online, 'the pool has its worker back within 30 s').toBe(1);
  return pool;
}

/** A call of the same op on fresh, varied data, on the pool: checked against the reference. */
function expectCorrect(op: string, args: (a: unknown, out: unknown) => unknown[]) {
  const n = 1_000_003;
  const xs = Array.from({ length: n }, (_, i) => (i % 1000) / 7 - 50);
  const a = lanes.from(xs);
  const r = row(op);
  const result = (lanes[op as 'add'] as AnyFn)(...args(a, undefined).filter((v) => v !== undefined));
  if (r.kind === 'sum' || r.kind === 'dot') expect(reductionOk(r.kind, 'float64', result as number, xs)).toBe(true);
  else {
    const operands = args(xs, undefined).slice(0, arity(r)) as (number[] | number)[];
    expect(firstDifference(result as Float64Array, expectedElementwise(r, 'float64', ...operands))).toBe(-1);
    lanes.free(result as Float64Array);
  }
  lanes.free(a);
}

describe('a worker terminated mid-call', () => {
  for (const { kind, op, kernel, args } of KINDS) {
    for (const api of ['sync', 'async'] as const) {
      it(`${kind} (${op}, ${api}): the call fails with the worker-exited Error; the next call is correct`, async () => {
        const died = new RegExp(`^lanes: worker thread 1 exited with code 1 in the middle of the call \\(kernel ${kernel}\\); the pool has replaced it$`);
        const fn = (api === 'sync' ? lanes : lanesAsync)[op as 'add'] as AnyFn;
        const callArgs = args(big, out);
        const reduction = row(op).kind === 'sum' || row(op).kind === 'dot';
        let failures = 0;
        for (let attempt = 0; attempt < ATTEMPTS && failures === 0; attempt++) {
          const pool = await ready();
          out.fill(-1);
          pool.terminateWorker(0, DELAY);
          const start = performance.now();
          let error: Error | undefined;
          let value: unknown;
          try {
            value = await fn(...callArgs);
          } catch (e) {
            error = e as Error;
          }
          const elapsed = performance.now() - start;
          if (error === undefined) {
            // The job beat the kill: then it must simply be right.
            if (reduction) expect(value).toBe(op === 'sum' ? N * X : N * X * X);
            else {
              // One reference for all 32M elements (computed per element, this check took 16–31 s).
              const y = elementOf(op, callArgs);
              expect(out.every((v) => v === y)).toBe(true);
            }
            continue;
          }
          failures++;
          expect(error).toBeInstanceOf(Error);
          expect(error.message).toMatch(died);
          // Seen at once, not after a watchdog's timeout (tens of ms here; 104 ms once with both cores busy).
          expect(elapsed - DELAY).toBeLessThan(500);
          if (!reduction) {
            // Stopped part way: each element of out holds its old value or its result.
            const y = elementOf(op, callArgs);
            expect(out.every((v) => v === -1 || v === y)).toBe(true);
          }
        }
        expect(failures, `no attempt of ${ATTEMPTS} was in flight when the worker died`).toBe(1);
        await ready(); // the worker was replaced
        expectCorrect(op, args);
      });
    }
  }
});

describe('a worker terminated while it starts', () => {
  it('is replaced, and the pool counts its workers right afterwards', async () => {
    lanes.configure({ threads: 1 });
    const pool = getRuntime().pool;
    await pool.ready(30_000);
    expect(pool.online).toBe(0);
    // The new worker is still instantiating the module when the kill lands:
    // it never came online, so its exit must not take one off the count.
    lanes.configure({ threads: 2 });
    pool.terminateWorker(0, 0);
    await pool.ready(30_000);
    expect(pool.online).toBe(1);
    expect(lanes.sum(big)).toBe(N * X); // and the pool runs jobs
  });
});

describe('close() with calls in flight', () => {
  for (const threads of [1, 2]) {
    it(`(${threads} thread${threads > 1 ? 's' : ''}): every call in flight or queued rejects with the closed error; the process exits`, () => {
      const run = runScript(`
        import * as lanes from 'lanes';
        import * as lanesAsync from 'lanes/promises';
        import { getRuntime } from './dist/dispatch/runtime.js';
        lanes.configure({ threads: ${threads} });
        await getRuntime().pool.ready();
        const big = lanes.empty(16e6, 'float64').fill(0.5);
        const out = lanes.empty(16e6, 'float64');
        // exp over 16M f64 takes well over 10 ms; the others are queued behind
        // it (2 threads) or share the caller with it in slices (1 thread).
        const calls = [lanesAsync.exp(big), lanesAsync.add(big, big, out), lanesAsync.mul(big, 2), lanesAsync.sub(1, big), lanesAsync.sum(big), lanesAsync.dot(big, big)];
        setTimeout(() => lanes.close(), 10);
        const settled = await Promise.allSettled(calls);
        const outcomes = settled.map((s) => (s.status === 'rejected' ? s.reason.constructor.name + ': ' + s.reason.message : 'fulfilled'));
        let sync = 'no throw';
        try { lanes.sum(big); } catch (e) { sync = e.message; }
        const later = await lanesAsync.neg(big).then(() => 'fulfilled', (e) => e.message);
        console.log(JSON.stringify({ outcomes, sync, later }));
        // No close of handles, no process.exit: the process must end by itself.
      `);
      expect(run.signal).toBe(null); // not killed by runScript's timeout: nothing hung
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const { outcomes, sync, later } = JSON.parse(run.stdout);
      expect(outcomes).toEqual(Array(6).fill(`Error: ${CLOSED}`));
      expect(sync).toBe(CLOSED);
      expect(later).toBe(CLOSED);
    });
  }
});
