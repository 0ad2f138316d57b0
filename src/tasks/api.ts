// The user's own functions on lanes' pool, in multiprocessing.Pool's
// vocabulary: task() loads a module's export on every thread; map, starmap
// and apply run it (blocking in lanes, promises in lanes/promises, with imap
// and imapUnordered as async iterators there); parallel runs it over the
// chunks of a range.
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerWorkerExtension, threads } from '../dispatch/runtime.js';
import { howItEnded } from '../pool/extension.js';
import { AbortError, notAFunctionExport, notATask, rangeError, taskFailed, taskLoadFailed, typeError, workerDied } from '../errors.js';
import { getHost, Task, type Host, type Taken, type Unit } from './client.js';
import { Kind } from './layout.js';
import type { TaskFunction } from './run.js';

export { Task } from './client.js';

registerWorkerExtension(new URL('./worker.js', import.meta.url).href);

/** Units a call keeps in flight at most (more are made as these are consumed): memory stays flat. */
const WINDOW = 256;

/**
 * In flight at or below this many, a call queues more. A full window
 * refills by halves: one flush (a possible wake-up) per 128 units, not per
 * unit, and workers that run ahead of the caller find 128 units waiting
 * instead of an empty queue. A small window (imap's concurrency, apply)
 * refills at every free slot, to keep that many running.
 */
function lowWater(window: number): number {
  return window >= WINDOW ? window / 2 : window - 1;
}
/** parallel() cuts a range into this many chunks by default, whatever the thread count. */
const PARALLEL_CHUNKS = 64;

export interface MapOptions {
  /** Items per unit of work sent to a thread (default: len / (4 × threads), rounded up, as multiprocessing does). */
  chunksize?: number;
}
export interface AsyncMapOptions extends MapOptions {
  /** Stops new items at once; the call rejects with an AbortError. */
  signal?: AbortSignal;
}
export interface ImapOptions extends AsyncMapOptions {
  /** Items in flight at most (default 2 × threads); the input is read no further ahead. */
  concurrency?: number;
}
export interface ParallelOptions<R, A> {
  /** Folds the chunks' results in chunk order: combine(acc, part), from `initial`. */
  combine?: (acc: A, part: R) => A;
  initial?: A;
  /** Elements per chunk (default: n / 64, rounded up, whatever the thread count). */
  chunksize?: number;
}
export interface AsyncParallelOptions<R, A> extends ParallelOptions<R, A> {
  signal?: AbortSignal;
}

/** The input of one unit. */
interface Spec {
  value: unknown;
  first: number;
  end: number;
}

// Arguments.

function toURL(moduleURL: unknown): string {
  if (moduleURL instanceof URL) return moduleURL.href;
  if (typeof moduleURL !== 'string') throw typeError('task', 'moduleURL', 'a URL, a URL string or an absolute path', moduleURL);
  if (isAbsolute(moduleURL)) return pathToFileURL(moduleURL).href;
  if (/^[a-z][a-z0-9+.-]+:/i.test(moduleURL)) return moduleURL;
  throw new TypeError(`lanes.task: 'moduleURL' must be a URL, a URL string or an absolute path, got the relative '${moduleURL}'; use new URL('${moduleURL}', import.meta.url)`);
}

function checkTask(fn: string, task: unknown): Task {
  if (!(task instanceof Task)) throw notATask(fn, task);
  return task;
}

function optionsOf<T extends object>(fn: string, options: unknown, keys: string[]): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw typeError(fn, 'options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!keys.includes(key)) throw new TypeError(`lanes.${fn}: unknown option '${key}'; the options are: ${keys.join(', ')}`);
  }
  const o = options as Record<string, unknown>;
  for (const key of ['chunksize', 'concurrency']) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'number') throw typeError(fn, `options.${key}`, 'a number', v);
    if (!Number.isSafeInteger(v) || v < 1) throw rangeError(fn, `options.${key}`, 'a positive integer', v);
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw typeError(fn, 'options.signal', 'an AbortSignal', o.signal);
  if (o.combine !== undefined && typeof o.combine !== 'function') throw typeError(fn, 'options.combine', 'a function', o.combine);
  return options as Partial<T>;
}

function isIterable(x: unknown): x is Iterable<unknown> {
  return typeof (x as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] === 'function' && typeof x !== 'string';
}
function isPromise<T>(x: T | Promise<T>): x is Promise<T> {
  return typeof (x as { then?: unknown }).then === 'function';
}
function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof (x as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function';
}

