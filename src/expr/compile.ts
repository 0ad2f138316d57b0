// From a parsed expression, for one dtype and one binding of its names, to a
// program of kernel calls over blocks (src/pool/program.ts). Steps are the
// kernels the composed ops would call, in the same order on the same
// operands, so results are the same bits: nothing is contracted or
// reassociated. Constant sub-expressions are folded by running those same
// kernels on one element.
import type { Dtype } from '../memory/arrays.js';
import { kernelName, REGISTRY, type KernelDtype, type OpRow } from '../ops/registry.js';
import { compareKernel, extremeKernel, selectKernel, type Comparison } from '../ops/select.js';
import { Fold, Step, type Program, type ProgramStep } from '../pool/program.js';
import type { Runtime } from '../dispatch/runtime.js';
import type { ReductionOp } from './names.js';
import type { Compare, Node, Parsed } from './parse.js';

/** What a name is bound to: input array j, or a number. */
export type Binding = { kind: 'array'; index: number } | { kind: 'number'; value: number };

export interface Template {
  /** Operand refs: registers ≥ 0; input j is -1 - j; the output is -1 - inputs. */
  steps: ProgramStep[];
  registers: number;
  consts: number[];
  fold: Fold;
  reduction?: ReductionOp;
  /** Nanoseconds per element on one thread (the op table's costs of its steps), and the least n worth the pool. */
  cost: number;
  cutoff: number;
  /** The steps ready to bind, made on first use. */
  program?: Program;
  /** sum, dot or mean of variables as they are: run as the op itself, so dot(a, b) is lanes.dot(a, b). */
  direct?: { row: OpRow; inputs: number[] };
}

type Value = { kind: 'const'; value: number } | { kind: 'array'; ref: number } | { kind: 'reg'; ref: number };

const ROWS = REGISTRY as readonly OpRow[];
const SWAPPED: Record<Comparison, Comparison> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };
const COMPARE_JS: Record<Comparison, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

export function compile(rt: Runtime, parsed: Parsed, dtype: Dtype, bindings: Map<string, Binding>, inputs: number): Template {
  return new Emitter(rt, dtype, bindings, inputs).program(parsed.root);
}

class Emitter {
  private readonly steps: ProgramStep[] = [];
  private readonly consts: number[] = [];
  private readonly free: number[] = [];
  private registers = 0;
  private cost = 0;
  private work = Infinity;
  private readonly kdtype: KernelDtype;
  private readonly round: (x: number) => number;
  private readonly out: number;
  /** Per-element costs for steps that are no op-table row: the cheapest row of the nearest kind. */
  private readonly cheapest: Record<'unary' | 'binary' | 'sum', OpRow>;

  constructor(
    private readonly rt: Runtime,
    private readonly dtype: Dtype,
    private readonly bindings: Map<string, Binding>,
    inputs: number,
  ) {
    this.kdtype = dtype === 'float32' ? 'f32' : 'f64';
    this.round = dtype === 'float32' ? Math.fround : (x) => x;
    this.out = -1 - inputs;
    const cheapest = (kind: string) => ROWS.filter((r) => r.kind === kind).reduce((a, b) => (b.cost[dtype] < a.cost[dtype] ? b : a));
    this.cheapest = { unary: cheapest('unary'), binary: cheapest('binary'), sum: cheapest('sum') };
  }

  program(root: Node): Template {
    if (root.type === 'reduce') return this.reduction(root);
    const v = this.emit(root, this.out);
    if (v.kind === 'array') this.step(Step.Copy, -1, this.out, v.ref, 0, 0, this.cheapest.unary);
    if (v.kind === 'const') this.step(Step.Fill, -1, this.out, this.constant(v.value), 0, 0, this.cheapest.unary);
    return this.template(Fold.None);
  }

  private reduction(root: Extract<Node, { type: 'reduce' }>): Template {
    const values = root.args.map((arg) => this.emit(arg));
    const sumRow = ROWS.find((r) => r.kind === 'sum')!;
    const row = root.row ?? sumRow;
    if ((root.op === 'sum' || root.op === 'dot' || root.op === 'mean') && values.every((v) => v.kind === 'array')) {
      const template = this.template(Fold.Sum, root.op);
      template.direct = { row, inputs: values.map((v) => -1 - v.ref) };
      return template;
    }
    const [x, y] = values.map((v) => this.operand(v));
    const kernel = root.op === 'min' || root.op === 'max' ? this.index(extremeKernel(root.op, this.kdtype)) : this.ids(row).array;
    this.step(Step.Reduce, kernel, 0, x, y ?? 0, 0, root.op === 'min' || root.op === 'max' ? sumRow : row);
    const fold = root.op === 'min' ? Fold.Min : root.op === 'max' ? Fold.Max : Fold.Sum;
    return this.template(fold, root.op);
  }

  private template(fold: Fold, reduction?: ReductionOp): Template {
    const cost = Math.max(this.cost, 1e-3);
    return { steps: this.steps, registers: this.registers, consts: this.consts, fold, reduction, cost, cutoff: Number.isFinite(this.work) ? Math.ceil(this.work / cost) : 0 };
  }

  /** The value of `node`; a step that computes it writes to `target` if given, else to a fresh register. */
  private emit(node: Node, target?: number): Value {
    switch (node.type) {
      case 'number':
        return { kind: 'const', value: this.round(node.value) };
      case 'name': {
        const b = this.bindings.get(node.name)!;
        return b.kind === 'array' ? { kind: 'array', ref: -1 - b.index } : { kind: 'const', value: this.round(b.value) };
      }
      case 'op':
        return this.op(node.row, node.args.map((arg) => this.emit(arg)), target);
      case 'where':
        return this.where(node.cond, node.then, node.otherwise, target);
      case 'reduce':
        throw new Error('lanes: internal error: a reduction inside an expression'); // parse() refuses these
    }
  }

