// The control block: one Int32Array in the shared memory through which the
// caller and the workers run jobs, with no postMessage per job or chunk.
// This file is its only definition; every index below is an Int32 slot.

/** Job sequence: odd while the caller writes a job, even once it is published. Starts at 2. */
export const SEQ = 0;
/** Workers blocked in Atomics.wait on SEQ: the caller notifies only if any. */
export const SLEEPERS = 1;
/** Bumped and notified at every event a waiting caller cares about. */
export const WAKE = 2;
/** Nonzero: every worker exits. */
export const QUIT = 3;
/** How many workers should run: worker k exits when idle if k ≥ WORKERS. */
export const WORKERS = 4;
/** Workers started and not yet exited. */
export const ONLINE = 5;

// The published job.
export const KERNEL = 6;
export const SHAPE = 7;
export const ELEM_BYTES = 8;
export const N = 9;
/** Elements per chunk. */
export const CHUNK = 10;
export const CHUNKS = 11;
/** Pointers (byte offsets, unsigned in a signed slot). OUT holds partials for reductions. */
export const A = 12;
export const B = 13;
export const OUT = 14;
/** The scalar operand, an f64 at Float64 index SCALAR_F64 (Int32 slots 16 and 17). */
export const SCALAR_F64 = 8;

/** 0: KERNEL indexes the kernel module's table; else the id of the kernel library (program.ts) it indexes. */
export const LIBRARY = 15;

// Progress of the published job.
/** The next chunk to claim, with Atomics.add. */
export const CURSOR = 18;
/** Chunks finished. */
export const DONE = 19;
/** Nonzero: claim no more chunks (abort, error or close). */
export const STOP = 20;
/** Why the job failed (ErrorCode), first writer wins; MESSAGE says more. */
export const ERROR = 21;
/** Bytes of UTF-8 in MESSAGE. */
export const MESSAGE_LENGTH = 22;

/** Idle workers wait on this word: bumped (ring) at anything they may have to do. */
export const DOORBELL = 23;
/** Workers with index below this take kernel jobs; the others (spares) run only extensions' work. */
export const KERNEL_WORKERS = 24;
/** Slots [EXTENSION, EXTENSION + EXTENSION_SLOTS) belong to extensions (extension.ts), e.g. the address of their shared state. */
export const EXTENSION = 25;
export const EXTENSION_SLOTS = 7;

/** STATE + k: the SEQ of the job worker k is inside, or 0 while it is outside any job. */
export const STATE = 32;
export const MAX_WORKERS = 255;
/** Byte offset of the error message text, and its capacity. */
export const MESSAGE = (STATE + MAX_WORKERS + 1) * 4;
export const MESSAGE_BYTES = 1024;
export const CONTROL_BYTES = MESSAGE + MESSAGE_BYTES;

/** How a kernel takes its arguments. */
export const Shape = {
  /** k(a, out, n) */
  Unary: 0,
  /** k(a, b, out, n) */
  Binary: 1,
  /** k(a, c, out, n) */
  Scalar: 2,
  /** partial[chunk] = k(a, b, n) */
  Reduce: 3,
  /** Program `kernel` (see program.ts) over the chunk, its arguments at a; with out ≠ 0, partial[chunk] = its result. */
  Program: 4,
} as const;
export type Shape = (typeof Shape)[keyof typeof Shape];

export const ErrorCode = {
  None: 0,
  /** A kernel threw (a wasm trap); MESSAGE says what. */
  KernelFailed: 1,
  /** A worker exited while inside the job; MESSAGE names it and its exit code. */
  WorkerExited: 2,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Wakes whoever waits for the job's next event. */
export function signal(control: Int32Array): void {
  Atomics.add(control, WAKE, 1);
  Atomics.notify(control, WAKE);
}

/** Wakes idle workers: whatever changed, they look again. */
export function ring(control: Int32Array): void {
  Atomics.add(control, DOORBELL, 1);
  Atomics.notify(control, DOORBELL);
}

/** Records the first failure of the current job and stops further claims. */
export function fail(control: Int32Array, code: ErrorCode, message: string): void {
  if (Atomics.compareExchange(control, ERROR, ErrorCode.None, code) !== ErrorCode.None) return;
  const bytes = new Uint8Array(control.buffer, control.byteOffset + MESSAGE, MESSAGE_BYTES);
  const { written } = new TextEncoder().encodeInto(message, bytes);
  Atomics.store(control, MESSAGE_LENGTH, written);
  Atomics.store(control, STOP, 1);
}

export function failureMessage(control: Int32Array): string {
  const length = Atomics.load(control, MESSAGE_LENGTH);
  const bytes = new Uint8Array(control.buffer, control.byteOffset + MESSAGE, length);
  return new TextDecoder().decode(bytes.slice());
}