function arrayOf(fn: string, name: string, items: unknown): unknown[] {
  if (Array.isArray(items)) return items;
  if (isIterable(items)) return Array.from(items);
  throw typeError(fn, name, 'an array or an iterable', items);
}

async function asyncArrayOf(fn: string, name: string, items: unknown): Promise<unknown[]> {
  if (Array.isArray(items) || isIterable(items)) return arrayOf(fn, name, items);
  if (!isAsyncIterable(items)) throw typeError(fn, name, 'an array, an iterable or an async iterable', items);
  const all: unknown[] = [];
  for await (const item of items) all.push(item);
  return all;
}

function checkArgLists(fn: string, argLists: unknown[]): void {
  argLists.forEach((args, i) => {
    if (!Array.isArray(args)) throw typeError(fn, `argLists[${i}]`, 'an array of arguments', args);
  });
}

function defaultChunksize(length: number): number {
  return Math.max(1, Math.ceil(length / (4 * threads())));
}

function* chunked(items: unknown[], chunksize: number): Generator<Spec> {
  for (let first = 0; first < items.length; first += chunksize) yield { value: items.slice(first, first + chunksize), first, end: 0 };
}

/** Chunks of an iterable or async iterable, read lazily. */
async function* chunkedAsync(items: Iterable<unknown> | AsyncIterable<unknown>, chunksize: number): AsyncGenerator<Spec> {
  let chunk: unknown[] = [];
  let first = 0;
  for await (const item of items as AsyncIterable<unknown>) {
    chunk.push(item);
    if (chunk.length === chunksize) {
      yield { value: chunk, first, end: 0 };
      first += chunk.length;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield { value: chunk, first, end: 0 };
}

function* ranges(n: number, args: unknown, chunksize: number): Generator<Spec> {
  for (let start = 0; start < n; start += chunksize) yield { value: args, first: start, end: Math.min(n, start + chunksize) };
}

function rangeChunksize(fn: string, n: unknown, chunksize: number | undefined): number {
  if (typeof n !== 'number') throw typeError(fn, 'n', 'a number', n);
  if (!Number.isSafeInteger(n) || n < 0) throw rangeError(fn, 'n', 'a non-negative integer', n);
  return chunksize ?? Math.max(1, Math.ceil(n / PARALLEL_CHUNKS));
}

// Running units.

/** The error a failed unit raises. */
function failure(fn: string, task: Task, taken: Taken): Error | undefined {
  const f = taken.failure;
  if (!f) return undefined;
  if (f.kind === 'died') return workerDied(fn, task.label, f.index, f.worker, howItEnded(f));
  const { thrown } = f;
  const cause = Object.assign(new Error(thrown.message), { name: thrown.name, stack: thrown.stack });
  return taskFailed(fn, task.label, thrown.index, `${thrown.name}: ${thrown.message}`, cause);
}

/** Runs the units of `specs` on the pool, blocking; their results, in order, in one array. */
function runSync(fn: string, task: Task, kind: Kind, specs: Iterator<Spec>): unknown[] {
  const host = getHost();
  const inflight: Unit[] = [];
  // Appended one by one: Array.prototype.flat over the units' arrays took
  // most of a 100k-item map's time.
  const all: unknown[] = [];
  let exhausted = false;
  host.begin();
  const fill = () => {
    while (!exhausted && inflight.length < WINDOW) {
      const next = specs.next();
      if (next.done) exhausted = true;
      else inflight.push(host.submit(fn, task, kind, next.value.value, next.value.first, next.value.end, false));
    }
    host.flush();
  };
  try {
    fill();
    while (inflight.length > 0) {
      host.waitSync(() => host.ended(inflight[0]));
      const taken = host.take(inflight.shift()!);
      const error = failure(fn, task, taken);
      if (error) throw error;
      for (const x of taken.results) all.push(x);
      if (!exhausted && inflight.length <= lowWater(WINDOW)) fill();
    }
  } finally {
    host.abandon(inflight);
    host.end();
  }
  return all;
}

/**
 * Runs the units of `specs` on the workers, at most `window` at once,
 * yielding the results of the units that have ended by each look, as one
 * array of results per unit, in order (or as they end, if not `ordered`).
 * A unit that failed yields the results before its failing item, then throws.
 * Stopping early (break, abort, error) abandons the units not yet started.
 */
async function* runAsync(
  fn: string,
  task: Task,
  kind: Kind,
  specs: Iterator<Spec> | AsyncIterator<Spec>,
  window: number,
  ordered: boolean,
  signal?: AbortSignal,
): AsyncGenerator<unknown[][]> {
  const host: Host = getHost();
  const inflight: Unit[] = [];
  let exhausted = false;
  host.begin();
  try {
    for (;;) {
      if (signal?.aborted) throw new AbortError(signal.reason);
      if (!exhausted && inflight.length <= lowWater(window)) {
        while (!exhausted && inflight.length < window) {
          // Items of an array or a sync iterable are read without a turn of the microtask queue each.
          let next = specs.next();
          if (isPromise(next)) next = await next;
          if (next.done) exhausted = true;
          else inflight.push(host.submit(fn, task, kind, next.value.value, next.value.first, next.value.end, true));
        }
        host.flush();
      }
      if (inflight.length === 0) return;
      // The next unit to take: the front (ordered) or any that has ended; -1 if none has.
      const endedAt = () => (ordered ? (inflight.length > 0 && host.ended(inflight[0]) ? 0 : -1) : inflight.findIndex((u) => host.ended(u)));
      if (host.rt.pool.closed || endedAt() < 0) await host.waitAsync(() => endedAt() >= 0, signal);
      // Every unit that has ended by now, in one batch: a yield per unit took
      // a few microtask turns each.
      const batch: unknown[][] = [];
      let error: Error | undefined;
      for (let i = endedAt(); i >= 0 && !error; i = endedAt()) {
        const taken = host.take(i === 0 ? inflight.shift()! : inflight.splice(i, 1)[0]);
        if (taken.results.length > 0) batch.push(taken.results);
        error = failure(fn, task, taken);
      }
      if (batch.length > 0) yield batch;
      if (error) throw error;
    }
  } finally {
    host.abandon(inflight);
    host.end();
    if (!exhausted) await specs.return?.();
  }
}

async function collect(batches: AsyncGenerator<unknown[][]>): Promise<unknown[]> {
  const all: unknown[] = [];
  for await (const batch of batches) for (const part of batch) for (const x of part) all.push(x);
  return all;
}

function fold(parts: unknown[], options: ParallelOptions<unknown, unknown>): unknown {
  if (!options.combine) return undefined;
  let acc = options.initial;
  for (const part of parts) acc = options.combine(acc, part);
  return acc;
}

// The public functions.

/**
 * Loads export `exportName` of the ES module at `moduleURL` on this thread
 * and on every worker, and resolves to a handle for map, imap, apply,
 * parallel... The handle stays valid across configure({ threads }).
 */
export async function task(moduleURL: string | URL, exportName = 'default'): Promise<Task> {
  const url = toURL(moduleURL);
  if (typeof exportName !== 'string') throw typeError('task', 'exportName', 'a string', exportName);
  const host = getHost();
  const known = host.find(url, exportName);
  if (known) return known;
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw taskLoadFailed(url, exportName, error);
  }
  const fn = module[exportName];
  if (typeof fn !== 'function') throw notAFunctionExport(url, exportName, fn, Object.keys(module));
  const t = host.find(url, exportName) ?? host.register(url, exportName, fn as TaskFunction);
  try {
    await host.loaded(t);
  } catch (error) {
    const { cause, message } = error as Error;
    throw taskLoadFailed(url, exportName, cause, ` ${message}`);
  }
  return t;
}

/** fn(item) for each item, blocking; the results in order. Fails on the first item (in order) that fails. */
export function map(task: Task, items: Iterable<unknown>, options?: MapOptions): unknown[] {
  const t = checkTask('map', task);
  const all = arrayOf('map', 'items', items);
  const { chunksize = defaultChunksize(all.length) } = optionsOf<MapOptions>('map', options, ['chunksize']);
  return runSync('map', t, Kind.Map, chunked(all, chunksize));
}

/** fn(...args) for each args of argLists, blocking; the results in order. */
export function starmap(task: Task, argLists: Iterable<unknown[]>, options?: MapOptions): unknown[] {
  const t = checkTask('starmap', task);
  const all = arrayOf('starmap', 'argLists', argLists);
  checkArgLists('starmap', all);
  const { chunksize = defaultChunksize(all.length) } = optionsOf<MapOptions>('starmap', options, ['chunksize']);
  return runSync('starmap', t, Kind.Starmap, chunked(all, chunksize));
}

/** One call fn(...args), blocking. */
export function apply(task: Task, ...args: unknown[]): unknown {
  const t = checkTask('apply', task);
  return runSync('apply', t, Kind.Starmap, chunked([args], 1))[0];
}

/**
 * fn(args, start, end) over the chunks of [0, n), on every thread (this one
 * included), blocking. With { combine, initial }, returns the chunks'
 * results folded in chunk order; without, undefined.
 */
export function parallel<R = unknown, A = unknown>(task: Task, n: number, args?: unknown, options?: ParallelOptions<R, A>): A | undefined {
  const t = checkTask('parallel', task);
  const o = optionsOf<ParallelOptions<R, A>>('parallel', options, ['combine', 'initial', 'chunksize']);
  const chunksize = rangeChunksize('parallel', n, o.chunksize);
  const parts = runSync('parallel', t, Kind.Parallel, ranges(n, args, chunksize));
  return fold(parts, o as ParallelOptions<unknown, unknown>) as A | undefined;
}

export async function mapAsync(task: Task, items: Iterable<unknown> | AsyncIterable<unknown>, options?: AsyncMapOptions): Promise<unknown[]> {
  const t = checkTask('map', task);
  const o = optionsOf<AsyncMapOptions>('map', options, ['chunksize', 'signal']);
  const all = await asyncArrayOf('map', 'items', items);
  return collect(runAsync('map', t, Kind.Map, chunked(all, o.chunksize ?? defaultChunksize(all.length)), WINDOW, true, o.signal));
}

export async function starmapAsync(task: Task, argLists: Iterable<unknown[]> | AsyncIterable<unknown[]>, options?: AsyncMapOptions): Promise<unknown[]> {
  const t = checkTask('starmap', task);
  const o = optionsOf<AsyncMapOptions>('starmap', options, ['chunksize', 'signal']);
  const all = await asyncArrayOf('starmap', 'argLists', argLists);
  checkArgLists('starmap', all);
  return collect(runAsync('starmap', t, Kind.Starmap, chunked(all, o.chunksize ?? defaultChunksize(all.length)), WINDOW, true, o.signal));
}

export async function applyAsync(task: Task, ...args: unknown[]): Promise<unknown> {
  const t = checkTask('apply', task);
  return (await collect(runAsync('apply', t, Kind.Starmap, chunked([args], 1), 1, true)))[0];
}

export async function parallelAsync<R = unknown, A = unknown>(task: Task, n: number, args?: unknown, options?: AsyncParallelOptions<R, A>): Promise<A | undefined> {
  const t = checkTask('parallel', task);
  const o = optionsOf<AsyncParallelOptions<R, A>>('parallel', options, ['combine', 'initial', 'chunksize', 'signal']);
  const chunksize = rangeChunksize('parallel', n, o.chunksize);
  const parts = await collect(runAsync('parallel', t, Kind.Parallel, ranges(n, args, chunksize), WINDOW, true, o.signal));
  return fold(parts, o as ParallelOptions<unknown, unknown>) as A | undefined;
}

function imapWith(fn: string, ordered: boolean) {
  return function (task: Task, items: Iterable<unknown> | AsyncIterable<unknown>, options?: ImapOptions): AsyncGenerator<unknown> {
    const t = checkTask(fn, task);
    const o = optionsOf<ImapOptions>(fn, options, ['chunksize', 'concurrency', 'signal']);
    if (!isIterable(items) && !isAsyncIterable(items)) throw typeError(fn, 'items', 'an array, an iterable or an async iterable', items);
    const chunksize = o.chunksize ?? 1;
    const window = Math.max(1, Math.floor((o.concurrency ?? 2 * threads()) / chunksize));
    const specs = chunkedAsync(items, chunksize);
    return (async function* () {
      for await (const batch of runAsync(fn, t, Kind.Map, specs, window, ordered, o.signal)) {
        for (const part of batch) {
          // As between looks: an abort stops what has not been yielded.
          if (o.signal?.aborted) throw new AbortError(o.signal.reason);
          yield* part;
        }
      }
    })();
  };
}

/** fn(item) for each item, as an async iterator of the results in input order, read lazily. */
export const imap = imapWith('imap', true);
/** Like imap, yielding results in the order they complete. */
export const imapUnordered = imapWith('imapUnordered', false);
