// lanes/promises: the event loop keeps turning during a long op, and
// { signal } stops it between chunks with an AbortError. After an abort,
// each element of a lanes `out` holds its old value or its result, chunk by
// chunk; an `out` outside lanes memory is left untouched.
import * as lanes from 'lanes/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { getRuntime } from './support/internals.js';

const N = 8_000_000; // exp over 8M f64: tens of milliseconds

beforeAll(async () => {
  lanes.configure({ threads: 2 });
  await getRuntime().pool.ready();
});

async function expectAbort(promise: Promise<unknown>, reason: unknown) {
  const error = await promise.then(() => undefined, (e: unknown) => e as Error & { code: string; cause: unknown });
  expect(error).toBeInstanceOf(lanes.AbortError);
  expect(error!.name).toBe('AbortError');
  expect(error!.code).toBe('ABORT_ERR');
  expect(error!.message).toBe('lanes: the operation was aborted');
  expect(error!.cause).toBe(reason);
}

describe('the promise API', () => {
  for (const threads of [1, 2]) {
    it(`keeps timers firing during a long op (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      lanes.configure({ threads });
      const a = lanes.empty(N, 'float64').fill(0.25);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const start = performance.now();
      const y = await lanes.exp(a);
      await lanes.exp(a, y);
      const ms = performance.now() - start;
      clearInterval(timer);
      expect(y[N - 1]).toBe(Math.exp(0.25));
      // A blocked loop would tick once at most; a free one about every ms.
      expect(ticks).toBeGreaterThanOrEqual(Math.min(10, Math.floor(ms / 4)));
      lanes.free(a);
      lanes.free(y);
    });
  }

  it('rejects at once with an already-aborted signal, writing nothing', async () => {
    lanes.configure({ threads: 2 });
    const a = lanes.from([1, 2, 3]);
    const out = lanes.from([7, 7, 7]);
    const reason = new Error('no thanks');
    await expectAbort(lanes.exp(a, out, { signal: AbortSignal.abort(reason) }), reason);
    expect(Array.from(out)).toEqual([7, 7, 7]);
  });

  for (const threads of [1, 2]) {
    it(`aborts between chunks (${threads} thread${threads > 1 ? 's' : ''}); out holds old values or results`, async () => {
      lanes.configure({ threads });
      await getRuntime().pool.ready();
      const a = lanes.empty(N, 'float64').fill(1);
      const out = lanes.empty(N, 'float64').fill(-1);
      const controller = new AbortController();
      const reason = 'stop';
      const pending = lanes.exp(a, out, { signal: controller.signal });
      setTimeout(() => controller.abort(reason), 3);
      const start = performance.now();
      await expectAbort(pending, reason);
      expect(performance.now() - start).toBeLessThan(200);
      let done = 0;
      let other = 0;
      for (let i = 0; i < N; i++) {
        if (out[i] === Math.E) done++;
        else if (out[i] !== -1) other++;
      }
      expect(other).toBe(0);
      expect(done).toBeLessThan(N); // stopped early
      // The pool is fine afterwards.
      expect((await lanes.exp(lanes.from([0, 1])))[1]).toBe(Math.E);
    });
  }

  it('an aborted call still queued never runs; the others complete', async () => {
    lanes.configure({ threads: 2 });
    const a = lanes.empty(N, 'float64').fill(2);
    const first = lanes.exp(a);
    const out = lanes.empty(N, 'float64').fill(-1);
    const controller = new AbortController();
    const second = lanes.exp(a, out, { signal: controller.signal });
    const third = lanes.sum(a);
    let firstDone = false;
    void first.then(() => (firstDone = true));
    controller.abort('queued');
    await expectAbort(second, 'queued');
    expect(firstDone).toBe(false); // rejected at once, not after the call ahead of it
    expect((await first)[0]).toBe(Math.exp(2));
    expect(await third).toBe(2 * N);
    expect(out.every((x) => x === -1)).toBe(true);
  });

  it('an out outside lanes memory is untouched by an aborted call', async () => {
    lanes.configure({ threads: 2 });
    const a = lanes.empty(N, 'float64').fill(1);
    const out = new Float64Array(N).fill(-1);
    const controller = new AbortController();
    const pending = lanes.exp(a, out, { signal: controller.signal });
    setTimeout(() => controller.abort('late'), 3);
    await expectAbort(pending, 'late');
    expect(out.every((x) => x === -1)).toBe(true);
  });

  it('checks its options', async () => {
    const a = lanes.from([1]);
    await expect(lanes.exp(a, { signal: 'x' } as never)).rejects.toThrow("lanes.exp: 'options.signal' must be an AbortSignal, got a string");
    await expect(lanes.sum(a, 5 as never)).rejects.toThrow("lanes.sum: 'options' must be an object, got the number 5");
  });
});
