// Timing with tinybench: the median latency of a function, after a warm-up.
import os from 'node:os';
import { Bench } from 'tinybench';

export interface Budget {
  /** Time per task, in ms, and the least number of samples. */
  time: number;
  iterations: number;
  warmupTime: number;
}

export const FULL: Budget = { time: 150, iterations: 5, warmupTime: 30 };
export const QUICK: Budget = { time: 60, iterations: 3, warmupTime: 10 };

/**
 * Median milliseconds per call of each function, measured in one run in the
 * order given. `repeat` calls are timed together when one call is too short
 * for the timer.
 */
export function medians(tasks: Record<string, () => unknown>, budget: Budget, repeat = 1): Record<string, number> {
  const bench = new Bench({ ...budget, warmupIterations: 2, throws: true });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, repeated(fn, repeat));
  bench.runSync();
  const out: Record<string, number> = {};
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`benchmark task ${task.name} ended ${result.state}`);
    out[task.name] = result.latency.p50 / repeat;
  }
  return out;
}

let tasks = 0;

/**
 * `repeat` calls of fn as one function. Each is compiled from its own source
 * (V8 shares code and feedback between identical sources), so that every
 * task's call site sees only its own fn, as a caller's loop would.
 */
function repeated(fn: () => unknown, repeat: number): () => void {
  const make = new Function('fn', 'repeat', `/* task ${++tasks} */ return () => { for (let i = 0; i < repeat; i++) fn(); };`);
  return make(fn, repeat) as () => void;
}

/** How many calls to time together so that one sample is at least ~50 µs. */
export function repeatFor(estimateMs: number): number {
  return Math.max(1, Math.ceil(0.05 / Math.max(estimateMs, 1e-6)));
}

/**
 * The thread counts a suite compares: 1, 2, 4, 8, … and the largest, max
 * (at most the cores): [1, 2] on 2 cores, [1, 2, 4, 8, 16] on 16, so that
 * each machine shows what its own threads buy.
 */
export function threadSteps(max = os.availableParallelism()): number[] {
  const top = Math.max(1, Math.min(max, os.availableParallelism()));
  const steps: number[] = [];
  for (let t = 1; t < top; t *= 2) steps.push(t);
  return [...steps, top];
}
