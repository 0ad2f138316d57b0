// A compute worker: instantiates the kernel module over the shared memory,
// then runs chunks of whatever job the caller publishes in the control block.
// Program modules come as messages (through the supervisor), read
// synchronously when a job names one this worker does not have yet: the
// worker never returns to its event loop.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { instantiate, kernelTable } from '../wasm/module.js';
import { chunkCount, claimChunks, kernelFor, readJob, viewFor, type Job } from './chunks.js';
import * as C from './control.js';
import { Programs, type ProgramEntry } from './program.js';
import { warmKernels } from './warm.js';

/** A program module to know by id, or one to forget. */
export type ProgramMessage = ({ type: 'program'; id: number } & ProgramEntry) | { type: 'unload'; id: number };

export interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of the control block. */
  control: number;
  kernelNames: string[];
  /** This worker's index k: its slot is STATE + k. */
  index: number;
  /** How long an idle worker polls for the next job before it sleeps. */
  spinMicros: number;
  /** Byte offset of WARM_BYTES of scratch for the warm-up. */
  scratch: number;
  /** Program modules loaded before this worker started. */
  programs: [number, ProgramEntry][];
}

const data = workerData as WorkerData;
const kernels = kernelTable(instantiate(data.module, data.memory), data.kernelNames);
const control = new Int32Array(data.memory.buffer, data.control, C.CONTROL_BYTES / 4);
const programs = new Programs(data.memory, kernels, data.scratch);
for (const [id, entry] of data.programs) programs.add(id, entry);
const slot = C.STATE + data.index;
let f64: Float64Array = new Float64Array(data.memory.buffer);
warmKernels(kernels, data.scratch);

// Jobs published before this worker started are not its business.
let seen = Atomics.load(control, C.SEQ);
Atomics.add(control, C.ONLINE, 1);
for (;;) {
  const seq = nextJob();
  if (seq === 0) break;
  // Announce, then confirm the job is still the published one: the caller
  // marks SEQ odd before it waits for every slot to clear, so either it sees
  // this slot or this worker sees the new SEQ and backs off.
  Atomics.store(control, slot, seq);
  if (Atomics.load(control, C.SEQ) !== seq) {
    Atomics.store(control, slot, 0);
    continue;
  }
  seen = seq;
  const job = readJob(control);
  f64 = viewFor(job, f64, data.memory);
  try {
    const program = job.shape === C.Shape.Program ? job.kernel : job.library ?? 0;
    if (program !== 0 && !programs.has(program)) awaitProgram(job, program);
    const kernel = kernelFor(job, kernels, programs, data.memory, data.index + 1);
    if (kernel) claimChunks(control, job, kernel, f64);
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

/** Waits for a published job this worker has not seen; 0 when it should exit. */
function nextJob(): number {
  const spinUntil = performance.now() + data.spinMicros / 1000;
  let polls = 0;
  for (;;) {
    if (Atomics.load(control, C.QUIT) !== 0 || data.index >= Atomics.load(control, C.WORKERS)) return 0;
    const seq = Atomics.load(control, C.SEQ);
    if (seq !== seen && (seq & 1) === 0) return seq;
    if (++polls % 64 !== 0 || performance.now() < spinUntil) continue;
    Atomics.add(control, C.SLEEPERS, 1);
    Atomics.wait(control, C.SEQ, seq);
    Atomics.sub(control, C.SLEEPERS, 1);
  }
}
