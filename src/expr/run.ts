// Running an expression: bind its names to the call's variables, check them
// as the ops check their operands, compile (once per dtype and binding),
// stage, and run the program on the pool over the same chunk plan as any op.
import { AbortError, emptyReduction, noArrayVariable, outOfReduction, typeError, unknownName } from '../errors.js';
import { combine, callAsync, callSync } from '../dispatch/call.js';
import { check, Staging, type Arg, type Signature } from '../dispatch/operands.js';
import { getRuntime, type Runtime } from '../dispatch/runtime.js';
import { DTYPES, type FloatArray } from '../memory/arrays.js';
import { plan } from '../pool/plan.js';
import { Shape, type Job } from '../pool/pool.js';
import { encodeProgram, Fold, Program, programBytes, scratchBytes, type ProgramSpec } from '../pool/program.js';
import type { Kernel } from '../wasm/module.js';
import { compile, type Binding, type Template } from './compile.js';
import { CALLABLES, nearest } from './names.js';
import { parse, type Parsed } from './parse.js';

/** What names in an expression are bound to: arrays (as ops take them) and numbers. */
export type Variables = Readonly<Record<string, unknown>>;

/**
 * Bytes of one register block. A program's registers and the blocks of its
 * inputs and output stay in L1/L2 while the block's steps run over them.
 */
const BLOCK_BYTES = 16 * 1024;
/** Kernels' unrolled step, in elements of f32 (f64 steps are 8): blocks are whole steps. */
const STEP = 16;
/** Compiled forms kept per expression (one per dtype and binding of its number variables). */
const TEMPLATES = 32;

/** A call ready to run: the program job (or, for sum/dot of plain variables, the op itself), and how to finish. */
interface Prepared {
  job?: Job;
  parallel: boolean;
  direct?: () => FloatArray | number | Promise<FloatArray | number>;
  finish(rt: Runtime, failure?: unknown): FloatArray | number;
}

export class Expression {
  readonly parsed: Parsed;
  private readonly templates = new Map<string, Template>();

  constructor(
    readonly source: string,
    readonly fn: string,
  ) {
    if (typeof source !== 'string') throw typeError(fn, 'expression', 'a string', source);
    this.parsed = parse(source, fn);
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
    const { fn, source, parsed } = this;
    if (typeof vars !== 'object' || vars === null || Array.isArray(vars) || ArrayBuffer.isView(vars)) {
      throw typeError(fn, 'vars', 'an object of arrays and numbers', vars);
    }
    const values = vars as Variables;
    const args: Arg[] = [];
    for (const [name, at] of parsed.names) {
      if (!Object.hasOwn(values, name)) {
        throw unknownName(fn, source, at, 'variable', name, nearest(name, Object.keys(values)) ?? nearest(name, CALLABLES.keys()));
      }
      args.push({ name, value: values[name] });
    }
    if (args.every((a) => typeof a.value === 'number')) throw noArrayVariable(fn, source);
    const reduction = parsed.root.type === 'reduce' ? parsed.root.op : undefined;
    if (reduction && out !== undefined && out !== null) throw outOfReduction(fn);
    const outArg = out === undefined || out === null ? undefined : { name: 'out', value: out };
    const sig = check(rt, fn, args, outArg, true);
    if ((reduction === 'min' || reduction === 'max') && sig.n === 0) throw emptyReduction(fn, reduction);

    const arrays = args.filter((a) => typeof a.value !== 'number');
    const template = this.template(rt, sig, args, arrays);
    if (template.direct) return this.direct(template, arrays, sig.n, async, signal);

    const staging = new Staging(rt, fn, sig, async);
    try {
      return this.stage(rt, staging, sig, template, arrays, outArg);
    } catch (error) {
      staging.release(false);
      throw error;
    }
  }

