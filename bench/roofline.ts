// The roofline: how fast this machine copies memory, measured in the same
// run, on one thread and on as many threads as lanes uses. Bandwidth-bound
// ops (add, neg, sum, …) cannot move bytes faster than a copy does.
import { Worker } from 'node:worker_threads';
import { medians, type Budget } from './measure.js';

const BYTES = 64 * 2 ** 20; // far past the caches

/** GB/s of TypedArray.set over 64 MiB on one thread (bytes read + bytes written). */
export function copyBandwidth(budget: Budget): number {
  const n = BYTES / 8;
  const src = new Float64Array(n).fill(1.5);
  const dst = new Float64Array(n);
  const { copy } = medians({ copy: () => dst.set(src) }, budget);
  return (2 * BYTES) / (copy * 1e6);
}

// A helper thread: wait for round r, copy its slice, count itself done.
const HELPER = `
const { workerData: { src, dst, control, index, threads } } = require('node:worker_threads');
const s = new Float64Array(src), d = new Float64Array(dst), c = new Int32Array(control);
const per = s.length / threads, from = index * per, slice = s.subarray(from, from + per);
for (let round = 1; ; round++) {
  while (Atomics.load(c, 0) < round) Atomics.wait(c, 0, round - 1);
  if (Atomics.load(c, 2)) break;
  d.set(slice, from);
  Atomics.add(c, 1, 1);
  Atomics.notify(c, 1);
}`;

/** GB/s of the same copy split over `threads` threads, each copying a contiguous slice. */
export async function parallelCopyBandwidth(threads: number, rounds: number): Promise<number> {
  const src = new SharedArrayBuffer(BYTES), dst = new SharedArrayBuffer(BYTES), control = new SharedArrayBuffer(12);
  new Float64Array(src).fill(1.5);
  const c = new Int32Array(control);
  const helpers = Array.from({ length: threads - 1 }, (_, i) => new Worker(HELPER, { eval: true, workerData: { src, dst, control, index: i + 1, threads } }));
  await Promise.all(helpers.map((w) => new Promise((r) => w.once('online', r))));
  const s = new Float64Array(src), d = new Float64Array(dst);
  const mine = s.subarray(0, s.length / threads);
  const times: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const start = performance.now();
    Atomics.store(c, 0, round);
    Atomics.notify(c, 0);
    d.set(mine, 0);
    while (Atomics.load(c, 1) < (threads - 1) * round) Atomics.wait(c, 1, Atomics.load(c, 1), 10);
    times.push(performance.now() - start);
  }
  Atomics.store(c, 2, 1);
  Atomics.store(c, 0, rounds + 1);
  Atomics.notify(c, 0);
  await Promise.all(helpers.map((w) => w.terminate()));
  times.sort((a, b) => a - b);
  return (2 * BYTES) / (times[times.length >> 1] * 1e6);
}
