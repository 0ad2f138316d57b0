// Load: 10k promise calls in flight from 8 producers at once (each an async
// loop issuing batches without awaiting the calls), mixed ops, dtypes, sizes
// and operand forms. Every result is right (the first of each kind against
// the reference, at the indices that tell; the rest bit for bit against it), every allocation is returned once
// the results are freed, and a second identical wave needs no more memory
// than the first: the heap stays bounded under load. And a script that does
// nothing but await batches of calls runs to its end.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { firstDifference, random, values, VIEW } from './support/data.js';
import { runScript } from './support/child.js';
import { getRuntime } from './support/internals.js';
import { openLedger } from './support/ledger.js';
import { arity, reductionOk, sampledMismatch } from './support/reference.js';

const CALLS = 10_000;
const PRODUCERS = 8;
const BATCH = 50; // calls a producer issues between turns of the event loop
/** Mostly small, some past the ops' cutoffs (on the pool). */
const SIZES = [0, 1, 5, 17, 64, 255, 1000, 1000, 4099, 4099, 30_000, 100_003];
const FORMS = ['arrays', 'number', 'out', 'foreign'] as const;

type Dtype = 'float32' | 'float64';
type Form = (typeof FORMS)[number];
type AnyFn = (...args: unknown[]) => Promise<unknown>;

/** Shared read-only inputs per dtype and size, made before the waves so that they are in the baseline. */
const inputs = new Map<string, { xs: number[]; ys: number[]; a: lanes.FloatArray; b: lanes.FloatArray }>();
/** What each kind of call must return: the first result, once checked against the reference, for the rest. */
const answers = new Map<string, ArrayLike<number> | number>();

beforeAll(async () => {
  lanes.configure({ threads: 2 });
  await getRuntime().pool.ready();
  for (const dtype of ['float32', 'float64'] as const) {
    for (const n of new Set(SIZES)) {
      // Finite, so that every sum and dot has one right answer.
      const finite = (seed: number) => Array.from(new VIEW[dtype](values(n, seed).map((x) => (Math.abs(x) < 1e30 ? x : 0.75))));
      const xs = finite(n), ys = finite(n + 1);
      inputs.set(`${dtype} ${n}`, { xs, ys, a: lanes.from(xs, dtype), b: lanes.from(ys, dtype) });
    }
  }
});

/** The verdict on one result: undefined if right, else what is wrong. */
function verdict(row: OpRow, dtype: Dtype, n: number, form: Form, result: unknown): string | undefined {
  const key = `${row.name} ${dtype} ${n} ${form === 'number' ? 'number' : 'arrays'}`;
  const { xs, ys } = inputs.get(key.split(' ').slice(1, 3).join(' '))!;
  const y = form === 'number' ? 2.5 : ys;
  const known = answers.get(key);
  if (row.kind === 'sum' || row.kind === 'dot') {
    if (known !== undefined) return Object.is(result, known) ? undefined : `${key}: ${result} after ${known}`;
    if (!reductionOk(row.kind, dtype, result as number, xs, ys)) return `${key}: ${result}`;
  } else {
    const array = result as ArrayLike<number>;
    if (known !== undefined) return firstDifference(array, known as ArrayLike<number>) < 0 ? undefined : `${key}: differs from before`;
    // Checked whole where the reference is cheap, else at the indices that
    // tell (sampledMismatch); every later result of the same call is then
    // compared with this one bit for bit.
    const i = sampledMismatch(row, dtype, array, [xs, y, y].slice(0, arity(row)));
    if (i >= 0) return `${key}: at ${i}: ${array[i]}`;
  }
  answers.set(key, typeof result === 'number' ? result : Array.from(result as ArrayLike<number>));
  return undefined;
}

