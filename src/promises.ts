// lanes/promises: the lanes API with every op returning a Promise, as
// fs/promises is to fs. The event loop keeps running while an op does, and
// an op takes { signal } to abort it between chunks.
import { asyncApi } from './dispatch/api.js';
import { reductionsAsync, withReduction } from './expr/reductions.js';

export const { add, sub, mul, div, pow, hypot, atan2, copysign, clip, neg, abs, sqrt, square, floor, ceil, trunc, rint, sign, exp, exp2, expm1, sigmoid, sinh, cosh, tanh, asinh, acosh, atanh, cbrt, erf, erfc, sin, cos, tan, asin, acos, atan, log, log2, log10, log1p, cumsum, sum, dot } = asyncApi;
export { AbortError, close, configure, dtypes, empty, free, from, info, scope } from './dispatch/api.js';
export { compileAsync as compile, evaluateAsync as evaluate } from './expr/api.js';
export const { argmax, argmin, mean, norm, prod, std } = reductionsAsync;
const { var: variance } = reductionsAsync;
export { variance as var };
/** Elementwise with two operands; with one array (and options), its minimum. */
export const min = withReduction(asyncApi.min, reductionsAsync.min, true);
/** Elementwise with two operands; with one array (and options), its maximum. */
export const max = withReduction(asyncApi.max, reductionsAsync.max, true);
export { applyAsync as apply, imap, imapUnordered, mapAsync as map, parallelAsync as parallel, starmapAsync as starmap, task, Task } from './tasks/api.js';
export type { AsyncMapOptions as MapOptions, AsyncParallelOptions as ParallelOptions, ImapOptions } from './tasks/api.js';
import { loadModule, type LoadOptions, type LoadSource } from './dispatch/load.js';
import type { BinaryAsyncFn, DotAsyncFn, SumAsyncFn, UnaryAsyncFn } from './dispatch/api.js';
export type { LoadOptions, LoadSource, ModuleSource } from './dispatch/load.js';

/** A loaded user op: its kind decides its arguments, as for lanes' own ops (add, neg, sum, dot). */
export type UserAsyncOp = BinaryAsyncFn & UnaryAsyncFn & SumAsyncFn & DotAsyncFn;

/** lanes.load, with each op returning a Promise and taking { signal }. */
export function load(source: LoadSource, options?: LoadOptions): Promise<Record<string, UserAsyncOp>> {
  return loadModule(source, options, true) as Promise<Record<string, UserAsyncOp>>;
}
export type { CompiledAsyncExpression, ExpressionOptions, ExpressionResult, Variables } from './expr/api.js';
export type {
  ArrayOperand,
  BinaryAsyncFn,
  CallOptions,
  DotAsyncFn,
  Dtype,
  FloatArray,
  Info,
  Operand,
  ResultOf,
  Settings,
  SumAsyncFn,
  UnaryAsyncFn,
} from './dispatch/api.js';
