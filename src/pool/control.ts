// The control block: one Int32Array in the shared memory through which the
// caller and the workers run jobs, with no postMessage per job or chunk.
// This file is its only definition; every index below is an Int32 slot.
//
// Slots are grouped by who writes them and who polls them, one 64-byte
// cache line per group: each store to a line that another core is polling
// moves the line between the cores, so the job's words must not share a
// line with the word idle workers spin on, nor the claim counter with the
// count of finished chunks the caller waits on.

/** Int32 slots per cache line. */
const LINE = 16;

// The bell: what idle workers poll. The caller writes SEQ and DOORBELL once per job.
/** Job sequence: odd while the caller writes a job, even once it is published. Starts at 2. */
export const SEQ = 0;
/** Idle workers wait on this word: bumped (ring) at anything they may have to do. */
export const DOORBELL = 1;
/** Nonzero: every worker exits (Quit.Asked); the supervisor sets Quit.Done once they all have and it has cleaned up after them (close). */
export const QUIT = 2;
export const Quit = { Asked: 1, Done: 2 } as const;
/** How many workers should run: worker k exits when idle if k ≥ WORKERS. */
export const WORKERS = 3;
/** Workers with index below this take kernel jobs; the others (spares) run only extensions' work. */
export const KERNEL_WORKERS = 4;

// Written by workers as they come, go, sleep and wake.
/** Kernel workers blocked in Atomics.wait on DOORBELL: the caller notifies only if any. */
export const SLEEPERS = LINE;
/**
 * Spares blocked on DOORBELL, counted apart: work only kernel workers take
 * (kernel jobs, the blocking API's units) need not wake them.
 */
export const SPARE_SLEEPERS = LINE + 1;

// The published job, written only while SEQ is odd; and its stop and failure, read by every claim.
export const KERNEL = 2 * LINE;
export const SHAPE = 2 * LINE + 1;
export const ELEM_BYTES = 2 * LINE + 2;
export const N = 2 * LINE + 3;
/** Elements per chunk. */
export const CHUNK = 2 * LINE + 4;
export const CHUNKS = 2 * LINE + 5;
/** Pointers (byte offsets, unsigned in a signed slot). OUT holds partials for reductions. */
export const A = 2 * LINE + 6;
export const B = 2 * LINE + 7;
export const OUT = 2 * LINE + 8;
/** 0: KERNEL indexes the kernel module's table; else the id of the kernel library (program.ts) it indexes. */
export const LIBRARY = 2 * LINE + 9;
/** The scalar operand, an f64 at Float64 index SCALAR_F64 (Int32 slots 2·LINE + 10 and 11). */
export const SCALAR_F64 = LINE + 5;
/** Nonzero: claim no more chunks (abort, error or close). */
export const STOP = 2 * LINE + 12;
/** Why the job failed (ErrorCode), first writer wins; MESSAGE says more. */
export const ERROR = 2 * LINE + 13;
/** Bytes of UTF-8 in MESSAGE. */
export const MESSAGE_LENGTH = 2 * LINE + 14;
/** The third operand's pointer (Shape.Ternary), or the address of its two numbers (Shape.TernaryNumbers, in B). */
export const C = 2 * LINE + 15;

// Progress of the published job, one line each: every claim adds to CURSOR,
// every finished chunk to DONE, which the caller polls.
/** The next chunk to claim, with Atomics.add. */
export const CURSOR = 3 * LINE;
/** Chunks finished. */
export const DONE = 4 * LINE;
/** Bumped and notified at every event a waiting caller cares about. */
export const WAKE = 5 * LINE;

/** Slots [EXTENSION, EXTENSION + EXTENSION_SLOTS) belong to extensions (extension.ts), e.g. the address of their shared state. */
export const EXTENSION = 6 * LINE;
export const EXTENSION_SLOTS = 7;

/** STATE + k: the SEQ of the job worker k is inside, or 0 while it is outside any job. */
export const STATE = 7 * LINE;
export const MAX_WORKERS = 255;
/**
 * LIVE + k: worker k's threadId + 1 from the moment it comes online until
 * the supervisor sees it exit, else 0. A slot per worker, not a count: a
 * worker killed while it starts has nothing to take back; and a supervisor
 * started after the last one died knows whom to clean up after.
 */
export const LIVE = STATE + MAX_WORKERS + 1;
/** Byte offset of the error message text, and its capacity. */
export const MESSAGE = (LIVE + MAX_WORKERS + 1) * 4;
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
  /** k(a, b, c, out, n) */
  Ternary: 5,
  /** k(a, p, out, n): the second and third operands are the two numbers at p, the same for every chunk */
  TernaryNumbers: 6,
  /** k(a, &offsets[chunk], out, n): a scan, each chunk from its own f64 offset */
  Scan: 7,
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