  private op(row: OpRow, args: Value[], target?: number): Value {
    if (args.every((a) => a.kind === 'const')) return { kind: 'const', value: this.fold(row, args.map((a) => (a as { value: number }).value)) };
    const ids = this.ids(row);
    if (args.length === 2 && (args[0].kind === 'const' || args[1].kind === 'const')) {
      // array ∘ number or number ∘ array: the kernels the op itself uses for a number operand.
      const numberFirst = args[0].kind === 'const';
      const [number, array] = numberFirst ? [args[0], args[1]] : [args[1], args[0]];
      this.release(array);
      const dst = this.destination(target);
      this.step(Step.Scalar, numberFirst ? ids.reversed : ids.scalar, dst, (array as { ref: number }).ref, this.constant((number as { value: number }).value), 0, row);
      return { kind: 'reg', ref: dst };
    }
    const refs = args.map((a) => this.operand(a));
    this.releaseRefs(refs);
    const dst = this.destination(target);
    const shape = args.length === 1 ? Step.Unary : args.length === 2 ? Step.Binary : Step.Ternary;
    this.step(shape, ids.array, dst, refs[0], refs[1] ?? 0, refs[2] ?? 0, row);
    return { kind: 'reg', ref: dst };
  }

  private where(cond: Compare, then: Node, otherwise: Node, target?: number): Value {
    const left = this.emit(cond.left);
    const right = this.emit(cond.right);
    if (left.kind === 'const' && right.kind === 'const') return this.emit(COMPARE_JS[cond.op](left.value, right.value) ? then : otherwise, target);
    let mask: number;
    if (left.kind === 'const' || right.kind === 'const') {
      const numberFirst = left.kind === 'const';
      const [number, array] = numberFirst ? [left, right] : [right, left];
      const op = numberFirst ? SWAPPED[cond.op] : cond.op;
      this.release(array);
      mask = this.register();
      this.step(Step.Scalar, this.index(compareKernel(op, this.kdtype, true)), mask, (array as { ref: number }).ref, this.constant((number as { value: number }).value), 0, this.cheapest.binary);
    } else {
      this.release(left);
      this.release(right);
      mask = this.register();
      this.step(Step.Binary, this.index(compareKernel(cond.op, this.kdtype, false)), mask, left.ref, right.ref, 0, this.cheapest.binary);
    }
    const x = this.emit(then);
    const y = this.emit(otherwise);
    const xRef = this.operand(x);
    const yRef = this.operand(y);
    this.releaseRefs([mask, xRef, yRef]);
    const dst = this.destination(target);
    this.step(Step.Ternary, this.index(selectKernel(this.kdtype)), dst, mask, xRef, yRef, this.cheapest.binary);
    return { kind: 'reg', ref: dst };
  }

  /** The operand ref of a value, a number being filled into a register first. */
  private operand(v: Value): number {
    if (v.kind !== 'const') return v.ref;
    const r = this.register();
    this.step(Step.Fill, -1, r, this.constant(v.value), 0, 0, this.cheapest.unary);
    return r;
  }

  /** Registers among operand refs are free once their step is emitted: each value has one use. */
  private releaseRefs(refs: number[]): void {
    for (const ref of refs) if (ref >= 0) this.free.push(ref);
  }

  /** A number operand's slot in the program's constants. */
  private constant(value: number): number {
    this.consts.push(value);
    return this.consts.length - 1;
  }

  private release(v: Value): void {
    if (v.kind === 'reg') this.free.push(v.ref);
  }

  private register(): number {
    return this.free.pop() ?? this.registers++;
  }

  private destination(target?: number): number {
    return target ?? this.register();
  }

  private step(step: Step, kernel: number, dst: number, x: number, y: number, z: number, costOf: OpRow): void {
    this.steps.push({ step, kernel: Math.max(kernel, 0), dst, x, y, z });
    const cost = costOf.cost[this.dtype];
    this.cost += cost;
    this.work = Math.min(this.work, costOf.cutoff[this.dtype] * cost);
  }

  private ids(row: OpRow) {
    return this.rt.kernelIds(row, this.dtype);
  }

  private index(name: string): number {
    const i = this.rt.kernelIndex.get(name);
    if (i === undefined) throw new Error(`lanes: the wasm module has no kernel '${name}'`);
    return i;
  }

  /** row(args) on numbers, as its kernel computes it in this dtype. */
  private fold(row: OpRow, args: number[]): number {
    const at = foldScratch(this.rt);
    const View = this.dtype === 'float32' ? Float32Array : Float64Array;
    const bytes = View.BYTES_PER_ELEMENT;
    const cells = new View(this.rt.memory.buffer as unknown as ArrayBuffer, at, 4);
    args.forEach((x, i) => (cells[i] = x));
    const kernel = this.rt.exports[kernelName(row, this.kdtype, 'array')] as (...a: number[]) => void;
    kernel(...args.map((_, i) => at + i * bytes), at + 3 * bytes, 1);
    return cells[3];
  }
}

/** 32 bytes of lanes memory per runtime for folding constants (never freed: one per process). */
const scratch = new WeakMap<Runtime, number>();
function foldScratch(rt: Runtime): number {
  let at = scratch.get(rt);
  if (at === undefined) scratch.set(rt, (at = rt.allocator.alloc(32)));
  return at;
}

