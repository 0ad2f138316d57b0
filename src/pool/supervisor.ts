// The supervisor thread owns the compute workers. A caller blocked in
// Atomics.wait cannot see a worker's 'exit' event, but this thread can: when
// a worker dies inside a job it fails that job through the control block and
// wakes the caller, then starts a replacement.
import { parentPort, workerData, type Worker } from 'node:worker_threads';
import * as C from './control.js';
import { howItEnded, loadExtensions, type WorkerExit } from './extension.js';
import type { ProgramEntry } from './program.js';
import { startThread, type WorkerData } from './thread.js';
import type { ProgramMessage } from './worker.js';

export type SupervisorData = Omit<WorkerData, 'index'> & {
  /** The threadId of the supervisor this one replaces, which died with its workers. */
  previous?: number;
};

/** Messages from the caller's thread; program and unload go on to every worker. */
export type SupervisorMessage =
  | { type: 'workers'; count: number }
  | ProgramMessage
  /** For tests: terminate worker `index` after `delayMs`, as a crash would. */
  | { type: 'terminate'; index: number; delayMs: number }
  /** lanes.close(): stop every worker now, then say so in QUIT. */
  | { type: 'close' };

const data = workerData as SupervisorData;
const control = new Int32Array(data.memory.buffer, data.control, C.CONTROL_BYTES / 4);
const workers: (Worker | undefined)[] = [];
/** Every program loaded and not unloaded: a worker that starts gets them all. */
const programs = new Map<number, ProgramEntry>(data.programs);
const context = { memory: data.memory, control, index: -1, shared: data.shared };
const hooks = (await loadExtensions(data.extensions)).flatMap((m) => (m.workerExited ? [m.workerExited] : []));

/** Workers that died before they came online, in a row: past MAX_FAILED_STARTS, stop trying. */
let failedStarts = 0;
/**
 * Workers terminated on purpose (the tests' crash): they may die before this
 * thread has seen their 'online' event, when it is busy, and must not count
 * as failed starts.
 */
const terminated = new WeakSet<Worker>();
const MAX_FAILED_STARTS = 3;
/** Clean-ups of the extensions still under way (see ExtensionModule.workerExited). */
const cleanups = new Set<Promise<void>>();

function start(index: number): void {
  const worker = startThread(new URL('./worker.js', import.meta.url), { ...data, programs: [...programs], index });
  workers[index] = worker;
  const threadId = worker.threadId; // -1 once the worker has stopped
  let online = false;
  let outOfMemory = false;
  worker.on('online', () => ((online = true), (failedStarts = 0)));
  // The 'exit' that follows is what counts; the error only says why.
  worker.on('error', (error: NodeJS.ErrnoException) => (outOfMemory ||= error.code === 'ERR_WORKER_OUT_OF_MEMORY'));
  worker.on('exit', (code) => {
    if (workers[index] === worker) workers[index] = undefined;
    exited({ index, code, threadId, outOfMemory });
    if (!online && !terminated.has(worker)) failedStarts++;
    const wanted = index < Atomics.load(control, C.WORKERS) && Atomics.load(control, C.QUIT) === 0;
    if (wanted && failedStarts < MAX_FAILED_STARTS) start(index);
  });
}

/**
 * A worker exited: the extensions clean up after it first (it may have held
 * a lock the woken caller needs); then, if it was inside the current job,
 * that job fails.
 */
function exited(exit: WorkerExit): void {
  cleanUpAfter(exit);
  const { index } = exit;
  const slot = C.STATE + index;
  const seq = Atomics.load(control, slot);
  if (seq !== 0) {
    if (Atomics.load(control, C.SEQ) === seq) {
      const why = `lanes: worker thread ${index + 1} ${howItEnded(exit)} in the middle of the call`;
      C.fail(control, C.ErrorCode.WorkerExited, why);
    }
    Atomics.store(control, slot, 0);
  }
  Atomics.store(control, C.LIVE + index, 0);
  C.signal(control);
}

/** The extensions' clean-up after a thread that exited (index −1: a supervisor). */
function cleanUpAfter(exit: WorkerExit): void {
  for (const hook of hooks) {
    const cleanup = hook(context, exit)?.finally(() => cleanups.delete(cleanup!));
    if (cleanup) cleanups.add(cleanup);
  }
}

// Replacing a supervisor that died: its workers were stopped with it (exit
// code 1, as for any terminated worker), inside their jobs and units or not.
if (data.previous !== undefined) {
  cleanUpAfter({ index: -1, code: 1, threadId: data.previous, outOfMemory: false });
  for (let index = 0; index < C.MAX_WORKERS; index++) {
    const live = Atomics.load(control, C.LIVE + index);
    if (live !== 0) exited({ index, code: 1, threadId: live - 1, outOfMemory: false });
  }
}

function resize(count: number): void {
  Atomics.store(control, C.WORKERS, count);
  C.ring(control); // idle workers past the count wake and exit
  for (let i = 0; i < count; i++) if (workers[i] === undefined) start(i);
}

parentPort!.on('message', (message: SupervisorMessage) => {
  if (message.type === 'workers') resize(message.count);
  else if (message.type === 'program' || message.type === 'unload') {
    if (message.type === 'program') programs.set(message.id, { module: message.module, kernels: message.kernels });
    else programs.delete(message.id);
    for (const worker of workers) worker?.postMessage(message);
  } else if (message.type === 'terminate') {
    setTimeout(() => {
      const worker = workers[message.index];
      if (!worker) return;
      terminated.add(worker);
      void worker.terminate();
    }, message.delayMs);
  } else if (message.type === 'close') void close();
});

/**
 * Stops every worker, finishes cleaning up after them, says so in QUIT and
 * ends this thread. Nobody terminates this thread instead: stopped while a
 * clean-up holds the heap's lock, it would leave the lock held for ever.
 */
async function close(): Promise<void> {
  // terminate() settles after the 'exit' handlers, which start each clean-up, have run.
  await Promise.all(workers.map((worker) => worker?.terminate()));
  while (cleanups.size > 0) await Promise.all(cleanups);
  Atomics.store(control, C.QUIT, C.Quit.Done);
  Atomics.notify(control, C.QUIT);
  process.exit(0);
}
