// The caller's side of the pool: T threads are this thread plus T − 1
// workers (owned by a supervisor thread). A job is published in the control
// block, every thread claims chunks until none is left, and the caller waits
// for the last one. The pool runs kernels by index and knows no op names.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { closed, AbortError } from '../errors.js';
import type { Kernel } from '../wasm/module.js';
import { chunkCount, claimChunks, kernelFor, runChunk, viewFor, writeJob, type ChunkKernel, type Job } from './chunks.js';
import * as C from './control.js';
import { Programs } from './program.js';
import type { SupervisorData, SupervisorMessage } from './supervisor.js';
import { keepAlive } from './alive.js';
import { startThread } from './thread.js';
import { Mark, Trace } from './trace.js';

export type { Job } from './chunks.js';
export { Shape } from './control.js';

export interface PoolOptions {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of CONTROL_BYTES of zeroed shared memory. */
  control: number;
  /** Kernel export names; a job's `kernel` indexes them. */
  kernelNames: string[];
  /** This thread's kernels, in the same order. */
  kernels: Kernel[];
  threads: number;
  /** Byte offset of WARM_BYTES of shared memory every thread warms its kernels on (warm.ts). */
  scratch: number;
  /** URLs of extension modules every worker and the supervisor load (extension.ts). */
  extensions?: string[];
  /** Passed to every worker as is (structured-cloned), for extensions and the code workers run. */
  shared?: unknown;
  /** A buffer from traceBuffer(), to trace calls in (trace.ts). */
  trace?: SharedArrayBuffer;
}

/**
 * How long idle threads poll before sleeping: a job posted within it starts
 * in well under a µs. It spans the gaps of a stream of calls (a loop that
 * also awaits a timer of 1 ms between calls), as OpenMP's spin does.
 */
const SPIN_MICROS = 2_000;
/** Supervisors started again at most this many times in a row after dying before they came online. */
const MAX_SUPERVISOR_STARTS = 3;
/**
 * A job that one thread runs in less than this is not worth waking a
 * sleeping worker for. On the 2-core VMs measured (npm run bench -- --suite
 * dispatch), an Atomics.notify of a sleeping thread costs the caller 10–60
 * µs, and the worker starts 50 µs to 2 ms after it (longer the longer it
 * slept): after 100 ms idle, waking for exp on 300k floats (0.4 ms) made the
 * call slower than one thread. Short calls that find the workers asleep run
 * without them, until their work adds up to this much: a stream of them is
 * worth waking for (rent, then buy).
 */
const WAKE_WORTH_NS = 500_000;
/** The promise API runs chunks on the caller in slices of this long, between event-loop turns. */
const SLICE_MS = 1;
/** A safety net for waits: re-check this often even without a wake-up. */
const WAIT_MS = 50;

interface Run {
  job: Job;
  /** The caller's kernel for the job. */
  kernel: ChunkKernel;
  chunks: number;
  status: 'running' | 'done' | 'failed';
  error?: Error;
  /** Why the caller stopped the job (abort or close), if it did. */
  stopped?: Error;
}

export class Pool {
  private readonly control: Int32Array;
  private f64: Float64Array;
  private supervisor?: Worker;
  private current: Run | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private isClosed = false;
  private threadCount = 1;
  /** Spare workers (beyond threads − 1, when threads > 1) that take no kernel jobs. */
  private spares = 0;
  /** Worker slots ever used: the ones to check for quiescence. */
  private slots = 0;
  /** Why the supervisor thread failed, if it did. */
  supervisorError?: Error;
  /** Supervisors that died in a row before coming online (see startSupervisor). */
  private failedSupervisorStarts = 0;
  /** Program modules by id, for this thread; the supervisor has them all for the workers. */
  private readonly programs: Programs;
  private nextProgram = 1;
  /** Work (ns on one thread) of recent short calls that ran without the sleeping workers (wakeFor). */
  private missedNs = 0;
  /** When the last job was run (performance.now()): after SPIN_MICROS of idle, the workers sleep. */
  private lastJob = 0;
  /** When this thread last woke the workers: a woken worker can take ms to come up. */
  private wokeAt = -Infinity;
  /** The trace of recent calls, with LANES_TRACE=1 (trace.ts). */
  readonly trace?: Trace;

