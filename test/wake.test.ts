// When a call finds the workers asleep: waking one costs the caller 10–60 µs
// on a VM, more than a short job takes, so a short call runs without them
// (and still gives the same bits); a long call wakes them, and so does a
// stream of short calls once their work adds up (pool.ts, wakeFor).
import * as lanes from 'lanes';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as C from '../dist/pool/control.js';
import { REGISTRY, type OpRow } from '../src/ops/registry.js';
import { getRuntime } from './support/internals.js';

const sleeping = () => Atomics.load(getRuntime().pool.controlBlock, C.SLEEPERS);
/**
 * Counts the caller's wake-ups of sleeping workers (Atomics.notify on the
 * doorbell) while `body` runs. SLEEPERS alone cannot tell "not woken" from a
 * worker seen in its periodic turn (worker.ts IDLE_TURN_MS), and a job that
 * finds it in that turn is published for it to join, without a wake-up.
 */
function wakeUps(body: () => void): number {
  const notify = vi.spyOn(Atomics, 'notify');
  try {
    body();
    return notify.mock.calls.filter(([, index]) => index === C.DOORBELL).length;
  } finally {
    notify.mockRestore();
  }
}

/** Waits until every worker sleeps (idle workers spin for a few ms first). */
async function asleep(): Promise<void> {
  // One read decides and is asserted: a worker with extensions wakes every
  // 50 ms (worker.ts IDLE_TURN_MS), so a second read may see it awake.
  const until = performance.now() + 5000;
  let seen = sleeping();
  while (seen < getRuntime().pool.workers && performance.now() < until) {
    await new Promise((r) => setTimeout(r, 5));
    seen = sleeping();
  }
  expect(seen).toBe(getRuntime().pool.workers);
}

/**
 * Whether every worker is awake at some moment within `ms` (a busy poll): a
 * notified worker may not get a core at once on a loaded machine, and once
 * awake it spins a few ms before it sleeps again, so the poll cannot miss it.
 */
function awakeWithin(ms: number): boolean {
  const until = performance.now() + ms;
  while (performance.now() < until) if (sleeping() === 0) return true;
  return false;
}

describe('calls that find the workers asleep', () => {
  beforeAll(async () => {
    lanes.configure({ threads: 2 });
    await getRuntime().pool.ready();
  });
  afterAll(() => lanes.configure({ threads: 1 }));

  const n = 100_000; // past add's cutoff on float32 (checked below), about 12 µs of work
  const a = lanes.from(Array.from({ length: n }, (_, i) => i / 7), 'float32');
  const b = lanes.from(Array.from({ length: n }, (_, i) => 1 - i / 3), 'float32');
  const expected = Float32Array.from(a, (x, i) => Math.fround(x + b[i]));

  it('the calls here are past the cutoff, and short', () => {
    const add = (REGISTRY as readonly OpRow[]).find((r) => r.name === 'add')!;
    expect(n).toBeGreaterThanOrEqual(add.cutoff.float32);
    expect(n * add.cost.float32).toBeLessThan(100_000);
  });

  it('a short call runs without waking them, with the same result', async () => {
    await asleep();
    let sum: Float32Array | undefined;
    expect(wakeUps(() => (sum = lanes.add(a, b)))).toBe(0);
    expect(sum).toEqual(expected);
  });

  it('a long call wakes them', async () => {
    await asleep();
    const big = lanes.empty(4_000_000, 'float32').fill(0.5);
    lanes.exp(big, big);
    expect(awakeWithin(1000)).toBe(true);
    expect(big[123]).toBe(Math.fround(Math.exp(0.5)));
    lanes.free(big);
  });

  it('a stream of short calls wakes them once their work adds up', async () => {
    await asleep();
    const out = lanes.empty(n, 'float32');
    // On a loaded machine the notified worker may get a core only much
    // later, or the caller may be preempted past the workers' spin, which
    // starts the tally again: keep the stream going for up to 3 s.
    let calls = 0;
    const until = performance.now() + 3000;
    while (sleeping() > 0 && performance.now() < until) {
      lanes.add(a, b, out);
      calls++;
    }
    expect(sleeping()).toBe(0);
    expect(calls).toBeGreaterThan(1);
    expect(out).toEqual(expected);
  });

  it('short calls further apart than the workers spin do not add up', async () => {
    await asleep();
    const out = lanes.empty(n, 'float32');
    const woken = wakeUps(() => {
      for (let i = 0; i < 40; i++) {
        lanes.add(a, b, out);
        const until = performance.now() + 3;
        while (performance.now() < until); // longer than idle workers spin
      }
    });
    expect(woken).toBe(0);
    expect(out).toEqual(expected);
  });
});
