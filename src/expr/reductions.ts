// Reductions of one array beyond sum and dot: min, max, prod, argmin,
// argmax, mean, var, std and norm.
// Each runs as a fused expression (one program per dtype, on every thread,
// over the chunk plan every op uses), so each is bit-identical for any
// thread count. min(a) and max(a) share their names with the elementwise
// ops: with one array they reduce, with two they are elementwise, as in numpy.
import { emptyReduction, rangeError, typeError } from '../errors.js';
import { check } from '../dispatch/operands.js';
import { getRuntime } from '../dispatch/runtime.js';
import type { ArrayOperand } from '../dispatch/operands.js';
import type { CallOptions } from '../dispatch/api.js';
import type { REDUCTIONS, ReductionName } from '../ops/registry.js';
import { Expression } from './run.js';

export interface VarianceOptions extends CallOptions {
  /** Delta degrees of freedom: the sum of squares is divided by n − ddof (default 0, as numpy). The signal is for the promise API. */
  ddof?: number;
}

const programs = new Map<string, Expression>();

/** The expression `source` for the public function `fn` (with `first`, the index of its first nonzero), parsed once; its errors name fn. */
function program(fn: string, source: string, first: boolean): Expression {
  const key = `${fn} ${first} ${source}`;
  let p = programs.get(key);
  if (!p) programs.set(key, (p = new Expression(source, fn, first)));
  return p;
}

/** The one operand must be an array (as the reductions' messages say), checked before anything runs. */
function checkArray(fn: string, a: unknown): void {
  check(getRuntime(), fn, [{ name: 'a', value: a }], undefined, false);
}

function ddofOf(fn: string, options: VarianceOptions | undefined): number {
  if (options === undefined) return 0;
  if (typeof options !== 'object' || options === null) throw typeError(fn, 'options', 'an object', options);
  const { ddof = 0 } = options;
  if (typeof ddof !== 'number') throw typeError(fn, 'options.ddof', 'a number', ddof);
  if (!Number.isInteger(ddof) || ddof < 0) throw rangeError(fn, 'options.ddof', 'a non-negative integer', ddof);
  return ddof;
}

/** One reduction of a, blocking or as a promise. */
function reduce(fn: string, source: string, a: unknown, vars: Record<string, unknown> = {}, first = false): number {
  checkArray(fn, a);
  return program(fn, source, first).run({ a, ...vars }, undefined) as number;
}

async function reduceAsync(fn: string, source: string, a: unknown, signal: AbortSignal | undefined, vars: Record<string, unknown> = {}, first = false): Promise<number> {
  checkArray(fn, a);
  return program(fn, source, first).runAsync({ a, ...vars }, undefined, signal) as Promise<number>;
}

export const minOf = (a: ArrayOperand): number => reduce('min', 'min(a)', a);
export const maxOf = (a: ArrayOperand): number => reduce('max', 'max(a)', a);
export const minOfAsync = (a: ArrayOperand, options?: CallOptions): Promise<number> => reduceAsync('min', 'min(a)', a, options?.signal);
export const maxOfAsync = (a: ArrayOperand, options?: CallOptions): Promise<number> => reduceAsync('max', 'max(a)', a, options?.signal);

/** Π a, in f64 (1 for no elements). */
export const prod = (a: ArrayOperand): number => reduce('prod', 'prod(a)', a);
export const prodAsync = (a: ArrayOperand, options?: CallOptions): Promise<number> => reduceAsync('prod', 'prod(a)', a, options?.signal);

// argmin and argmax take two passes: the extreme m (NaN if a holds one), then
// the index of the first element equal to it (or of the first NaN), each
// chunk stopping at its first. As numpy: the first of equal extremes, and
// −0 and +0 are equal.
const AT_EXTREME = 'where(a == m, 1, 0)';
const AT_NAN = 'where(a != a, 1, 0)';

function argExtreme(fn: 'argmin' | 'argmax', a: ArrayOperand): number {
  checkArray(fn, a);
  if (a.length === 0) throw emptyReduction(fn, fn);
  const m = reduce(fn, fn === 'argmin' ? 'min(a)' : 'max(a)', a);
  return m === m ? reduce(fn, AT_EXTREME, a, { m }, true) : reduce(fn, AT_NAN, a, {}, true);
}

