/**
 * Awaits `pending` (a pending Atomics.waitAsync, which does not keep Node's
 * event loop alive) while a timer does, so that a script awaiting only lanes
 * calls cannot exit mid-call; an abort of `signal` ends the wait early. The
 * timer runs ten times longer than the wait it covers (`ms`): one that ended
 * with it could leave the loop empty for a moment under load, and Node 24
 * then exits with an unsettled top-level await.
 */
export async function keepAlive(pending: Promise<unknown>, ms: number, signal?: AbortSignal): Promise<void> {
  const alive = setInterval(() => {}, ms * 10);
  let onAbort: (() => void) | undefined;
  const aborted = signal && new Promise<void>((resolve) => signal.addEventListener('abort', (onAbort = () => resolve()), { once: true }));
  try {
    await (aborted ? Promise.race([pending, aborted]) : pending);
  } finally {
    clearInterval(alive);
    if (onAbort) signal!.removeEventListener('abort', onAbort);
  }
}
