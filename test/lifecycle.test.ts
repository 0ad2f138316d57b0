// Workers never keep a process alive, close() is idempotent and final, and
// closing with calls in flight rejects them without hanging.
import { describe, expect, it } from 'vitest';
import { runScript } from './support/child.js';

describe('lifecycle', () => {
  it('a script exits without close(), workers and all', () => {
    const run = runScript(`
      import * as lanes from 'lanes';
      import { getRuntime } from './dist/dispatch/runtime.js';
      lanes.configure({ threads: 4 });
      await getRuntime().pool.ready();
      const a = lanes.empty(1e6, 'float32').fill(1);
      console.log(lanes.sum(lanes.exp(a)) > 0, getRuntime().pool.online);
    `);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('true 3');
    expect(run.status).toBe(0);
  });

  it('workers warm their kernels on start-up and write nothing outside the warm-up scratch', () => {
    const run = runScript(`
      import * as lanes from 'lanes';
      import { getRuntime } from './dist/dispatch/runtime.js';
      lanes.configure({ threads: 1 });
      const a = lanes.empty(1 << 20, 'float64').fill(7);
      const b = lanes.empty(1 << 20, 'float32').fill(-3);
      lanes.configure({ threads: 4 });
      await getRuntime().pool.ready();
      console.log(a.every((x) => x === 7), b.every((x) => x === -3), getRuntime().pool.online);
    `);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('true true 3');
  });

  it('close() is idempotent; every later call throws a clear error', () => {
    const run = runScript(`
      import * as lanes from 'lanes';
      import * as lanesAsync from 'lanes/promises';
      const a = lanes.from([1, 2, 3]);
      lanes.close();
      lanes.close();
      lanesAsync.close();
      const messages = [];
      for (const call of [() => lanes.add(a, a), () => lanes.empty(3), () => lanes.from([1]), () => lanes.sum(a), () => lanes.configure({ threads: 2 })]) {
        try { call(); messages.push('no throw'); } catch (e) { messages.push(e.constructor.name + ': ' + e.message); }
      }
      await lanesAsync.exp(a).then(() => messages.push('no rejection'), (e) => messages.push('rejected: ' + e.message));
      console.log(JSON.stringify(messages));
    `);
    expect(run.stderr).toBe('');
    const messages = JSON.parse(run.stdout) as string[];
    const closed = 'lanes: the pool is closed (lanes.close() was called); no further calls can run';
    expect(messages).toEqual([...Array(5).fill(`Error: ${closed}`), `rejected: ${closed}`]);
  });

  it('close() before first use also closes', () => {
    const run = runScript(`
      import * as lanes from 'lanes';
      lanes.close();
      try { lanes.empty(1); } catch (e) { console.log(e.message); }
    `);
    expect(run.stdout.trim()).toBe('lanes: the pool is closed (lanes.close() was called); no further calls can run');
  });

  it('close() with calls in flight and queued: they reject, nothing hangs, the process exits', () => {
    const run = runScript(`
      import * as lanes from 'lanes/promises';
      import { getRuntime } from './dist/dispatch/runtime.js';
      lanes.configure({ threads: 2 });
      await getRuntime().pool.ready();
      const big = lanes.empty(8e6, 'float64').fill(0.5);
      const calls = [lanes.exp(big), lanes.exp(big), lanes.sum(big), lanes.add(big, 1)];
      setTimeout(() => lanes.close(), 5);
      const settled = await Promise.allSettled(calls);
      console.log(JSON.stringify(settled.map((s) => s.status === 'rejected' ? s.reason.message : 'fulfilled')));
    `);
    expect(run.signal).toBe(null);
    expect(run.status).toBe(0);
    const outcomes = JSON.parse(run.stdout) as string[];
    expect(outcomes.every((o) => o === 'lanes: the pool is closed (lanes.close() was called); no further calls can run' || o === 'fulfilled')).toBe(true);
    expect(outcomes.filter((o) => o !== 'fulfilled').length).toBeGreaterThanOrEqual(3);
  });
});
