import type { BinaryKernel, Kernel, ReduceKernel, ScalarKernel, TernaryKernel, UnaryKernel } from '../wasm/module.js';
import * as C from './control.js';
import { Shape } from './control.js';
import { programSlots, type ProgramKernel, type Programs } from './program.js';

/** A job as the pool runs it: kernel `kernel` over n elements in chunks of `chunk`. */
export interface Job {
  /** Index into the kernel table every thread built from the same names; for Shape.Program, the program's id. */
  kernel: number;
  /** 0, or the id of the kernel library (a loaded user module) whose table `kernel` indexes. */
  library?: number;
  shape: Shape;
  elemBytes: number;
  n: number;
  chunk: number;
  a: number;
  /** The second operand; for Shape.TernaryNumbers, the address of the two numbers; for Shape.Scan, of the chunks' f64 offsets. */
  b: number;
  /** The scalar operand of Shape.Scalar. */
  c: number;
  /** The third operand of Shape.Ternary. */
  third?: number;
  /** The output, or for Shape.Reduce an f64 array of one partial per chunk. */
  out: number;
  /** Its estimated time on one thread, in ns (the op table's cost × n), if known: whether to wake sleeping workers for it. */
  cost?: number;
}

export function chunkCount(job: Job): number {
  return Math.ceil(job.n / job.chunk);
}

/** What a thread runs a job's chunks with: a kernel, or the job's program loaded for this thread. */
export type ChunkKernel = Kernel | ProgramKernel;

/**
 * The kernel of `job` for thread `thread` (0: the caller; worker k: k + 1),
 * or undefined if it has no scratch for the job's program, or does not know
 * the program: it must claim no chunk.
 */
export function kernelFor(job: Job, kernels: readonly Kernel[], programs: Programs, memory: WebAssembly.Memory, thread: number): ChunkKernel | undefined {
  if (job.shape !== Shape.Program) {
    if (!job.library) return kernels[job.kernel];
    return programs.library(job.library)?.[job.kernel];
  }
  if (thread > 0 && thread >= programSlots(memory.buffer, job.a)) return undefined;
  const run = programs.get(job.kernel);
  if (!run) return undefined;
  const args = job.a;
  const kernel: ProgramKernel = (start, length) => run(args, start, length, thread);
  return kernel;
}

/** Runs chunk i of job. `f64` views the whole memory, for reduction partials. */
export function runChunk(job: Job, kernel: ChunkKernel, i: number, f64: Float64Array): void {
  const start = i * job.chunk;
  const length = Math.min(job.chunk, job.n - start);
  const offset = start * job.elemBytes;
  switch (job.shape) {
    case Shape.Unary:
      (kernel as UnaryKernel)(job.a + offset, job.out + offset, length);
      break;
    case Shape.Binary:
      (kernel as BinaryKernel)(job.a + offset, job.b + offset, job.out + offset, length);
      break;
    case Shape.Scalar:
      (kernel as ScalarKernel)(job.a + offset, job.c, job.out + offset, length);
      break;
    case Shape.Ternary:
      (kernel as TernaryKernel)(job.a + offset, job.b + offset, job.third! + offset, job.out + offset, length);
      break;
    case Shape.TernaryNumbers:
      (kernel as BinaryKernel)(job.a + offset, job.b, job.out + offset, length);
      break;
    case Shape.Scan:
      (kernel as BinaryKernel)(job.a + offset, job.b + 8 * i, job.out + offset, length);
      break;
    case Shape.Reduce:
      f64[job.out / 8 + i] = (kernel as ReduceKernel)(job.a + offset, job.b + offset, length);
      break;
    case Shape.Program: {
      const partial = (kernel as ProgramKernel)(start, length);
      if (job.out !== 0) f64[job.out / 8 + i] = partial;
      break;
    }
  }
}

/**
 * A whole-memory f64 view that covers the job's reduction partials: `view`
 * itself unless the memory has grown past it since (views keep their length).
 */
export function viewFor(job: Job, view: Float64Array, memory: WebAssembly.Memory): Float64Array {
  const partials = job.shape === Shape.Reduce || (job.shape === Shape.Program && job.out !== 0);
  const needed = partials ? job.out / 8 + chunkCount(job) : 0;
  return needed <= view.length ? view : new Float64Array(memory.buffer);
}

export function writeJob(control: Int32Array, job: Job): void {
  control[C.KERNEL] = job.kernel;
  control[C.LIBRARY] = job.library ?? 0;
  control[C.SHAPE] = job.shape;
  control[C.ELEM_BYTES] = job.elemBytes;
  control[C.N] = job.n;
  control[C.CHUNK] = job.chunk;
  control[C.CHUNKS] = chunkCount(job);
  control[C.A] = job.a;
  control[C.B] = job.b;
  control[C.C] = job.third ?? 0;
  control[C.OUT] = job.out;
  new Float64Array(control.buffer, control.byteOffset, C.SCALAR_F64 + 1)[C.SCALAR_F64] = job.c;
}

export function readJob(control: Int32Array): Job {
  return {
    kernel: control[C.KERNEL],
    library: control[C.LIBRARY],
    shape: control[C.SHAPE] as Shape,
    elemBytes: control[C.ELEM_BYTES],
    n: control[C.N],
    chunk: control[C.CHUNK],
    a: control[C.A] >>> 0,
    b: control[C.B] >>> 0,
    third: control[C.C] >>> 0,
    c: new Float64Array(control.buffer, control.byteOffset, C.SCALAR_F64 + 1)[C.SCALAR_F64],
    out: control[C.OUT] >>> 0,
  };
}

/**
 * Claims and runs chunks of the published job until none is left, the job is
 * stopped, or `deadline` (a performance.now() time) passes. Returns false
 * once nothing is left to claim. A kernel that throws fails the job.
 */
export function claimChunks(
  control: Int32Array,
  job: Job,
  kernel: ChunkKernel,
  f64: Float64Array,
  deadline = Infinity,
): boolean {
  const chunks = chunkCount(job);
  while (Atomics.load(control, C.STOP) === 0) {
    const i = Atomics.add(control, C.CURSOR, 1);
    if (i >= chunks) return false;
    runChunk(job, kernel, i, f64);
    if (Atomics.add(control, C.DONE, 1) + 1 === chunks) {
      C.signal(control);
      return false;
    }
    if (deadline !== Infinity && performance.now() >= deadline) return true;
  }
  return false;
}
