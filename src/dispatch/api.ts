// The public functions, built from the op table: one sync and one promise
// function per row, plus memory and settings.
import { AbortError, rangeError, typeError } from '../errors.js';
import { DTYPES, dtypeOf, isFloatArray, type Dtype, type FloatArray } from '../memory/arrays.js';
import { REGISTRY, type OpKind, type OpRow, type Registry } from '../ops/registry.js';
import { callAsync, callSync } from './call.js';
import { check, copyInto, type Arg, type ArrayOperand, type Operand } from './operands.js';
import { assertOpen, closeRuntime, getRuntime, MAX_THREADS, setThreads, threads as currentThreads } from './runtime.js';
import { simdFlavor, type SimdFlavor } from '../wasm/module.js';
import { readFileSync } from 'node:fs';

export type { ArrayOperand, Operand } from './operands.js';
export type { Dtype, FloatArray } from '../memory/arrays.js';

type ArrayOf<X> = X extends Float32Array ? Float32Array : X extends Float64Array ? Float64Array : never;
/** The array type of a result: the operands' dtype, float64 if only number[] and numbers. */
export type ResultOf<A, B = number> = [ArrayOf<A> | ArrayOf<B>] extends [never] ? Float64Array : ArrayOf<A> | ArrayOf<B>;

