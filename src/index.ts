// lanes: vectorized, multithreaded array math for Node.
// Every op blocks its caller until done; see lanes/promises for the same
// functions returning Promises.
import { syncApi } from './dispatch/api.js';

export const { add, sub, mul, div, min, max, neg, abs, sqrt, exp, log, log2, log10, log1p, sum, dot } = syncApi;
export { AbortError, close, configure, dtypes, empty, free, from, info } from './dispatch/api.js';
export { compile, evaluate } from './expr/api.js';
export { apply, map, parallel, starmap, task, Task } from './tasks/api.js';
export type { MapOptions, ParallelOptions } from './tasks/api.js';
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