  private template(rt: Runtime, sig: Signature, args: Arg[], arrays: Arg[]): Template {
    let key: string = sig.dtype;
    for (const a of args) key += typeof a.value === 'number' ? `,${Object.is(a.value, -0) ? '-0' : a.value}` : ',a';
    let template = this.templates.get(key);
    if (!template) {
      const bindings = new Map<string, Binding>();
      for (const a of args) {
        bindings.set(a.name, typeof a.value === 'number' ? { kind: 'number', value: a.value } : { kind: 'array', index: arrays.indexOf(a) });
      }
      template = compile(rt, this.parsed, sig.dtype, bindings, arrays.length);
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
    return { parallel: false, direct: run, finish: () => 0 };
  }

  private stage(rt: Runtime, staging: Staging, sig: Signature, t: Template, arrays: Arg[], outArg: Arg | undefined): Prepared {
    const { dtype, n } = sig;
    const elemBytes = DTYPES[dtype].bytes;
    const { chunk, chunks, parallel } = plan(n, t.cost, elemBytes, t.cutoff);
    const inputs = arrays.map((a) => staging.input(a));
    const reduction = t.fold !== Fold.None;
    let target: ReturnType<Staging['output']> | undefined;
    let partials = 0;
    if (reduction) partials = staging.alloc(chunks * 8);
    else target = staging.output(outArg, ...inputs);

    const block = BLOCK_BYTES / elemBytes;
    const program = (t.program ??= new Program({ block, registers: t.registers, elemBytes, steps: t.steps, consts: t.consts, fold: t.fold }, kernelTable(rt)));
    const arrayTable = target ? [...inputs, target.ptr] : inputs;
    const perThread = scratchBytes(program.spec);
    const job: Job = { kernel: 0, shape: Shape.Program, elemBytes, n, chunk, a: 0, b: 0, c: 0, out: partials };
    if (!parallel) {
      // Runs inline, start to end, before anything else can: the caller's own scratch will do.
      job.local = program.bind(rt.memory.buffer, arrayTable, callerScratch(rt, perThread));
    } else {
      const slots = rt.pool.threads;
      const spec: ProgramSpec = { ...program.spec, slots, scratch: staging.alloc(slots * perThread), arrays: arrayTable };
      job.a = staging.alloc(programBytes(spec));
      encodeProgram(rt.memory.buffer, job.a, spec);
      job.local = program.bind(rt.memory.buffer, arrayTable, spec.scratch);
    }

    const finish = (rt: Runtime, failure?: unknown): FloatArray | number => {
      let ok = false;
      try {
        if (failure !== undefined) throw failure;
        let value: FloatArray | number;
        if (target) {
          if (target.copy) target.result.set(staging.view(target.ptr));
          value = target.result;
        } else {
          value = foldPartials(new Float64Array(rt.memory.buffer, partials, chunks), t.fold);
          if (t.reduction === 'mean') value /= n;
        }
        ok = true;
        return value;
      } finally {
        staging.release(ok);
      }
    };
    return { job, parallel, finish };
  }
}

/** Every kernel by pool index, on this thread's instance (programs name kernels by that index). */
const kernels = new WeakMap<Runtime, Kernel[]>();
function kernelTable(rt: Runtime): Kernel[] {
  let table = kernels.get(rt);
  if (!table) kernels.set(rt, (table = [...rt.kernelIndex.keys()].map((name) => rt.exports[name] as Kernel)));
  return table;
}

/**
 * The caller's registers for programs that run inline: kept from call to
 * call (never two at once: an inline run ends before anything else runs), and
 * replaced by a larger block when a program needs more.
 */
const scratch = new WeakMap<Runtime, { at: number; bytes: number }>();
function callerScratch(rt: Runtime, bytes: number): number {
  let s = scratch.get(rt);
  if (!s || s.bytes < bytes) {
    if (s) rt.allocator.free(s.at);
    scratch.set(rt, (s = { at: rt.allocator.alloc(bytes), bytes }));
  }
  return s.at;
}

/** One partial per chunk, in chunk order: the same result for any thread count. */
function foldPartials(partials: Float64Array, fold: Fold): number {
  if (fold === Fold.Sum) return combine(partials);
  let m = fold === Fold.Min ? Infinity : -Infinity;
  for (const x of partials) m = fold === Fold.Min ? Math.min(m, x) : Math.max(m, x);
  return m;
}
