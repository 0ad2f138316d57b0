// Running an expression: bind its names to the call's variables, check them
// as the ops check their operands, compile (once per dtype and binding),
// stage, and run the program on the pool over the same chunk plan as any op.
import { AbortError, emptyReduction, noArrayVariable, outOfReduction, typeError, unknownName } from '../errors.js';
import { combine, callAsync, callSync } from '../dispatch/call.js';
import { check, Staging, type Arg, type Signature } from '../dispatch/operands.js';
import { getRuntime, type Runtime } from '../dispatch/runtime.js';
import { DTYPES, type FloatArray } from '../memory/arrays.js';
import { plan, type Plan } from '../pool/plan.js';
import { Shape, type Job } from '../pool/pool.js';
import { compile, type Binding, type Template } from './compile.js';
import { callableNames, nearest, type ReductionOp } from './names.js';
import { parse, type Parsed } from './parse.js';

/** What names in an expression are bound to: arrays (as ops take them) and numbers. */
export type Variables = Readonly<Record<string, unknown>>;

/** Compiled forms kept per expression (one per dtype and binding of its number variables). */
const TEMPLATES = 32;

/** A call ready to run: the program job (or, for sum/dot of plain variables, the op itself), and how to finish. */
class Prepared {
  constructor(
    readonly job: Job | undefined,
    readonly parallel: boolean,
    private readonly staging: Staging | undefined,
    private readonly template: Template,
    private readonly target: { ptr: number; result: FloatArray; copy: boolean } | undefined,
    private readonly chunks: number,
    readonly direct?: () => FloatArray | number | Promise<FloatArray | number>,
  ) {}

  /** Ends the call: its value after a successful job; either way releases what the call staged. */
  finish(rt: Runtime, failure?: unknown): FloatArray | number {
    const { staging, target, template: t } = this;
    let ok = false;
    try {
      if (failure !== undefined) throw failure;
      let value: FloatArray | number;
      if (target) {
        if (target.copy) target.result.set(staging!.view(target.ptr));
        value = target.result;
      } else {
        value = foldPartials(new Float64Array(rt.memory.buffer, this.job!.out, this.chunks), t.fold);
        if (t.reduction === 'mean') value /= this.job!.n;
      }
      ok = true;
      return value;
    } finally {
      staging!.release(ok);
    }
  }
}

export class Expression {
  readonly parsed: Parsed;
  private readonly templates = new Map<string, Template>();
  /** The variables' names in order of first use, and where each first appears. */
  private readonly names: string[];
  private readonly positions: number[];
  private readonly reduction?: ReductionOp;

  /** With `first`: the index of the first element where the expression is nonzero (argmin and argmax build these). */
  constructor(
    readonly source: string,
    readonly fn: string,
    first = false,
  ) {
    if (typeof source !== 'string') throw typeError(fn, 'expression', 'a string', source);
    this.parsed = parse(source, fn);
    if (first) this.parsed = { ...this.parsed, root: { type: 'reduce', op: 'first', args: [this.parsed.root], at: 0 } };
    this.names = [...this.parsed.names.keys()];
    this.positions = [...this.parsed.names.values()];
    this.reduction = this.parsed.root.type === 'reduce' ? this.parsed.root.op : undefined;
  }

  run(vars: unknown, out: unknown): FloatArray | number {
    const rt = getRuntime();
    const call = this.prepare(rt, vars, out, false);
    if (call.direct) return call.direct() as FloatArray | number;
    try {
      rt.pool.runSync(call.job!, call.parallel);
    } catch (error) {
      return call.finish(rt, error);
    }
    return call.finish(rt);
  }

  async runAsync(vars: unknown, out: unknown, signal?: AbortSignal): Promise<FloatArray | number> {
    const rt = getRuntime();
    if (signal?.aborted) throw new AbortError(signal.reason);
    const call = this.prepare(rt, vars, out, true, signal);
    if (call.direct) return call.direct();
    try {
      await rt.pool.runAsync(call.job!, call.parallel, signal);
    } catch (error) {
      return call.finish(rt, error);
    }
    return call.finish(rt);
  }

