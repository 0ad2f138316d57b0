// lanes: vectorized, multithreaded array math for Node.
// Every op blocks its caller until done; see lanes/promises for the same
// functions returning Promises.
import { syncApi, type BinaryFn, type DotFn, type SumFn, type UnaryFn } from './dispatch/api.js';
import { loadModule, type LoadOptions, type LoadSource } from './dispatch/load.js';
import { reductions, withReduction } from './expr/reductions.js';

export const { add, sub, mul, div, pow, hypot, atan2, copysign, clip, neg, abs, sqrt, square, floor, ceil, trunc, rint, sign, exp, exp2, expm1, sigmoid, sinh, cosh, tanh, asinh, acosh, atanh, cbrt, erf, erfc, sin, cos, tan, asin, acos, atan, log, log2, log10, log1p, cumsum, sum, dot } = syncApi;
export { AbortError, close, configure, dtypes, empty, free, from, info, scope } from './dispatch/api.js';
export { compile, evaluate } from './expr/api.js';
export const { argmax, argmin, mean, norm, prod, std } = reductions;
const { var: variance } = reductions;
export { variance as var };
export type { VarianceOptions } from './expr/reductions.js';
/** Elementwise with two operands (and out); with one array, its minimum as a number (NaN if it holds one). */
export const min = withReduction(syncApi.min, reductions.min, false);
/** Elementwise with two operands (and out); with one array, its maximum as a number (NaN if it holds one). */
export const max = withReduction(syncApi.max, reductions.max, false);
export { apply, map, parallel, starmap, task, Task } from './tasks/api.js';
export type { MapOptions, ParallelOptions } from './tasks/api.js';
export type { LoadOptions, LoadSource, ModuleSource } from './dispatch/load.js';

/** A loaded user op: its kind decides its arguments, as for lanes' own ops (add, neg, sum, dot). */
export type UserOp = BinaryFn & UnaryFn & SumFn & DotFn;

/**
 * Loads a module of user kernels built by lanes-build (docs/abi.md) and
 * resolves to its ops by name, each a blocking function like lanes' own.
 */
export function load(source: LoadSource, options?: LoadOptions): Promise<Record<string, UserOp>> {
  return loadModule(source, options, false) as Promise<Record<string, UserOp>>;
}
export type { CompiledExpression, ExpressionResult, Variables } from './expr/api.js';
export type {
  ArrayOperand,
  BinaryFn,
  CallOptions,
  Dtype,
  DotFn,
  FloatArray,
  Info,
  Operand,
  ResultOf,
  Settings,
  SumFn,
  UnaryFn,
} from './dispatch/api.js';