async function argExtremeAsync(fn: 'argmin' | 'argmax', a: ArrayOperand, options: CallOptions | undefined): Promise<number> {
  checkArray(fn, a);
  if (a.length === 0) throw emptyReduction(fn, fn);
  const signal = options?.signal;
  const m = await reduceAsync(fn, fn === 'argmin' ? 'min(a)' : 'max(a)', a, signal);
  return m === m ? reduceAsync(fn, AT_EXTREME, a, signal, { m }, true) : reduceAsync(fn, AT_NAN, a, signal, {}, true);
}

/** The index of the first least element, or of the first NaN. */
export const argmin = (a: ArrayOperand): number => argExtreme('argmin', a);
/** The index of the first greatest element, or of the first NaN. */
export const argmax = (a: ArrayOperand): number => argExtreme('argmax', a);
export const argminAsync = (a: ArrayOperand, options?: CallOptions): Promise<number> => argExtremeAsync('argmin', a, options);
export const argmaxAsync = (a: ArrayOperand, options?: CallOptions): Promise<number> => argExtremeAsync('argmax', a, options);

/** Σa / n (NaN for no elements). */
export function mean(a: ArrayOperand): number {
  checkArray('mean', a);
  return a.length === 0 ? NaN : reduce('mean', 'mean(a)', a);
}

export async function meanAsync(a: ArrayOperand, options?: CallOptions): Promise<number> {
  checkArray('mean', a);
  return a.length === 0 ? NaN : reduceAsync('mean', 'mean(a)', a, options?.signal);
}

// var and std take two passes: the mean m, then Σ(a − m)² in the dtype (m
// rounded to it, as numbers in expressions are), summed as sum sums, over
// n − ddof. NaN where n − ddof ≤ 0, or where a holds NaN or an infinity.
const SQUARES = 'sum((a - m) * (a - m))';

function varianceOf(fn: 'var' | 'std', a: ArrayOperand, options: VarianceOptions | undefined): number {
  checkArray(fn, a);
  const ddof = ddofOf(fn, options);
  if (a.length - ddof <= 0) return NaN;
  const m = reduce(fn, 'mean(a)', a);
  return Number.isFinite(m) ? reduce(fn, SQUARES, a, { m }) / (a.length - ddof) : NaN;
}

async function varianceOfAsync(fn: 'var' | 'std', a: ArrayOperand, options: VarianceOptions | undefined): Promise<number> {
  checkArray(fn, a);
  const ddof = ddofOf(fn, options);
  if (a.length - ddof <= 0) return NaN;
  const m = await reduceAsync(fn, 'mean(a)', a, options?.signal);
  return Number.isFinite(m) ? (await reduceAsync(fn, SQUARES, a, options?.signal, { m })) / (a.length - ddof) : NaN;
}

export const variance = (a: ArrayOperand, options?: VarianceOptions): number => varianceOf('var', a, options);
export const std = (a: ArrayOperand, options?: VarianceOptions): number => Math.sqrt(varianceOf('std', a, options));
export const varianceAsync = (a: ArrayOperand, options?: VarianceOptions): Promise<number> => varianceOfAsync('var', a, options);
export const stdAsync = async (a: ArrayOperand, options?: VarianceOptions): Promise<number> => Math.sqrt(await varianceOfAsync('std', a, options));

// norm takes one pass where it can: Σa² in the dtype, summed as sum sums.
// Where that is finite no square overflowed (a sum of squares that did is
// +∞), and where it is at least n·2^-100 (float32) or n·2^-1000 (float64) the
// squares that fell below the normal range lose at most n·2^-150 or
// n·2^-1075 of it, below 2^-50 of it relative: its root is the norm,
// within the same bound as the scaled passes' (a power-of-two scale changes
// no rounding where nothing underflows). Elsewhere (overflow, tiny data,
// NaN) two passes:
// M = max|a|, then √Σ(a·s)² / s with s = 2^-e, 2^e the power of two at or
// above M, so every (a·s)² is at most 1 and the sum cannot overflow, nor
// lose more than n·2^-150 (float32) or n·2^-1075 (float64) of a sum near 1
// to underflow (BLAS nrm2's idea).
// s stays within the dtype's range (so that it is exact as a number of the
// expression): for the tiniest M, s = 2^127 or 2^1023 leaves (a·s)² normal.
function scaleFor(a: ArrayOperand, largest: number): number {
  let e = Math.ceil(Math.log2(largest));
  if (2 ** e < largest) e += 1; // log2's rounding
  return 2 ** -Math.max(e, a instanceof Float32Array ? -127 : -1023);
}

