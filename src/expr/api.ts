// lanes.evaluate and lanes.compile, blocking and as promises.
import { typeError } from '../errors.js';
import type { FloatArray } from '../memory/arrays.js';
import { Expression, type Variables } from './run.js';

export type { Variables } from './run.js';

/** An elementwise expression gives an array (`out` if given); a reduction, a number. */
export type ExpressionResult = FloatArray | number;

export interface ExpressionOptions {
  /** Aborts the call between chunks; the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

/** A compiled expression: call it with variables, and optionally where to write. */
export type CompiledExpression = (vars: Variables, out?: FloatArray | null) => ExpressionResult;
export type CompiledAsyncExpression = (vars: Variables, out?: FloatArray | null | ExpressionOptions, options?: ExpressionOptions) => Promise<ExpressionResult>;

/** Parsed expressions that evaluate() has seen, by source; the oldest goes first when full. */
const seen = new Map<string, Expression>();
const SEEN = 256;

function cached(source: string): Expression {
  let expression = seen.get(source);
  if (!expression) {
    expression = new Expression(source, 'evaluate');
    if (seen.size >= SEEN) seen.delete(seen.keys().next().value!);
    seen.set(source, expression);
  }
  return expression;
}

/** Evaluates `expression` over `vars` in one pass over memory, on every thread. */
export function evaluate(expression: string, vars: Variables, out?: FloatArray | null): ExpressionResult {
  return cached(expression).run(vars, out);
}

/** Parses `expression` now (throwing its errors), and returns it as a reusable function. */
export function compile(expression: string): CompiledExpression {
  const compiled = new Expression(expression, 'compile');
  return (vars, out) => compiled.run(vars, out);
}

/** Splits (out?, options?) as the ops do: an options object may stand in out's place. */
function split(fn: string, out: unknown, options: unknown): { out: unknown; signal?: AbortSignal } {
  if (typeof out === 'object' && out !== null && !Array.isArray(out) && !ArrayBuffer.isView(out)) [out, options] = [undefined, out];
  if (options === undefined) return { out };
  if (typeof options !== 'object' || options === null) throw typeError(fn, 'options', 'an object', options);
  const signal = (options as ExpressionOptions).signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw typeError(fn, 'options.signal', 'an AbortSignal', signal);
  return { out, signal };
}

export async function evaluateAsync(expression: string, vars: Variables, out?: FloatArray | null | ExpressionOptions, options?: ExpressionOptions): Promise<ExpressionResult> {
  const call = split('evaluate', out, options);
  return cached(expression).runAsync(vars, call.out, call.signal);
}

export function compileAsync(expression: string): CompiledAsyncExpression {
  const compiled = new Expression(expression, 'compile');
  return async (vars, out, options) => {
    const call = split('compile', out, options);
    return compiled.runAsync(vars, call.out, call.signal);
  };
}
