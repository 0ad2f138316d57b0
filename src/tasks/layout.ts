// The tasks' shared state: one region of lanes memory (its address in
// control slot EXTENSION, 0 until the first task is registered) holding two
// queues of work units, a completion counter, the registered task list, and
// per-worker slots; and the layout of a work unit. Int32 slots throughout.
import { EXTENSION } from '../pool/control.js';
import { MAX_WORKERS } from '../pool/control.js';

/** The control slot that holds the region's address. */
export const REGION_SLOT = EXTENSION;

/** Queue of units that any worker and a blocking caller may run (head, tail). */
export const SYNC_HEAD = 0;
export const SYNC_TAIL = 1;
/** Queue of the promise API's units: run by workers only, spares included. */
export const ASYNC_HEAD = 2;
export const ASYNC_TAIL = 3;
/** Bumped and notified whenever a unit reaches its end (or a worker acknowledges the task list). */
export const COMPLETIONS = 4;
/** How many tasks are registered; the list is at LIST (a block: Int32 byte length, then JSON). */
export const VERSION = 5;
export const LIST = 6;
/** RUNNING + k: the unit worker k runs now, or 0. */
export const RUNNING = 16;
/** ACK + k: how many tasks worker k has loaded (-1 once it exited). */
export const ACK = RUNNING + MAX_WORKERS + 1;
/** LOAD_ERROR + k: a block with worker k's load failure (Int32 byte length, then JSON), or 0. */
export const LOAD_ERROR = ACK + MAX_WORKERS + 1;
export const QUEUE_CAPACITY = 4096;
const SYNC_QUEUE = LOAD_ERROR + MAX_WORKERS + 1;
const ASYNC_QUEUE = SYNC_QUEUE + QUEUE_CAPACITY;
export const REGION_BYTES = (ASYNC_QUEUE + QUEUE_CAPACITY) * 4;

export type Queue = 'sync' | 'async';
const QUEUES = { sync: [SYNC_HEAD, SYNC_TAIL, SYNC_QUEUE], async: [ASYNC_HEAD, ASYNC_TAIL, ASYNC_QUEUE] } as const;

/** The region as Int32 slots, or undefined before the first task. */
export function regionOf(memory: WebAssembly.Memory, control: Int32Array, view?: Int32Array): Int32Array | undefined {
  const at = Atomics.load(control, REGION_SLOT) >>> 0;
  if (at === 0) return undefined;
  if (view && view.byteOffset === at) return view;
  return new Int32Array(memory.buffer, at, REGION_BYTES / 4);
}

/** Appends a unit; false if the queue is full. Only the thread that owns the pool pushes. */
export function push(region: Int32Array, queue: Queue, unit: number): boolean {
  const [head, tail, slots] = QUEUES[queue];
  const t = region[tail];
  if (t - Atomics.load(region, head) >= QUEUE_CAPACITY) return false;
  Atomics.store(region, slots + (t % QUEUE_CAPACITY), unit);
  Atomics.store(region, tail, t + 1);
  return true;
}

/** Takes the oldest unit, or 0 if there is none. Any thread may pop. */
export function pop(region: Int32Array, queue: Queue): number {
  const [head, tail, slots] = QUEUES[queue];
  for (;;) {
    const h = Atomics.load(region, head);
    if (h >= Atomics.load(region, tail)) return 0;
    // Read before claiming: the slot is rewritten only after the head passes it.
    const unit = Atomics.load(region, slots + (h % QUEUE_CAPACITY));
    if (Atomics.compareExchange(region, head, h, h + 1) === h) return unit >>> 0;
  }
}

export function completed(region: Int32Array): void {
  Atomics.add(region, COMPLETIONS, 1);
  Atomics.notify(region, COMPLETIONS);
}

// A unit: a 64-byte header, then its payload (the serialized items), then room for its outcome.
export const Status = { Queued: 0, Running: 1, Done: 2, Threw: 3, Died: 4, Skipped: 5 } as const;
export type Status = (typeof Status)[keyof typeof Status];
export const Kind = { Map: 0, Starmap: 1, Parallel: 2 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export const U_STATUS = 0;
/** Nonzero: do not start it (the call was aborted or failed). */
export const U_CANCELLED = 1;
export const U_TASK = 2;
export const U_KIND = 3;
/** Index of the unit's first item in the call (for Parallel: the range's start). */
export const U_FIRST = 4;
/** For Parallel: the range's end. */
export const U_END = 5;
export const U_PAYLOAD_BYTES = 6;
export const U_RESULT = 7;
export const U_RESULT_BYTES = 8;
/** Which worker runs it, + 1 (0: the caller, or not started), and its exit code if it died. */
export const U_WORKER = 9;
export const U_CODE = 10;
/** Items of the unit finished so far: the one running when it died is U_FIRST + U_PROGRESS. */
export const U_PROGRESS = 11;
/** 1 if the worker that died ran out of memory. */
export const U_OUT_OF_MEMORY = 12;
/** Room for the outcome after the payload (its address, 0 if none, and bytes): a small outcome needs no block of its own. */
export const U_ROOM = 13;
export const U_ROOM_BYTES = 14;
export const UNIT_HEADER_BYTES = 64;
/** The room a unit leaves for its outcome: as much as its payload, at least MIN and at most MAX bytes. */
export const ROOM_MIN_BYTES = 64;
export const ROOM_MAX_BYTES = 1024;