  private prepare(rt: Runtime, vars: unknown, out: unknown, async: boolean, signal?: AbortSignal): Prepared {
    const { fn, source, names, reduction } = this;
    if (typeof vars !== 'object' || vars === null || Array.isArray(vars) || ArrayBuffer.isView(vars)) {
      throw typeError(fn, 'vars', 'an object of arrays and numbers', vars);
    }
    const values = vars as Variables;
    const args: Arg[] = new Array(names.length);
    let numbers = 0;
    for (let k = 0; k < names.length; k++) {
      const name = names[k];
      if (!Object.hasOwn(values, name)) {
        throw unknownName(fn, source, this.positions[k], 'variable', name, nearest(name, Object.keys(values)) ?? nearest(name, callableNames()));
      }
      const value = values[name];
      if (typeof value === 'number') numbers++;
      args[k] = { name, value };
    }
    if (numbers === args.length) throw noArrayVariable(fn, source);
    if (reduction && out !== undefined && out !== null) throw outOfReduction(fn);
    const outArg = out === undefined || out === null ? undefined : { name: 'out', value: out };
    const sig = check(rt, fn, args, outArg, true);
    if ((reduction === 'min' || reduction === 'max') && sig.n === 0) throw emptyReduction(fn, reduction);

    const arrays = numbers === 0 ? args : args.filter((a) => typeof a.value !== 'number');
    const template = this.template(rt, sig, args, arrays, numbers > 0);
    if (template.direct) return this.direct(template, arrays, sig.n, async, signal);

    const staging = new Staging(rt, fn, sig, async);
    try {
      return this.stage(rt, staging, sig, template, arrays, outArg, values);
    } catch (error) {
      staging.release(false);
      throw error;
    }
  }

  private template(rt: Runtime, sig: Signature, args: Arg[], arrays: Arg[], numbers: boolean): Template {
    let key: string = sig.dtype;
    if (numbers) for (const a of args) key += typeof a.value === 'number' ? ',n' : ',a';
    let template = this.templates.get(key);
    if (!template) {
      const bindings = new Map<string, Binding>();
      for (const a of args) {
        bindings.set(a.name, typeof a.value === 'number' ? { kind: 'number' } : { kind: 'array', index: arrays.indexOf(a) });
      }
      template = compile(rt, this.parsed, sig.dtype, bindings, arrays.length, this.fn);
      if (this.templates.size >= TEMPLATES) this.templates.delete(this.templates.keys().next().value!);
      this.templates.set(key, template);
    }
    return template;
  }

  /** sum, dot or mean of plain variables: the op itself. */
  private direct(template: Template, arrays: Arg[], n: number, async: boolean, signal?: AbortSignal): Prepared {
    const { row, inputs } = template.direct!;
    const operands = inputs.map((j, i) => ({ name: i === 0 ? 'a' : 'b', value: arrays[j].value }));
    const mean = template.reduction === 'mean';
    const scale = (x: FloatArray | number) => (mean ? (x as number) / n : x);
    const run = async ? () => callAsync(row, operands, undefined, signal).then(scale) : () => scale(callSync(row, operands, undefined));
    return new Prepared(undefined, false, undefined, template, undefined, 0, run);
  }