/** Issues one random call; resolves to its verdict, with its result and out freed. */
function randomCall(next: () => number): Promise<string | undefined> {
  const row = REGISTRY[Math.floor(next() * REGISTRY.length)] as OpRow;
  const dtype: Dtype = next() < 0.5 ? 'float32' : 'float64';
  const n = SIZES[Math.floor(next() * SIZES.length)];
  let form = FORMS[Math.floor(next() * FORMS.length)];
  if ((form === 'number' && row.kind !== 'binary' && row.kind !== 'ternary') || (form === 'out' && (row.kind === 'sum' || row.kind === 'dot'))) form = 'arrays';
  const { a, b } = inputs.get(`${dtype} ${n}`)!;
  const first = form === 'foreign' ? new VIEW[dtype](a) : a; // copied in by lanes for the call
  const second = form === 'number' ? 2.5 : b;
  const args: unknown[] = [first, second, second].slice(0, arity(row));
  const out = form === 'out' ? lanes.empty(n, dtype) : undefined;
  if (out) args.push(out);
  return (lanesAsync[row.name] as AnyFn)(...args).then((result) => {
    const wrong = verdict(row, dtype, n, form, result);
    if (out && result !== out) return `${row.name}: did not return out`;
    if (typeof result !== 'number') lanes.free(result as lanes.FloatArray);
    return wrong;
  });
}

/** One producer: batches of calls without awaiting them, a turn of the event loop between batches. */
async function producer(seed: number, calls: number): Promise<(string | undefined)[]> {
  const next = random(seed);
  const pending: Promise<string | undefined>[] = [];
  while (pending.length < calls) {
    for (let i = 0; i < BATCH && pending.length < calls; i++) pending.push(randomCall(next));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return Promise.all(pending);
}

async function wave() {
  const producers = Array.from({ length: PRODUCERS }, (_, p) => producer(1000 + p, CALLS / PRODUCERS));
  return (await Promise.all(producers)).flat();
}

describe('under load', () => {
  it(`${CALLS} promise calls from ${PRODUCERS} producers: all right, memory returned and bounded`, async () => {
    const { allocator } = getRuntime();
    const ledger = openLedger(allocator);
    try {
      const verdicts = await wave();
      expect(verdicts.length).toBe(CALLS);
      expect(verdicts.filter((v) => v !== undefined)).toEqual([]);
      expect(ledger.blocks).toBe(0);
      // The same wave again needs no more room: freed memory is reused, not
      // leaked (that would double the mark). Calls settle in a timing-dependent
      // order, which moves the mark by about 1% on a quiet machine and by up
      // to 6% when other processes share the cores.
      const mark = allocator.highWater;
      const again = await wave();
      expect(again.filter((v) => v !== undefined)).toEqual([]);
      expect(ledger.blocks).toBe(0);
      expect(allocator.highWater, `high-water mark after wave 1: ${mark}, after wave 2: ${allocator.highWater}`).toBeLessThanOrEqual(mark * 1.2);
    } finally {
      ledger.close();
    }
  });
});

describe('a script that only awaits lanes calls', () => {
  it('runs to its end: waiting for the workers keeps the process alive', () => {
    // Nothing but the calls keeps this process alive: no timer, no I/O. A
    // caller that waits for the workers with Atomics.waitAsync alone let it
    // exit mid-call (exit code 13, an unsettled top-level await).
    const run = runScript(`
      import * as lanes from 'lanes';
      import * as lanesAsync from 'lanes/promises';
      lanes.configure({ threads: 2 });
      const big = lanes.empty(673_592).fill(0.5), mid = lanes.empty(97_547).fill(-1), small = lanes.empty(58).fill(2);
      let rounds = 0;
      for (let i = 0; i < 300; i++) {
        const [dot, abs, sum] = await Promise.all([lanesAsync.dot(big, big), lanesAsync.abs(mid), lanesAsync.sum(small), lanesAsync.sub(small, small, small)]);
        if (dot === big.length / 4 && abs[0] === 1 && sum === 116) rounds++;
        small.fill(2);
      }
      console.log('rounds', rounds);
    `);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('rounds 300');
  });
});
