// A compute worker: instantiates the kernel module over the shared memory,
// then runs chunks of whatever job the caller publishes in the control block,
// and between jobs the work of its extensions (extension.ts). Program
// modules come as messages (through the supervisor), read synchronously when
// a job names one this worker does not have yet.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parentPort, receiveMessageOnPort, threadId, workerData } from 'node:worker_threads';
import { instantiate, kernelTable } from '../wasm/module.js';
import { chunkCount, claimChunks, kernelFor, readJob, viewFor, type Job } from './chunks.js';
import * as C from './control.js';
import { loadExtensions, type WorkerExtension } from './extension.js';
import { Programs, type ProgramEntry } from './program.js';
import type { WorkerData } from './thread.js';
import { Trace, WorkerMark } from './trace.js';
import { warmKernels } from './warm.js';

export type { WorkerData } from './thread.js';

/** A program module to know by id, or one to forget. */
export type ProgramMessage = ({ type: 'program'; id: number } & ProgramEntry) | { type: 'unload'; id: number };

/**
 * With extensions, an idle worker wakes at least this often, and lets its
 * event loop turn before it sleeps: their timers and finalizers run late by
 * at most this much.
 */
const IDLE_TURN_MS = 50;

const data = workerData as WorkerData;
const kernels = kernelTable(instantiate(data.module, data.memory), data.kernelNames);
const control = new Int32Array(data.memory.buffer, data.control, C.CONTROL_BYTES / 4);
const programs = new Programs(data.memory, kernels, data.scratch);
for (const [id, entry] of data.programs) programs.add(id, entry);
const slot = C.STATE + data.index;
let f64: Float64Array = new Float64Array(data.memory.buffer);
const trace = data.trace && new Trace(data.trace, data.index + 1);
warmKernels(kernels, data.scratch);

const context = { memory: data.memory, control, index: data.index, shared: data.shared };
const extensions: WorkerExtension[] = [];
for (const module of await loadExtensions(data.extensions)) if (module.startWorker) extensions.push(await module.startWorker(context));

// Jobs published before this worker started are not its business.
let seen = Atomics.load(control, C.SEQ);
Atomics.store(control, C.LIVE + data.index, threadId + 1);
let idleSince = performance.now();
let polls = 0;
for (;;) {
  const bell = Atomics.load(control, C.DOORBELL);
  if (Atomics.load(control, C.QUIT) !== 0 || data.index >= Atomics.load(control, C.WORKERS)) break;
  const seq = Atomics.load(control, C.SEQ);
  if (seq !== seen && (seq & 1) === 0) {
    if (data.index >= Atomics.load(control, C.KERNEL_WORKERS)) {
      seen = seq; // a spare: kernel jobs are for the others
      continue;
    }
    runJob(seq);
    idleSince = performance.now();
    continue;
  }
  const ran = pollExtensions();
  if (ran !== false) {
    if (ran !== true) await ran;
    idleSince = performance.now();
    continue;
  }
  // Spin briefly, then sleep until the doorbell rings.
  if (++polls % 64 !== 0 || performance.now() - idleSince < data.spinMicros / 1000) continue;
  if (extensions.length > 0) {
    await nextTurn();
    if (Atomics.load(control, C.DOORBELL) !== bell) continue;
  }
  const sleepers = data.index < Atomics.load(control, C.KERNEL_WORKERS) ? C.SLEEPERS : C.SPARE_SLEEPERS;
  Atomics.add(control, sleepers, 1);
  Atomics.wait(control, C.DOORBELL, bell, extensions.length > 0 ? IDLE_TURN_MS : undefined);
  Atomics.sub(control, sleepers, 1);
}

function runJob(seq: number): void {
  // Announce, then confirm the job is still the published one: the caller
  // marks SEQ odd before it waits for every slot to clear, so either it sees
  // this slot or this worker sees the new SEQ and backs off.
  Atomics.store(control, slot, seq);
  if (Atomics.load(control, C.SEQ) !== seq) {
    Atomics.store(control, slot, 0);
    return;
  }
  seen = seq;
  trace?.workerMark(seq, WorkerMark.Seen);
  const job = readJob(control);
  f64 = viewFor(job, f64, data.memory);
  try {
    const program = job.shape === C.Shape.Program ? job.kernel : job.library ?? 0;
    if (program !== 0 && !programs.has(program)) awaitProgram(job, program);
    const kernel = kernelFor(job, kernels, programs, data.memory, data.index + 1);
    if (kernel) claimChunks(control, job, kernel, f64);
    trace?.workerMark(seq, WorkerMark.Done);
  } catch (error) {
    C.fail(control, C.ErrorCode.KernelFailed, String(error));
  }
  Atomics.store(control, slot, 0);
  if (Atomics.load(control, C.STOP) !== 0) C.signal(control);
}

/** Reads program messages until the job's program is known, or there is nothing left to claim. */
function awaitProgram(job: Job, id: number): void {
  const chunks = chunkCount(job);
  for (;;) {
    for (let m = receiveMessageOnPort(parentPort!); m; m = receiveMessageOnPort(parentPort!)) {
      const message = m.message as ProgramMessage;
      if (message.type === 'program') programs.add(message.id, { module: message.module, kernels: message.kernels });
      else programs.remove(message.id);
    }
    if (programs.has(id)) return;
    if (Atomics.load(control, C.STOP) !== 0 || Atomics.load(control, C.QUIT) !== 0 || Atomics.load(control, C.CURSOR) >= chunks) return;
    Atomics.wait(control, C.WAKE, Atomics.load(control, C.WAKE), 0.05);
  }
}

/** Runs one piece of extension work, if any: false if there was none, else as WorkerExtension.poll. */
function pollExtensions(): boolean | Promise<unknown> {
  for (const extension of extensions) {
    const ran = extension.poll();
    if (ran !== false) return ran;
  }
  return false;
}