export interface CallOptions {
  /** Aborts the call between chunks; the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface BinaryFn {
  <O extends FloatArray>(a: Operand, b: Operand, out: O): O;
  <A extends Operand, B extends Operand>(a: A, b: B, out?: null): ResultOf<A, B>;
}
export interface UnaryFn {
  <O extends FloatArray>(a: ArrayOperand, out: O): O;
  <A extends ArrayOperand>(a: A, out?: null): ResultOf<A>;
}
export interface TernaryFn {
  <O extends FloatArray>(a: Operand, b: Operand, c: Operand, out: O): O;
  <A extends Operand, B extends Operand, C extends Operand>(a: A, b: B, c: C, out?: null): ResultOf<A, B> | ResultOf<C>;
}
export type SumFn = (a: ArrayOperand) => number;
export type DotFn = (a: ArrayOperand, b: ArrayOperand) => number;

export interface BinaryAsyncFn {
  <O extends FloatArray>(a: Operand, b: Operand, out: O, options?: CallOptions): Promise<O>;
  <A extends Operand, B extends Operand>(a: A, b: B, out?: null | CallOptions, options?: CallOptions): Promise<ResultOf<A, B>>;
}
export interface UnaryAsyncFn {
  <O extends FloatArray>(a: ArrayOperand, out: O, options?: CallOptions): Promise<O>;
  <A extends ArrayOperand>(a: A, out?: null | CallOptions, options?: CallOptions): Promise<ResultOf<A>>;
}
export interface TernaryAsyncFn {
  <O extends FloatArray>(a: Operand, b: Operand, c: Operand, out: O, options?: CallOptions): Promise<O>;
  <A extends Operand, B extends Operand, C extends Operand>(a: A, b: B, c: C, out?: null | CallOptions, options?: CallOptions): Promise<ResultOf<A, B> | ResultOf<C>>;
}
export type SumAsyncFn = (a: ArrayOperand, options?: CallOptions) => Promise<number>;
export type DotAsyncFn = (a: ArrayOperand, b: ArrayOperand, options?: CallOptions) => Promise<number>;

type SyncFns = { unary: UnaryFn; binary: BinaryFn; ternary: TernaryFn; sum: SumFn; dot: DotFn; scan: UnaryFn };
type AsyncFns = { unary: UnaryAsyncFn; binary: BinaryAsyncFn; ternary: TernaryAsyncFn; sum: SumAsyncFn; dot: DotAsyncFn; scan: UnaryAsyncFn };
export type SyncApi = { [R in Registry[number] as R['name']]: SyncFns[R['kind']] };
export type AsyncApi = { [R in Registry[number] as R['name']]: AsyncFns[R['kind']] };

/** Operand names of each kind of op, as error messages name them. */
const OPERANDS: Record<OpKind, readonly string[]> = { unary: ['a'], binary: ['a', 'b'], ternary: ['a', 'b', 'c'], sum: ['a'], dot: ['a', 'b'], scan: ['a'] };
const HAS_OUT: Record<OpKind, boolean> = { unary: true, binary: true, ternary: true, sum: false, dot: false, scan: true };

/** Splits (operands…, out?, options?); an options object may stand in out's place. */
function parse(row: OpRow, args: unknown[], async: boolean): { operands: Arg[]; out?: Arg; signal?: AbortSignal } {
  const names = row.operands ?? OPERANDS[row.kind];
  const operands = names.map((name, i) => ({ name, value: args[i] }));
  let rest = args.slice(names.length);
  let out: Arg | undefined;
  if (HAS_OUT[row.kind]) {
    const o = rest[0];
    const isOptions = async && typeof o === 'object' && o !== null && !Array.isArray(o) && !ArrayBuffer.isView(o);
    if (!isOptions) {
      if (o !== undefined && o !== null) out = { name: 'out', value: o };
      rest = rest.slice(1);
    }
  }
  if (!async) return { operands, out };
  const options = rest[0];
  if (options === undefined) return { operands, out };
  if (typeof options !== 'object' || options === null) throw typeError(row.name, 'options', 'an object', options);
  const signal = (options as CallOptions).signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw typeError(row.name, 'options.signal', 'an AbortSignal', signal);
  return { operands, out, signal };
}

export function syncFn(row: OpRow) {
  return function (...args: unknown[]) {
    const { operands, out } = parse(row, args, false);
    return callSync(row, operands, out);
  };
}

export function asyncFn(row: OpRow) {
  return async function (...args: unknown[]) {
    const { operands, out, signal } = parse(row, args, true);
    return callAsync(row, operands, out, signal);
  };
}

function build(make: (row: OpRow) => (...args: unknown[]) => unknown) {
  const api: Record<string, unknown> = {};
  for (const row of REGISTRY as readonly OpRow[]) {
    const fn = make(row);
    Object.defineProperty(fn, 'name', { value: row.name });
    api[row.name] = fn;
  }
  return api;
}

export const syncApi = build(syncFn) as SyncApi;
export const asyncApi = build(asyncFn) as AsyncApi;

// Memory.

function checkDtype(fn: string, dtype: unknown): Dtype {
  if (dtype !== 'float32' && dtype !== 'float64') throw typeError(fn, 'dtype', "'float32' or 'float64'", dtype);
  return dtype;
}

/** A new lanes array of n elements, contents unspecified (like numpy.empty). */
export function empty(n: number, dtype: Dtype = 'float64'): FloatArray {
  if (typeof n !== 'number') throw typeError('empty', 'n', 'a number', n);
  if (!Number.isSafeInteger(n) || n < 0) throw rangeError('empty', 'n', 'a non-negative integer', n);
  checkDtype('empty', dtype);
  return getRuntime().arrays.empty(n, dtype);
}

/** A lanes copy of a Float32Array, Float64Array or number[], as `dtype` (default: its own, or float64). */
export function from(source: ArrayOperand, dtype?: Dtype): FloatArray {
  const want = dtype === undefined ? (isFloatArray(source) ? dtypeOf(source) : 'float64') : checkDtype('from', dtype);
  const rt = getRuntime();
  const arg = { name: 'source', value: source };
  check(rt, 'from', [arg], undefined, false);
  const result = rt.arrays.empty(source.length, want);
  try {
    copyInto('from', arg, result);
  } catch (error) {
    rt.arrays.free(result);
    throw error;
  }
  return result;
}

/** Releases a lanes array now, rather than when it is garbage-collected. */
export function free(array: FloatArray): void {
  if (!isFloatArray(array)) throw typeError('free', 'array', 'an array lanes returned', array);
  const rt = getRuntime();
  const outcome = rt.arrays.free(array);
  if (outcome === 'stale') throw new TypeError("lanes.free: 'array' was already freed");
  if (outcome === 'foreign') {
    throw new TypeError(`lanes.free: 'array' must be an array lanes returned (empty, from or an op), got a ${array.constructor.name} it did not allocate`);
  }
}

/**
 * Runs fn and frees every lanes array made on this thread while it ran
 * (by empty, from, ops, expressions, tasks' results), except those its
 * result holds: an array it returns, or arrays in the arrays, objects, Maps
 * and Sets it returns, which then belong to the enclosing scope, if any.
 * A synchronous loop never lets the collector run, so arrays it drops are
 * not released until it ends: scope() releases them as it goes.
 */
export function scope<R>(fn: () => R): R {
  if (typeof fn !== 'function') throw typeError('scope', 'fn', 'a function', fn);
  const { arrays } = getRuntime();
  arrays.openScope();
  let result: R;
  try {
    result = fn();
  } catch (error) {
    arrays.closeScope([], true);
    throw error;
  }
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    // fn goes on after its first await, with arrays it made here: nothing is freed.
    arrays.closeScope([], false);
    throw new TypeError('lanes.scope: fn returned a promise; scope frees arrays when fn returns, so fn must be synchronous (in async code, free arrays with lanes.free)');
  }
  arrays.closeScope(arraysIn(result), true);
  return result;
}

