// configure() and LANES_THREADS: validated with clear errors; threads: 1 is
// the serial path with the same API and the same results.
import * as lanes from 'lanes';
import { describe, expect, it } from 'vitest';
import { runScript } from './support/child.js';
import { values } from './support/data.js';
import { getRuntime } from './support/internals.js';

describe('configure', () => {
  it('returns the settings, and changes only what it is given', () => {
    expect(lanes.configure({ threads: 3 })).toEqual({ threads: 3 });
    expect(lanes.configure()).toEqual({ threads: 3 });
    expect(lanes.configure({})).toEqual({ threads: 3 });
  });

  it('rejects bad settings with clear errors', () => {
    const cases: [unknown, ErrorConstructor, string][] = [
      [{ threads: 0 }, RangeError, "lanes.configure: 'threads' must be an integer from 1 to 256, got 0"],
      [{ threads: 2.5 }, RangeError, "lanes.configure: 'threads' must be an integer from 1 to 256, got 2.5"],
      [{ threads: 1000 }, RangeError, "lanes.configure: 'threads' must be an integer from 1 to 256, got 1000"],
      [{ threads: NaN }, RangeError, "lanes.configure: 'threads' must be an integer from 1 to 256, got NaN"],
      [{ threads: '2' }, TypeError, "lanes.configure: 'threads' must be a number, got a string"],
      [{ thread: 2 }, TypeError, "lanes.configure: unknown setting 'thread'; the settings are: threads"],
      [null, TypeError, "lanes.configure: 'settings' must be an object, got null"],
      [5, TypeError, "lanes.configure: 'settings' must be an object, got the number 5"],
    ];
    for (const [settings, type, message] of cases) {
      expect(() => lanes.configure(settings as never)).toThrow(type);
      expect(() => lanes.configure(settings as never)).toThrow(message);
    }
    expect(lanes.configure().threads).toBe(3);
  });

  it('threads: 1 runs on the caller alone, with the same results', async () => {
    const xs = values(300_001, 1).map((x) => (Math.abs(x) < 1e30 ? x : 2));
    const a = lanes.from(xs);
    lanes.configure({ threads: 2 });
    await getRuntime().pool.ready();
    const parallel = [lanes.exp(a), lanes.mul(a, a), lanes.sum(a)] as const;
    lanes.configure({ threads: 1 });
    const serial = [lanes.exp(a), lanes.mul(a, a), lanes.sum(a)] as const;
    expect(Array.from(serial[0])).toEqual(Array.from(parallel[0]));
    expect(Array.from(serial[1])).toEqual(Array.from(parallel[1]));
    expect(serial[2]).toBe(parallel[2]);
    // Idle workers past the count exit.
    for (let i = 0; i < 200 && getRuntime().pool.online > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(getRuntime().pool.online).toBe(0);
  });
});

describe('LANES_THREADS', () => {
  it('sets the default thread count', () => {
    const run = runScript(`import * as lanes from 'lanes'; console.log(lanes.configure().threads);`, { LANES_THREADS: '3' });
    expect(run.stdout.trim()).toBe('3');
  });

  it('is validated, with an error naming it', () => {
    for (const value of ['0', 'two', '2.5', '-1', '999']) {
      const run = runScript(`
        import * as lanes from 'lanes';
        try { lanes.add([1], [2]); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }
      `, { LANES_THREADS: value });
      expect(run.stdout.trim()).toBe(`RangeError: lanes: LANES_THREADS must be an integer from 1 to 256, got '${value}'`);
    }
  });

  it('defaults to one thread per core', () => {
    const run = runScript(`import * as lanes from 'lanes'; import os from 'node:os'; console.log(lanes.configure().threads === os.availableParallelism());`, { LANES_THREADS: '' });
    expect(run.stdout.trim()).toBe('true');
  });
});