  constructor(private readonly options: PoolOptions) {
    if (options.trace) this.trace = new Trace(options.trace, 0);
    this.control = new Int32Array(options.memory.buffer, options.control, C.CONTROL_BYTES / 4);
    this.control[C.SEQ] = 2;
    this.f64 = new Float64Array(options.memory.buffer);
    this.programs = new Programs(options.memory, options.kernels);
    this.resize(options.threads);
  }

  get threads(): number {
    return this.threadCount;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Workers running now (they start asynchronously, and a dead one is replaced). */
  get online(): number {
    let count = 0;
    for (let k = 0; k < this.slots; k++) if (Atomics.load(this.control, C.LIVE + k) !== 0) count++;
    return count;
  }

  /** Workers the pool runs now: threads − 1, and the spares if threads > 1. */
  get workers(): number {
    return this.threadCount > 1 ? this.threadCount - 1 + this.spares : 0;
  }

  /**
   * Keeps `spares` workers beyond threads − 1 (when threads > 1) that take no
   * kernel jobs, only extensions' work: with them, work that the caller does
   * not share (the promise API's tasks) still runs on `threads` threads.
   */
  reserve(spares: number): void {
    this.spares = spares;
    this.resize(this.threadCount);
  }

  resize(threads: number): void {
    this.assertOpen();
    this.threadCount = threads;
    const workers = this.workers;
    Atomics.store(this.control, C.KERNEL_WORKERS, threads - 1);
    this.slots = Math.max(this.slots, workers);
    if (workers > 0 && !this.supervisor) this.startSupervisor();
    this.post({ type: 'workers', count: workers });
  }

  /**
   * Resolves once exactly `workers` workers run (started, or retired after
   * a resize), or after `timeoutMs`: for warm-up before measuring, and tests.
   */
  async ready(timeoutMs = 10_000): Promise<void> {
    const until = performance.now() + timeoutMs;
    while (this.online !== this.workers && performance.now() < until) await new Promise((r) => setTimeout(r, 2));
  }

  /** Runs a job to its end on this thread and the workers; throws if it fails. */
  runSync(job: Job, parallel: boolean): void {
    this.assertOpen();
    const pooled = this.usesWorkers(job, parallel);
    const wake = pooled && this.wakeFor(job);
    if (!pooled || (!wake && this.allAsleep())) {
      this.runInline(job, 0, Infinity);
      this.trace?.mark(Mark.Claimed);
      return;
    }
    if (this.current) this.finish(this.current);
    const run = this.publish(job, wake);
    this.trace?.mark(Mark.Published);
    this.finish(run);
    this.trace?.mark(Mark.Settled);
    if (run.status === 'failed') throw run.error;
  }

  /**
   * Runs a job while the event loop keeps turning: this thread works in
   * slices of SLICE_MS and otherwise waits with Atomics.waitAsync. Jobs are
   * queued and run one at a time. An abort stops the job between chunks.
   */
  async runAsync(job: Job, parallel: boolean, signal?: AbortSignal): Promise<void> {
    this.assertOpen();
    if (signal?.aborted) throw new AbortError(signal.reason);
    if (!parallel) {
      this.runInline(job, 0, Infinity);
      return;
    }
    if (!this.usesWorkers(job, parallel)) return this.runSliced(job, signal);
    return new Promise<void>((resolve, reject) => {
      // Aborted while queued: reject now, and skip the job when its turn comes.
      // Once it runs, only runPublished may reject, after the workers let go.
      let started = false;
      const onAbort = () => started || reject(new AbortError(signal!.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue = this.queue.then(async () => {
        started = true;
        signal?.removeEventListener('abort', onAbort);
        if (!signal?.aborted) await this.runPublished(job, signal).then(resolve, reject);
      });
    });
  }

  /** Stops the workers. Calls in flight or queued fail; later calls throw. Idempotent. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const run = this.current;
    if (run) this.stop(run, closed());
    Atomics.store(this.control, C.QUIT, C.Quit.Asked);
    C.ring(this.control);
    // Let workers finish the chunk in hand, so nothing writes after close() returns.
    const until = performance.now() + 1000;
    while (!this.quiescent() && performance.now() < until) Atomics.wait(this.control, C.WAKE, Atomics.load(this.control, C.WAKE), 1);
    if (run?.status === 'running') this.settle(run, run.stopped);
    if (!this.supervisor) return;
    // Workers still busy (a task cannot be preempted) are stopped by the
    // supervisor, which cleans up after each (a heap lock one held) and then
    // ends itself. It is never terminated from here: stopped in the middle of
    // a clean-up, it would leave the heap's lock held for ever. Past the
    // wait it goes on alone (unref'd, it keeps no process alive), and a
    // thread that needs the lock meanwhile waits for it to be released.
    this.post({ type: 'close' });
    const stopped = performance.now() + 1000;
    while (Atomics.load(this.control, C.QUIT) !== C.Quit.Done && performance.now() < stopped) Atomics.wait(this.control, C.QUIT, C.Quit.Asked, 5);
  }

  /**
   * Makes a program module known to every thread (see program.ts) and
   * returns its id, the `kernel` of its jobs. This thread instantiates it
   * now; workers get it from the supervisor and instantiate it when a job
   * first names it.
   */
  loadProgram(module: WebAssembly.Module): number {
    const id = this.nextProgram++;
    this.programs.add(id, { module });
    try {
      this.programs.get(id);
    } catch (error) {
      this.programs.remove(id);
      throw error;
    }
    this.post({ type: 'program', id, module });
    return id;
  }

  /**
   * Makes a kernel library known to every thread (see program.ts): a module
   * whose exports `kernels` every thread takes, in that order, as a kernel
   * table that jobs with `library` = the returned id index. This thread
   * instantiates it now (so a module that does not link throws here) and
   * gets its kernels back; workers instantiate it when a job first names it.
   */
  loadLibrary(module: WebAssembly.Module, kernels: string[]): { id: number; kernels: Kernel[] } {
    this.assertOpen();
    const id = this.nextProgram++;
    this.programs.add(id, { module, kernels });
    let table: Kernel[];
    try {
      table = this.programs.library(id)!;
    } catch (error) {
      this.programs.remove(id);
      throw error;
    }
    this.post({ type: 'program', id, module, kernels });
    return { id, kernels: table };
  }

  /** Forgets a program on every thread; no job may name it any more. */
  unloadProgram(id: number): void {
    this.programs.remove(id);
    if (!this.isClosed) this.post({ type: 'unload', id });
  }

  /** The control block, for extensions' callers (extension.ts). */
  get controlBlock(): Int32Array {
    return this.control;
  }

  /** For tests: terminate worker `index` after `delayMs`, as a crash would. */
  terminateWorker(index: number, delayMs: number): void {
    this.post({ type: 'terminate', index, delayMs });
  }

  private usesWorkers(job: Job, parallel: boolean): boolean {
    return parallel && this.threadCount > 1 && chunkCount(job) > 1;
  }

  /** Runs chunks [from, chunks) here until `deadline`; returns the next chunk to run. */
  private runInline(job: Job, from: number, deadline: number): number {
    const kernel = this.kernelFor(job);
    const chunks = chunkCount(job);
    this.f64 = viewFor(job, this.f64, this.options.memory);
    let i = from;
    try {
      for (; i < chunks; i++) {
        runChunk(job, kernel, i, this.f64);
        if (deadline !== Infinity && performance.now() >= deadline) return i + 1;
      }
    } catch (error) {
      throw this.kernelError(job, String(error));
    }
    return i;
  }

  /** The promise API on one thread: inline, in slices between event-loop turns. */
  private async runSliced(job: Job, signal?: AbortSignal): Promise<void> {
    const chunks = chunkCount(job);
    for (let i = 0; i < chunks; ) {
      if (this.isClosed) throw closed();
      if (signal?.aborted) throw new AbortError(signal.reason);
      i = this.runInline(job, i, performance.now() + SLICE_MS);
      if (i < chunks) await nextTurn();
    }
  }

  private async runPublished(job: Job, signal?: AbortSignal): Promise<void> {
    this.assertOpen();
    if (signal?.aborted) throw new AbortError(signal.reason);
    const run = this.publish(job);
    const onAbort = () => this.stop(run, new AbortError(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let more = true;
      while (!this.poll(run)) {
        if (more) {
          more = this.claim(run, performance.now() + SLICE_MS);
          await nextTurn();
          continue;
        }
        const wake = Atomics.load(this.control, C.WAKE);
        if (this.poll(run)) break;
        const wait = Atomics.waitAsync(this.control, C.WAKE, wake, WAIT_MS);
        if (wait.async) await keepAlive(wait.value, WAIT_MS);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (run.status === 'failed') throw run.error;
  }

  /**
   * Whether every worker sleeps, and none was woken lately: then a job that
   * is not worth waking them for runs inline, unpublished. Until a woken
   * worker comes up, jobs are published for it to join.
   */
  private allAsleep(): boolean {
    return Atomics.load(this.control, C.SLEEPERS) >= this.threadCount - 1 && this.lastJob - this.wokeAt > SPIN_MICROS / 1000;
  }

  /**
   * Whether to wake sleeping workers for a job: if it is long enough to
   * repay the wake, or once the short jobs since the workers were last busy
   * add up to that much.
   */
  private wakeFor(job: Job): boolean {
    const now = performance.now();
    if (now - this.lastJob > SPIN_MICROS / 1000) this.missedNs = 0;
    this.lastJob = now;
    const cost = job.cost ?? Infinity;
    if (cost < WAKE_WORTH_NS) {
      this.missedNs += cost;
      if (this.missedNs < WAKE_WORTH_NS) return false;
    }
    this.missedNs = 0;
    this.wokeAt = now;
    return true;
  }

  /**
   * Publishes a job: mark SEQ odd, wait until no worker is inside the last
   * one, write, mark even; then wake sleeping workers if `wake`. Workers
   * that are awake take part either way.
   */
  private publish(job: Job, wake = true): Run {
    const control = this.control;
    const writing = Atomics.add(control, C.SEQ, 1) + 1;
    this.waitQuiescent();
    writeJob(control, job);
    control[C.CURSOR] = 0;
    control[C.DONE] = 0;
    control[C.STOP] = 0;
    control[C.ERROR] = C.ErrorCode.None;
    this.trace?.publish(writing + 1);
    Atomics.store(control, C.SEQ, writing + 1);
    Atomics.add(control, C.DOORBELL, 1);
    if (wake && Atomics.load(control, C.SLEEPERS) > 0) Atomics.notify(control, C.DOORBELL);
    this.f64 = viewFor(job, this.f64, this.options.memory);
    const run: Run = { job, kernel: this.kernelFor(job), chunks: chunkCount(job), status: 'running' };
    this.current = run;
    return run;
  }

  /** Takes part in the run, then blocks until it has settled. */
  private finish(run: Run): void {
    this.claim(run, Infinity);
    this.trace?.mark(Mark.Claimed);
    let polls = 0;
    const spinUntil = performance.now() + SPIN_MICROS / 1000;
    for (;;) {
      const wake = Atomics.load(this.control, C.WAKE);
      if (this.poll(run)) return;
      if (++polls % 64 !== 0 || performance.now() < spinUntil) continue;
      Atomics.wait(this.control, C.WAKE, wake, WAIT_MS);
    }
  }

  /** Claims chunks on this thread; a kernel that throws fails the job. */
  private claim(run: Run, deadline: number): boolean {
    try {
      return claimChunks(this.control, run.job, run.kernel, this.f64, deadline);
    } catch (error) {
      C.fail(this.control, C.ErrorCode.KernelFailed, String(error));
      return false;
    }
  }

  /** Settles the run if it is over; true once it has settled. */
  private poll(run: Run): boolean {
    if (run.status !== 'running') return true;
    const control = this.control;
    if (Atomics.load(control, C.DONE) === run.chunks) {
      this.settle(run);
    } else if (Atomics.load(control, C.STOP) !== 0 && this.quiescent()) {
      this.settle(run, this.failure(run) ?? run.stopped);
    }
    return run.status !== 'running';
  }

  private settle(run: Run, error?: Error): void {
    run.status = error ? 'failed' : 'done';
    run.error = error;
    if (this.current === run) this.current = null;
  }

  private stop(run: Run, why: Error): void {
    if (run.status !== 'running') return;
    run.stopped ??= why;
    Atomics.store(this.control, C.STOP, 1);
    C.signal(this.control);
  }

  private failure(run: Run): Error | undefined {
    const code = Atomics.load(this.control, C.ERROR);
    if (code === C.ErrorCode.None) return undefined;
    const message = C.failureMessage(this.control);
    if (code === C.ErrorCode.KernelFailed) return this.kernelError(run.job, message);
    return new Error(`${message} (kernel ${this.kernelName(run.job)}); the pool has replaced it`);
  }

  private kernelError(job: Job, message: string): Error {
    return new Error(`lanes: kernel ${this.kernelName(job)} failed: ${message}`);
  }

  /** The caller is thread 0: it always has scratch for a program, and knows every program. */
  private kernelFor(job: Job): ChunkKernel {
    const kernel = kernelFor(job, this.options.kernels, this.programs, this.options.memory, 0);
    if (!kernel) throw new Error(`lanes: internal error: no program ${job.kernel} on the calling thread`);
    return kernel;
  }

  private kernelName(job: Job): string {
    if (job.shape === C.Shape.Program) return 'program';
    if (job.library) return this.programs.kernelNames(job.library)?.[job.kernel] ?? `${job.kernel} of library ${job.library}`;
    return this.options.kernelNames[job.kernel];
  }

  private quiescent(): boolean {
    for (let k = 0; k < this.slots; k++) if (Atomics.load(this.control, C.STATE + k) !== 0) return false;
    return true;
  }

  private waitQuiescent(): void {
    let polls = 0;
    while (!this.quiescent()) {
      if (++polls > 1000) Atomics.wait(this.control, C.WAKE, Atomics.load(this.control, C.WAKE), 1);
    }
  }

  /** `previous`: the threadId of a supervisor that died (the new one cleans up after it and its workers). */
  private startSupervisor(previous?: number): void {
    const { module, memory, control, kernelNames, extensions = [], shared } = this.options;
    const workerData: SupervisorData = {
      lanesWorker: true, module, memory, control, kernelNames, spinMicros: SPIN_MICROS, scratch: this.options.scratch,
      programs: this.programs.entries(), extensions, shared, trace: this.options.trace, previous,
    };
    const supervisor = startThread(new URL('./supervisor.js', import.meta.url), workerData);
    const { threadId } = supervisor;
    supervisor.unref();
    // Without a supervisor there are no workers, and the caller runs every
    // chunk itself: slower, still correct. Keep the reason for diagnostics.
    supervisor.on('error', (error) => (this.supervisorError = error));
    supervisor.on('online', () => (this.failedSupervisorStarts = 0));
    // It ends only at close(). If it dies anyway (out of memory, a bug), its
    // workers went with it, and with them whatever they ran: a new one cleans
    // up after them all (their units fail, a heap lock one held is released)
    // and starts theirs again, so no call waits for ever. One that dies
    // before it comes online, three times in a row, is not started again.
    supervisor.on('exit', () => {
      if (this.supervisor !== supervisor || this.isClosed) return;
      this.supervisor = undefined;
      if (++this.failedSupervisorStarts > MAX_SUPERVISOR_STARTS) return;
      this.startSupervisor(threadId);
      this.post({ type: 'workers', count: this.workers });
    });
    this.supervisor = supervisor;
  }

  private post(message: SupervisorMessage): void {
    this.supervisor?.postMessage(message);
  }

  private assertOpen(): void {
    if (this.isClosed) throw closed();
  }
}
