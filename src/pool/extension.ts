// Extensions: modules that every worker (and the supervisor) loads at start,
// to run work of their own between kernel jobs, such as the user's tasks.
// The pool knows them only by URL and by this interface; each keeps its state
// in the shared memory (control slots EXTENSION… say where).

export interface ExtensionContext {
  memory: WebAssembly.Memory;
  control: Int32Array;
  /** The worker's index k (its slot is STATE + k); -1 in the supervisor. */
  index: number;
  /** What the pool's owner passed as PoolOptions.shared. */
  shared: unknown;
}

export interface WorkerExtension {
  /**
   * Runs one piece of pending work, if there is any: false if there was
   * none, true if it ran, or a promise while it runs (the worker awaits it
   * before it looks for more). Called whenever the worker has no kernel job.
   */
  poll(): boolean | Promise<unknown>;
}

/** What an extension module exports (both optional). */
export interface ExtensionModule {
  /** In each worker, once, before it comes online. */
  startWorker?(context: ExtensionContext): WorkerExtension | Promise<WorkerExtension>;
  /**
   * In the supervisor, after a worker exited: it may have died inside the
   * extension's work. A promise while the clean-up still waits (on a lock
   * that another dead worker holds): the supervisor lets no one stop it
   * before it settles.
   */
  workerExited?(context: ExtensionContext, exit: WorkerExit): void | Promise<void>;
}

/** A worker that exited, as the supervisor saw it. */
export interface WorkerExit {
  /** Its index k; −1 for a supervisor that died (only its heap lock and blocks need cleaning up after). */
  index: number;
  code: number;
  threadId: number;
  /** It was stopped for running out of JS heap (ERR_WORKER_OUT_OF_MEMORY). */
  outOfMemory: boolean;
}

/** How a worker's end reads in an error message: "exited with code 1" or "ran out of memory". */
export function howItEnded(exit: { code: number; outOfMemory: boolean }): string {
  return exit.outOfMemory ? 'ran out of memory (ERR_WORKER_OUT_OF_MEMORY)' : `exited with code ${exit.code}`;
}

export async function loadExtensions(urls: readonly string[]): Promise<ExtensionModule[]> {
  return Promise.all(urls.map((url) => import(url) as Promise<ExtensionModule>));
}
