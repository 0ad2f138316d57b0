// Every error lanes throws, with its exact message. Tests assert these texts.

/** How a value reads in a message: its type, or its class for objects. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an Array';
  if (ArrayBuffer.isView(value)) return `${/^[aeio]/i.test(value.constructor.name) ? 'an' : 'a'} ${value.constructor.name}`;
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'null prototype'})`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `a string`;
  return `${typeof value === 'undefined' ? '' : 'a '}${typeof value}`;
}

export function typeError(fn: string, arg: string, expected: string, got: unknown): TypeError {
  return new TypeError(`lanes.${fn}: '${arg}' must be ${expected}, got ${describe(got)}`);
}

export function rangeError(fn: string, arg: string, expected: string, got: unknown): RangeError {
  return new RangeError(`lanes.${fn}: '${arg}' must be ${expected}, got ${String(got)}`);
}

export function notANumber(fn: string, arg: string, index: number, got: unknown): TypeError {
  return new TypeError(`lanes.${fn}: '${arg}[${index}]' must be a number, got ${describe(got)}`);
}

export function dtypeMismatch(fn: string, arg: string, dtype: string, other: string, otherDtype: string): TypeError {
  return new TypeError(
    `lanes.${fn}: '${arg}' is ${dtype} but '${other}' is ${otherDtype}; convert one with lanes.from(${other}, '${dtype}')`,
  );
}

export function lengthMismatch(fn: string, arg: string, length: number, other: string, otherLength: number): RangeError {
  return new RangeError(`lanes.${fn}: '${arg}' has length ${length} but '${other}' has length ${otherLength}`);
}

export function noArrayOperand(fn: string, count: number): TypeError {
  return new TypeError(`lanes.${fn}: at least one operand must be an array, got ${count === 2 ? 'two' : count === 3 ? 'three' : count} numbers`);
}

export function freed(fn: string, arg: string): TypeError {
  return new TypeError(`lanes.${fn}: '${arg}' refers to memory released by lanes.free`);
}

export function outOfMemory(bytes: number, inUse: number, limit: number): RangeError {
  return new RangeError(
    `lanes: out of memory: cannot allocate ${bytes} bytes with ${inUse} bytes in use; the heap is limited to ${limit} bytes (4 GiB, the wasm32 limit); arrays are released by lanes.free, or once garbage-collected, which a synchronous loop never lets happen: free what a loop drops, pass out, or run its body in lanes.scope()`,
  );
}

export function closed(): Error {
  return new Error('lanes: the pool is closed (lanes.close() was called); no further calls can run');
}

/** Rejects an aborted promise call, as Node's own AbortError does. */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(reason?: unknown) {
    super('lanes: the operation was aborted', { cause: reason });
    this.name = 'AbortError';
  }
}

// Fused expressions (lanes.evaluate, lanes.compile).

/** The expression with a caret under position `at`, for messages that point into it. */
function pointAt(expression: string, at: number): string {
  return `\n  ${expression}\n  ${' '.repeat(at)}^`;
}

export function exprSyntax(fn: string, expression: string, at: number, message: string): SyntaxError {
  return new SyntaxError(`lanes.${fn}: ${message} at position ${at}${pointAt(expression, at)}`);
}

export function unknownName(fn: string, expression: string, at: number, what: 'variable' | 'function', name: string, suggestion?: string): ReferenceError {
  const hint = suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
  return new ReferenceError(`lanes.${fn}: unknown ${what} '${name}' at position ${at}${hint}${pointAt(expression, at)}`);
}

export function noArrayVariable(fn: string, expression: string): TypeError {
  return new TypeError(`lanes.${fn}: '${expression}' uses no array: at least one of its variables must be an array`);
}

export function outOfReduction(fn: string): TypeError {
  return new TypeError(`lanes.${fn}: a reduction returns a number, so it takes no 'out'`);
}

export function emptyReduction(fn: string, op: string): RangeError {
  return new RangeError(`lanes.${fn}: ${op}() of zero elements has no value`);
}

// The user's tasks (lanes.task, map, imap, parallel, ...).

export function notATask(fn: string, got: unknown): TypeError {
  return new TypeError(`lanes.${fn}: 'task' must be a task from lanes.task(moduleURL, exportName), got ${describe(got)}`);
}

export function taskLoadFailed(url: string, exportName: string, cause: unknown, where = ''): Error {
  const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new Error(`lanes.task: cannot load export '${exportName}' of '${url}'${where}: ${why}`, { cause });
}

export function notAFunctionExport(url: string, exportName: string, got: unknown, exports: string[]): TypeError {
  const names = exports.length ? exports.map((e) => `'${e}'`).join(', ') : 'none';
  return new TypeError(`lanes.task: export '${exportName}' of '${url}' must be a function, got ${describe(got)} (its exports: ${names})`);
}

/** A task threw on item `index`: the error names the item and carries what was thrown as its cause. */
export function taskFailed(fn: string, task: string, index: number, message: string, cause: Error): Error & { index: number } {
  return Object.assign(new Error(`lanes.${fn}: task ${task} failed on item ${index}: ${message}`, { cause }), { index });
}

/** `ended`: how the worker ended ("exited with code 1", "ran out of memory …"). */
export function workerDied(fn: string, task: string, index: number, worker: number, ended: string): Error & { index: number } {
  const message = `lanes.${fn}: task ${task} failed on item ${index}: worker thread ${worker + 1} ${ended} while running it; the pool has replaced it`;
  return Object.assign(new Error(message), { index });
}

// User ops (lanes.load).

export function noKernelForDtype(fn: string, dtype: string, kernel: string): TypeError {
  return new TypeError(`lanes.${fn}: the loaded module has no ${dtype} kernel (${kernel}); its ${fn} takes only the dtypes it exports kernels for`);
}

export function badModule(fn: string, what: string): TypeError {
  return new TypeError(`lanes.${fn}: ${what}`);
}