/** The lanes arrays a value holds: itself, or in its arrays, plain objects, Maps and Sets, at any depth. */
function arraysIn(value: unknown, found: FloatArray[] = [], seen = new Set<object>()): FloatArray[] {
  if (isFloatArray(value)) found.push(value);
  else if (typeof value === 'object' && value !== null && !seen.has(value)) {
    seen.add(value);
    const plain = Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null;
    const members = Array.isArray(value) || value instanceof Set ? [...(value as Iterable<unknown>)] : value instanceof Map ? [...value.values()] : plain ? Object.values(value) : [];
    for (const member of members) arraysIn(member, found, seen);
  }
  return found;
}

// Settings.

export interface Settings {
  /** Threads per call, this one included; 1 runs every call on the caller. */
  threads: number;
}

/** Changes settings (only those given) and returns them all. */
export function configure(settings: Partial<Settings> = {}): Settings {
  assertOpen();
  if (typeof settings !== 'object' || settings === null) throw typeError('configure', 'settings', 'an object', settings);
  for (const key of Object.keys(settings)) {
    if (key !== 'threads') throw new TypeError(`lanes.configure: unknown setting '${key}'; the settings are: threads`);
  }
  const { threads } = settings;
  if (threads !== undefined) {
    if (typeof threads !== 'number') throw typeError('configure', 'threads', 'a number', threads);
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
      throw rangeError('configure', 'threads', `an integer from 1 to ${MAX_THREADS}`, threads);
    }
  }
  if (threads !== undefined && threads !== currentThreads()) setThreads(threads);
  return { threads: currentThreads() };
}

export interface Info {
  /** This package's version. */
  version: string;
  /**
   * Which kernel module runs: 'relaxed' (WebAssembly relaxed SIMD, where the
   * engine validates it) or 'strict' (plain SIMD; LANES_SIMD=strict forces it).
   * Exact ops give the same bits in both; the others may differ in the last
   * bit, each within its stated bound.
   */
  simd: SimdFlavor;
  threads: number;
  node: string;
  v8: string;
}

export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What runs here: the version, the kernel module, the thread count and the engine. */
export function info(): Info {
  return { version: VERSION, simd: simdFlavor(), threads: currentThreads(), node: process.versions.node, v8: process.versions.v8 };
}

/** Stops the worker threads; later calls throw. Idempotent. Scripts exit without it. */
export function close(): void {
  closeRuntime();
}

export { AbortError };
export const dtypes = Object.keys(DTYPES) as Dtype[];