  private stage(rt: Runtime, staging: Staging, sig: Signature, t: Template, arrays: Arg[], outArg: Arg | undefined, numbers: Variables): Prepared {
    const { dtype, n } = sig;
    const elemBytes = DTYPES[dtype].bytes;
    const { chunk, chunks, parallel } = planFor(t, n, elemBytes);
    const kernel = t.kernel!;
    const inputs: number[] = new Array(arrays.length);
    for (let j = 0; j < arrays.length; j++) inputs[j] = staging.input(arrays[j]);
    let target: ReturnType<Staging['output']> | undefined;
    let partials = 0;
    if (t.fold !== 'none') partials = staging.alloc(chunks * 8);
    else target = staging.output(outArg, ...inputs);

    // The args block: inline runs end before anything else can run here, so
    // they share one block and one scratch; a pool job gets its own.
    let args: number;
    let slots = 1;
    let scratch = 0;
    if (!parallel) {
      const caller = callerBlocks(rt, kernel.layout.bytes, kernel.scratchBytes);
      args = caller.args;
      scratch = caller.scratch;
    } else {
      args = staging.alloc(kernel.layout.bytes);
      slots = rt.pool.threads;
      if (kernel.scratchBytes > 0) scratch = staging.alloc(slots * kernel.scratchBytes);
    }
    const words = wordsOf(rt);
    const w = args >>> 2;
    words.i32[w] = slots;
    words.i32[w + 1] = scratch;
    words.i32[w + 2] = kernel.scratchBytes;
    const p = (args + kernel.layout.pointers) >>> 2;
    for (let j = 0; j < inputs.length; j++) words.i32[p + j] = inputs[j];
    if (target) words.i32[p + inputs.length] = target.ptr;
    const c = (args + kernel.layout.consts) >>> 3;
    for (let k = 0; k < t.consts.length; k++) words.f64[c + k] = t.consts[k];
    const round = dtype === 'float32' ? Math.fround : (x: number) => x;
    for (const [name, slot] of t.params) words.f64[c + slot] = round(numbers[name] as number);

    const job: Job = { kernel: t.program ?? loadProgram(rt, t), shape: Shape.Program, elemBytes, n, chunk, a: args, b: 0, c: 0, out: partials };
    return new Prepared(job, parallel, staging, t, target, chunks);
  }
}

/** The chunk plan of a template at n, kept for the last n it ran at. */
function planFor(t: Template, n: number, elemBytes: number): Plan {
  if (t.lastPlan?.n !== n) t.lastPlan = { n, plan: plan(n, t.cost, elemBytes, t.cutoff) };
  return t.lastPlan.plan;
}

/** Loads a template's program on the pool on first use; it is unloaded once the template is collected. */
const unload = new FinalizationRegistry<{ rt: Runtime; id: number }>(({ rt, id }) => rt.pool.unloadProgram(id));
function loadProgram(rt: Runtime, t: Template): number {
  const id = rt.pool.loadProgram(t.module!);
  t.program = id;
  unload.register(t, { rt, id });
  return id;
}

/** Whole-memory views for writing args blocks, renewed when the memory grows (one runtime per process). */
let views: { bytes: Uint8Array; i32: Int32Array; f64: Float64Array } | undefined;
function wordsOf(rt: Runtime): { i32: Int32Array; f64: Float64Array } {
  const bytes = rt.memory.bytes; // a new view after each grow
  if (views?.bytes !== bytes) views = { bytes, i32: new Int32Array(bytes.buffer), f64: new Float64Array(bytes.buffer) };
  return views;
}

/**
 * The caller's args block and scratch for kernels that run inline: kept
 * from call to call (never two at once: an inline run ends before anything
 * else runs), and replaced by larger ones when a kernel needs more.
 */
let caller: { rt: Runtime; args: number; argsBytes: number; scratch: number; scratchBytes: number } | undefined;
function callerBlocks(rt: Runtime, argsBytes: number, scratchBytes: number): { args: number; scratch: number } {
  if (caller?.rt !== rt) caller = { rt, args: rt.ownBlock(256), argsBytes: 256, scratch: 0, scratchBytes: 0 };
  const c = caller;
  if (c.argsBytes < argsBytes) {
    rt.allocator.free(c.args);
    c.args = rt.ownBlock(argsBytes);
    c.argsBytes = argsBytes;
  }
  if (c.scratchBytes < scratchBytes) {
    if (c.scratchBytes > 0) rt.allocator.free(c.scratch);
    c.scratch = rt.ownBlock(scratchBytes);
    c.scratchBytes = scratchBytes;
  }
  return c;
}

/** One partial per chunk, in chunk order: the same result for any thread count. */
function foldPartials(partials: Float64Array, fold: Template['fold']): number {
  if (fold === 'sum') return combine(partials);
  if (fold === 'prod') return partials.reduce((p, x) => p * x, 1);
  let m = fold === 'max' ? -Infinity : Infinity;
  for (const x of partials) m = fold === 'max' ? Math.max(m, x) : Math.min(m, x);
  return m;
}