/** s for max|a| = largest, or undefined where largest is its own norm (0, +∞, NaN). */
function normScale(a: ArrayOperand, largest: number): number | undefined {
  return largest > 0 && largest !== Infinity ? scaleFor(a, largest) : undefined;
}

/** Whether Σa², as summed in the dtype, is its own norm squared (see above). */
function squaresSafe(a: ArrayOperand, squares: number): boolean {
  return squares < Infinity && squares >= a.length * (a instanceof Float32Array ? 2 ** -100 : 2 ** -1000);
}

const SQUARES_OF_A = 'sum(a * a)';
const LARGEST = 'max(abs(a))';
const SCALED_SQUARES = 'sum((a*s) * (a*s))';

/** The Euclidean norm √Σa², with no overflow or underflow in between. */
export function norm(a: ArrayOperand): number {
  checkArray('norm', a);
  if (a.length === 0) return 0;
  const squares = reduce('norm', SQUARES_OF_A, a);
  if (squaresSafe(a, squares)) return Math.sqrt(squares);
  const largest = reduce('norm', LARGEST, a);
  const s = normScale(a, largest);
  return s === undefined ? largest : Math.sqrt(reduce('norm', SCALED_SQUARES, a, { s })) / s;
}

export async function normAsync(a: ArrayOperand, options?: CallOptions): Promise<number> {
  checkArray('norm', a);
  if (a.length === 0) return 0;
  const squares = await reduceAsync('norm', SQUARES_OF_A, a, options?.signal);
  if (squaresSafe(a, squares)) return Math.sqrt(squares);
  const largest = await reduceAsync('norm', LARGEST, a, options?.signal);
  const s = normScale(a, largest);
  return s === undefined ? largest : Math.sqrt(await reduceAsync('norm', SCALED_SQUARES, a, options?.signal, { s })) / s;
}

/** An elementwise min or max that reduces when called with one array (and, as a promise, options). */
export function withReduction<F extends (...args: never[]) => unknown, R>(elementwise: F, reduction: R, async: boolean): F & R {
  const both = function (this: unknown, ...args: unknown[]) {
    const rest = args[1];
    const options = async && typeof rest === 'object' && rest !== null && !Array.isArray(rest) && !ArrayBuffer.isView(rest);
    if (args.length === 1 || (args.length === 2 && options)) return (reduction as (...a: unknown[]) => unknown)(...args);
    return (elementwise as unknown as (...a: unknown[]) => unknown)(...args);
  };
  Object.defineProperty(both, 'name', { value: elementwise.name });
  return both as unknown as F & R;
}

type Row<K extends ReductionName> = Extract<(typeof REDUCTIONS)[number], { name: K }>;
/** Each row's function: with `{ ddof }` where the row takes it. */
type Reductions = { [K in ReductionName]: Row<K> extends { ddof: true } ? (a: ArrayOperand, options?: VarianceOptions) => number : (a: ArrayOperand) => number };
type AsyncReductions = { [K in ReductionName]: (a: ArrayOperand, options?: Row<K> extends { ddof: true } ? VarianceOptions : CallOptions) => Promise<number> };

/** Each row of REDUCTIONS, blocking: the exports of lanes (min and max as withReduction's one-array form). */
export const reductions: Reductions = { min: minOf, max: maxOf, argmin, argmax, prod, mean, var: variance, std, norm };

/** Each row of REDUCTIONS as a promise: the exports of lanes/promises. */
export const reductionsAsync: AsyncReductions = {
  min: minOfAsync,
  max: maxOfAsync,
  argmin: argminAsync,
  argmax: argmaxAsync,
  prod: prodAsync,
  mean: meanAsync,
  var: varianceAsync,
  std: stdAsync,
  norm: normAsync,
};
