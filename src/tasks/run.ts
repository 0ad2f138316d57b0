// Running one work unit, the same way on a worker and on the caller: read
// its items, call the task on each, write the results (or the error) back
// into lanes memory, and mark the unit ended.
import type { Arrays } from '../memory/arrays.js';
import { asNumbers, decode, encode, store, write, type Encoded } from './codec.js';
import * as L from './layout.js';

export type TaskFunction = (...args: unknown[]) => unknown;

/** What a task threw, as it crosses threads. */
export interface ThrownRecord {
  /** The item's index in the call. */
  index: number;
  name: string;
  message: string;
  stack: string;
  /** Why the task could not run at all here (its module failed to load, or it returned a promise to a blocking caller). */
  setup?: string;
}

/** A unit's outcome, as written into its result block. */
export type Outcome = [results: unknown[], error?: ThrownRecord];

export interface Runner {
  arrays: Arrays;
  /** The task functions this thread has loaded, by id (undefined: failed to load; the reason in loadErrors). */
  fns: (TaskFunction | undefined)[];
  loadErrors: string[];
  /** The worker's index, or -1 on the caller. */
  index: number;
  /** The region, to announce the unit running (workers) and its completion. */
  region?: Int32Array;
  /** The blocking API's caller cannot wait for a promise. */
  blocking: boolean;
}

const isThenable = (x: unknown): x is PromiseLike<unknown> => typeof (x as { then?: unknown } | null)?.then === 'function' && (typeof x === 'object' || typeof x === 'function');

export function thrownRecord(error: unknown, index: number, setup?: string): ThrownRecord {
  const e = error as { name?: unknown; message?: unknown; stack?: unknown } | null;
  const isError = typeof e === 'object' && e !== null && typeof e.message === 'string';
  return {
    index,
    name: isError && typeof e.name === 'string' ? e.name : 'Error',
    message: isError ? (e.message as string) : String(error),
    stack: isError && typeof e.stack === 'string' ? e.stack : '',
    ...(setup ? { setup } : {}),
  };
}

export function header(arrays: Arrays, unit: number): Int32Array {
  return new Int32Array(arrays.memory.covering(unit + L.UNIT_HEADER_BYTES), unit, L.UNIT_HEADER_BYTES / 4);
}

/** Runs the unit at `unit`; true once it has ended, or a promise while an async task runs. */
export function runUnit(r: Runner, unit: number): true | Promise<unknown> {
  const u = header(r.arrays, unit);
  // Whose it is, before RUNNING names it: the supervisor fails the unit a dead
  // worker's RUNNING names only if it is still that worker's, not the block
  // reused for a later unit (the worker may die after its unit ended).
  Atomics.store(u, L.U_WORKER, r.index + 1);
  if (r.region && r.index >= 0) Atomics.store(r.region, L.RUNNING + r.index, unit);
  if (Atomics.load(u, L.U_CANCELLED) !== 0) return end(r, u, L.Status.Skipped);
  Atomics.store(u, L.U_STATUS, L.Status.Running);
  const first = u[L.U_FIRST];
  const fn = r.fns[u[L.U_TASK]];
  if (!fn) return finish(r, u, [[], thrownRecord(new Error(r.loadErrors[u[L.U_TASK]] ?? 'not loaded'), first, 'load')]);
  let input: unknown;
  try {
    input = decode(r.arrays, unit + L.UNIT_HEADER_BYTES, u[L.U_PAYLOAD_BYTES], false);
  } catch (error) {
    return finish(r, u, [[], thrownRecord(error, first)]);
  }
  const kind = u[L.U_KIND] as L.Kind;
  const items = kind === L.Kind.Parallel ? [input] : (input as unknown[]);
  const end_ = u[L.U_END];
  const call = (i: number) => {
    Atomics.store(u, L.U_PROGRESS, i);
    if (kind === L.Kind.Map) return fn(items[i]);
    if (kind === L.Kind.Starmap) return fn(...(items[i] as unknown[]));
    return fn(items[0], first, end_);
  };
  const outcome = runItems(items.length, call, kind === L.Kind.Parallel ? 0 : first, r.blocking);
  if (isThenable(outcome)) return Promise.resolve(outcome).then((o) => finish(r, u, o));
  return finish(r, u, outcome);
}

/** Calls call(0 … n-1) in order, awaiting any that returns a promise; stops at the first that throws. */
function runItems(n: number, call: (i: number) => unknown, first: number, blocking: boolean): Outcome | Promise<Outcome> {
  const results: unknown[] = [];
  for (let i = 0; i < n; i++) {
    let value: unknown;
    try {
      value = call(i);
    } catch (error) {
      return [results, thrownRecord(error, first + i)];
    }
    if (isThenable(value)) {
      if (blocking) {
        Promise.resolve(value).catch(() => {});
        const why = new TypeError('the task returned a promise, which the blocking API cannot wait for on the calling thread; use lanes/promises');
        return [results, thrownRecord(why, first + i, 'promise')];
      }
      return continueAsync(value, i);
    }
    results.push(value);
  }
  return [results];

  async function continueAsync(pending: PromiseLike<unknown>, from: number): Promise<Outcome> {
    for (let i = from; i < n; i++) {
      try {
        results.push(await (i === from ? pending : call(i)));
      } catch (error) {
        return [results, thrownRecord(error, first + i)];
      }
    }
    return [results];
  }
}

function finish(r: Runner, u: Int32Array, outcome: Outcome): true {
  let bytes: Encoded;
  try {
    bytes = (outcome.length === 1 && asNumbers(outcome[0], true)) || encode(r.arrays, outcome, { mode: 'retain' }, 'task');
  } catch (error) {
    // A result that cannot be cloned fails its item.
    bytes = encode(r.arrays, [outcome[0].slice(0, 0), thrownRecord(error, u[L.U_FIRST] + outcome[0].length)], { mode: 'retain' }, 'task');
  }
  if (bytes.byteLength <= u[L.U_ROOM_BYTES]) {
    write(r.arrays, bytes, u[L.U_ROOM] >>> 0);
    u[L.U_RESULT] = u[L.U_ROOM];
  } else {
    u[L.U_RESULT] = store(r.arrays, bytes, 0);
  }
  u[L.U_RESULT_BYTES] = bytes.byteLength;
  return end(r, u, outcome[1] ? L.Status.Threw : L.Status.Done);
}

function end(r: Runner, u: Int32Array, status: L.Status): true {
  Atomics.store(u, L.U_STATUS, status);
  if (r.region) {
    if (r.index >= 0) Atomics.store(r.region, L.RUNNING + r.index, 0);
    L.completed(r.region);
  }
  return true;
}

/** Reads a unit's result block: the outcome (its lanes arrays now owned here). */
export function readOutcome(arrays: Arrays, u: Int32Array): Outcome {
  return decode(arrays, u[L.U_RESULT] >>> 0, u[L.U_RESULT_BYTES], true) as Outcome;
}

/** The task list as the caller writes it: [{ url, exportName }] as JSON after an Int32 byte length. */
export interface ListedTask {
  url: string;
  exportName: string;
}

export function writeBlock(arrays: Arrays, value: unknown): number {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const at = store(arrays, bytes, 8);
  new Int32Array(arrays.memory.covering(at + 4), at, 1)[0] = bytes.byteLength;
  return at;
}

export function readBlock<T>(arrays: Arrays, at: number): T {
  const length = new Int32Array(arrays.memory.covering(at + 4), at, 1)[0];
  return JSON.parse(new TextDecoder().decode(new Uint8Array(arrays.memory.covering(at + 8 + length), at + 8, length).slice())) as T;
}
