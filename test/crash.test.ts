// Faults: a worker that dies in the middle of a call fails that call within
// 100 ms with an Error naming the cause, the pool replaces the worker, and
// the next call is correct. A kernel that traps fails its call, never hangs.
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { Shape } from '../dist/pool/control.js';
import { getRuntime } from './support/internals.js';

const N = 24_000_000; // exp over 24M f64: well over 40 ms on 2 threads
const DELAY = 15;
const DIED = /^lanes: worker thread 1 exited with code 1 in the middle of the call \(kernel vexp_f64\); the pool has replaced it$/;

async function settled(threads: number) {
  lanes.configure({ threads });
  const pool = getRuntime().pool;
  await pool.ready();
  return pool;
}

async function expectHealthy() {
  const pool = await settled(2);
  expect(pool.online).toBe(1);
  const a = lanes.empty(1_000_000, 'float64').fill(1);
  expect(lanes.exp(a).every((y) => y === Math.E)).toBe(true);
  expect(lanes.sum(a)).toBe(1_000_000);
  lanes.free(a);
}

let big: Float64Array;
beforeEach(() => {
  big ??= lanes.empty(N, 'float64').fill(0.5) as Float64Array;
});

describe('a worker that dies mid-call', () => {
  it('fails a promise call within 100 ms, and is replaced', async () => {
    const pool = await settled(2);
    const start = performance.now();
    pool.terminateWorker(0, DELAY);
    const error = await lanesAsync.exp(big).then(() => undefined, (e: Error) => e);
    const elapsed = performance.now() - start;
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(DIED);
    expect(elapsed - DELAY).toBeLessThan(100);
    await expectHealthy();
  });

  it('fails a blocking call within 100 ms, and is replaced', async () => {
    const pool = await settled(2);
    const out = lanes.empty(N, 'float64');
    pool.terminateWorker(0, DELAY);
    const start = performance.now();
    let error: Error | undefined;
    try {
      lanes.exp(big, out);
    } catch (e) {
      error = e as Error;
    }
    const elapsed = performance.now() - start;
    expect(error?.message).toMatch(DIED);
    expect(elapsed - DELAY).toBeLessThan(100);
    await expectHealthy();
    lanes.free(out);
  });

  it('with many threads, a death fails only the call in flight', async () => {
    const pool = await settled(4);
    pool.terminateWorker(2, DELAY);
    const outcome = await Promise.allSettled([lanesAsync.exp(big), lanesAsync.sum(big)]);
    expect(outcome[0].status).toBe('rejected');
    expect((outcome[0] as PromiseRejectedResult).reason.message).toMatch(/^lanes: worker thread 3 exited with code 1/);
    expect(outcome[1]).toEqual({ status: 'fulfilled', value: N / 2 });
    await settled(4);
    expect(pool.online).toBe(3);
  });
});

describe('a kernel that traps', () => {
  const job = () => {
    const rt = getRuntime();
    const out = lanes.empty(1 << 20, 'float32');
    return {
      kernel: rt.kernelIndex.get('vexp_f32')!,
      shape: Shape.Unary,
      elemBytes: 4,
      n: 1 << 20,
      chunk: 4096,
      a: 2 ** 32 - 8 * 4096, // past the end of the memory: the kernel traps
      b: 0,
      c: 0,
      out: out.byteOffset,
    };
  };
  const TRAPPED = 'lanes: kernel vexp_f32 failed: RuntimeError: memory access out of bounds';

  it('throws from a blocking call, inline or on the pool', async () => {
    const pool = await settled(2);
    expect(() => pool.runSync(job(), false)).toThrow(TRAPPED);
    expect(() => pool.runSync(job(), true)).toThrow(TRAPPED);
    await expectHealthy();
  });

  it('rejects a promise call', async () => {
    const pool = await settled(2);
    await expect(pool.runAsync(job(), true)).rejects.toThrow(TRAPPED);
    lanes.configure({ threads: 1 });
    await expect(pool.runAsync(job(), true)).rejects.toThrow(TRAPPED);
    await expectHealthy();
  });
});
