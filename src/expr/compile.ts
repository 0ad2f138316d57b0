// From a parsed expression, for one dtype and one binding of its names, to
// the kernel generated for it (src/expr/kernel.ts). Each op is the
// instruction its kernel runs (f32x4.add for add, ...) or, for ops with no
// single instruction (exp), a call of its kernel on a block: the same
// operations in the same order on the same operands as the composed ops, so
// results are the same bits; nothing is contracted or reassociated.
// Constant sub-expressions are folded by running the op kernels on one element.
import type { Dtype } from '../memory/arrays.js';
import { kernelName, REGISTRY, type KernelDtype, type OpRow } from '../ops/registry.js';
import type { Comparison } from './comparisons.js';
import type { KernelIds, Runtime } from '../dispatch/runtime.js';
import { isLoaded } from '../dispatch/call.js';
import type { Plan } from '../pool/plan.js';
import { generate, type CallForm, type GeneratedKernel, type Place, type ReduceCall, type ReduceFold, type Segment, type VNode } from './kernel.js';
import type { ReductionOp } from './names.js';
import type { Compare, Node, Parsed } from './parse.js';
import { Simd } from './wasm.js';

/**
 * What a name is bound to: input array j, or a number. A number variable is
 * a parameter of the kernel, read from the args block at each call, so one
 * template serves every value of it (var's mean, argmax's extreme).
 */
export type Binding = { kind: 'array'; index: number } | { kind: 'number' };

export interface Template {
  /** The generated kernel (none for a direct reduction), and its module. */
  kernel?: GeneratedKernel;
  module?: WebAssembly.Module;
  inputs: number;
  /** The constants' values; a number variable's slot holds NaN until a call writes its value there. */
  consts: number[];
  /** The number variables' slots in consts, by name. */
  params: Map<string, number>;
  /** Elementwise (none) or how chunk partials fold. */
  fold: 'none' | ReduceFold;
  reduction?: ReductionOp;
  /** Nanoseconds per element on one thread (the op table's costs of its ops), and the least n worth the pool. */
  cost: number;
  cutoff: number;
  /** sum, dot or mean of variables as they are: run as the op itself, so dot(a, b) is lanes.dot(a, b). */
  direct?: { row: OpRow; inputs: number[] };
  /** The pool's id of the module, once loaded (src/expr/run.ts). */
  program?: number;
  /** The chunk plan at the last n run. */
  lastPlan?: { n: number; plan: Plan };
}

/** A value while compiling: a number, a vector computed inline, or (for a root kernel call) already in out. */
type Value = { kind: 'const'; value: number } | { kind: 'vec'; node: VNode } | { kind: 'written' };

const ROWS = REGISTRY as readonly OpRow[];

/** Ops whose kernel is one SIMD instruction per vector: they run inline. */
const INLINE: Record<string, Record<KernelDtype, number>> = {
  add: { f32: Simd.f32x4Add, f64: Simd.f64x2Add },
  sub: { f32: Simd.f32x4Sub, f64: Simd.f64x2Sub },
  mul: { f32: Simd.f32x4Mul, f64: Simd.f64x2Mul },
  div: { f32: Simd.f32x4Div, f64: Simd.f64x2Div },
  min: { f32: Simd.f32x4Min, f64: Simd.f64x2Min },
  max: { f32: Simd.f32x4Max, f64: Simd.f64x2Max },
  neg: { f32: Simd.f32x4Neg, f64: Simd.f64x2Neg },
  abs: { f32: Simd.f32x4Abs, f64: Simd.f64x2Abs },
  sqrt: { f32: Simd.f32x4Sqrt, f64: Simd.f64x2Sqrt },
  floor: { f32: Simd.f32x4Floor, f64: Simd.f64x2Floor },
  ceil: { f32: Simd.f32x4Ceil, f64: Simd.f64x2Ceil },
  trunc: { f32: Simd.f32x4Trunc, f64: Simd.f64x2Trunc },
  rint: { f32: Simd.f32x4Nearest, f64: Simd.f64x2Nearest },
};

/** Ops whose kernel is a few of those instructions: the same ones, inline. */
const COMPOSED: Record<string, (args: VNode[], t: KernelDtype) => VNode> = {
  // square is x·x.
  square: ([x], t) => ({ t: 'op', code: INLINE.mul[t], args: [x, x] }),
  // clip is max, then min.
  clip: ([x, lo, hi], t) => ({ t: 'op', code: INLINE.min[t], args: [{ t: 'op', code: INLINE.max[t], args: [x, lo] }, hi] }),
};

/** The comparisons of where, as the wasm compare instructions the generated kernels run. */
const COMPARE: Record<Comparison, Record<KernelDtype, number>> = {
  '<': { f32: Simd.f32x4Lt, f64: Simd.f64x2Lt },
  '<=': { f32: Simd.f32x4Le, f64: Simd.f64x2Le },
  '>': { f32: Simd.f32x4Gt, f64: Simd.f64x2Gt },
  '>=': { f32: Simd.f32x4Ge, f64: Simd.f64x2Ge },
  '==': { f32: Simd.f32x4Eq, f64: Simd.f64x2Eq },
  '!=': { f32: Simd.f32x4Ne, f64: Simd.f64x2Ne },
};
const COMPARE_JS: Record<Comparison, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** @param fn the API function compiling, for messages */
export function compile(rt: Runtime, parsed: Parsed, dtype: Dtype, bindings: Map<string, Binding>, inputs: number, fn: string): Template {
  return new Emitter(rt, dtype, bindings, inputs, fn).template(parsed.root);
}

class Emitter {
  private readonly segments: Segment[] = [];
  private readonly consts: number[] = [];
  private readonly params = new Map<string, number>();
  private registers = 0;
  private cost = 0;
  private work = Infinity;
  private readonly kdtype: KernelDtype;
  private readonly round: (x: number) => number;
  /** Per-element costs for what is no op-table row (comparisons, select): the cheapest binary row. */
  private readonly cheapest: OpRow;

  constructor(
    private readonly rt: Runtime,
    private readonly dtype: Dtype,
    private readonly bindings: Map<string, Binding>,
    private readonly inputs: number,
    private readonly fn: string,
  ) {
    this.kdtype = dtype === 'float32' ? 'f32' : 'f64';
    this.round = dtype === 'float32' ? Math.fround : (x) => x;
    this.cheapest = ROWS.filter((r) => r.kind === 'binary').reduce((a, b) => (b.cost[dtype] < a.cost[dtype] ? b : a));
  }

  template(root: Node): Template {
    let fold: Template['fold'] = 'none';
    let reduction: ReductionOp | undefined;
    let term: VNode | undefined;
    let reduceCall: ReduceCall | undefined;
    let direct: Template['direct'];
    if (root.type === 'reduce') {
      reduction = root.op;
      const values = root.args.map((arg) => this.emit(arg));
      const sumRow = ROWS.find((r) => r.kind === 'sum')!;
      this.account(root.row ?? sumRow);
      const plain = values.every((v) => v.kind === 'vec' && v.node.t === 'in');
      if ((root.op === 'sum' || root.op === 'dot' || root.op === 'mean') && plain) {
        direct = { row: root.row ?? sumRow, inputs: values.map((v) => ((v as { node: { j: number } }).node.j)) };
      }
      if (root.row && isLoaded(root.row)) {
        // A loaded reduction: its kernel on each block of the arguments' values.
        const { ids, library } = this.kernelsOf(root.row);
        const places = values.map((v) => this.place(v));
        reduceCall = { kernel: ids.array, library: library!, args: [places[0], places[1] ?? places[0]] };
      } else {
        const nodes = values.map((v) => this.node(v));
        term = root.op === 'dot' ? { t: 'op', code: INLINE.mul[this.kdtype], args: nodes } : nodes[0];
      }
      fold = root.op === 'sum' || root.op === 'dot' || root.op === 'mean' ? 'sum' : root.op;
    } else {
      const v = this.emit(root, true);
      if (v.kind !== 'written') this.store(this.node(v), { t: 'out' });
    }
    const cost = Math.max(this.cost, 1e-3);
    const cutoff = Number.isFinite(this.work) ? Math.ceil(this.work / cost) : 0;
    const { inputs, consts, params } = this;
    if (direct) return { inputs, consts, params, fold, reduction, cost, cutoff, direct };
    const kernel = generate({
      dtype: this.kdtype,
      inputs: this.inputs,
      out: fold === 'none',
      consts: this.consts,
      registers: this.registers,
      segments: this.segments,
      reduce: reduceCall ? { call: reduceCall, fold: 'sum' } : term && fold !== 'none' ? { node: term, fold } : undefined,
    });
    return { kernel, module: new WebAssembly.Module(kernel.bytes), inputs, consts, params, fold, reduction, cost, cutoff };
  }

  /** The value of `node`; at the root, a kernel call writes straight to the output. */
  private emit(node: Node, root = false): Value {
    switch (node.type) {
      case 'number':
        return { kind: 'const', value: this.round(node.value) };
      case 'name': {
        const b = this.bindings.get(node.name)!;
        if (b.kind === 'array') return { kind: 'vec', node: { t: 'in', j: b.index } };
        let slot = this.params.get(node.name);
        if (slot === undefined) this.params.set(node.name, (slot = this.consts.push(NaN) - 1));
        return { kind: 'vec', node: { t: 'const', c: slot } };
      }
      case 'op':
        return this.op(node.row, node.args.map((arg) => this.emit(arg)), root);
      case 'where':
        return this.where(node.cond, node.then, node.otherwise, root);
      case 'reduce':
        throw new Error('lanes: internal error: a reduction inside an expression'); // parse() refuses these
    }
  }

  private op(row: OpRow, args: Value[], root: boolean): Value {
    if (args.every((a) => a.kind === 'const')) return { kind: 'const', value: this.fold(row, args.map((a) => (a as { value: number }).value)) };
    this.account(row);
    const inline = isLoaded(row) ? undefined : INLINE[row.kernel];
    if ((row.kernel === 'mul' || row.kernel === 'div') && args.length === 2) args = this.foldNegation(row, args);
    const divisor = args[1]?.kind === 'const' ? args[1].value : NaN;
    if (row.kernel === 'div' && this.isNormalPowerOfTwo(divisor)) {
      // x / 2^k and x · 2^-k are the same real number, so the same bits once
      // rounded (special values too), and a product is cheaper than a quotient.
      return { kind: 'vec', node: { t: 'op', code: INLINE.mul[this.kdtype], args: [this.node(args[0]), this.node({ kind: 'const', value: 1 / divisor })] } };
    }
    if (inline) return { kind: 'vec', node: { t: 'op', code: inline[this.kdtype], args: args.map((a) => this.node(a)) } };
    const composed = isLoaded(row) ? undefined : COMPOSED[row.kernel];
    if (composed) return { kind: 'vec', node: composed(args.map((a) => this.node(a)), this.kdtype) };

    // No single instruction: the op's own kernel, on blocks.
    const { ids, library } = this.kernelsOf(row);
    const dst: Place = root ? { t: 'out' } : { t: 'reg', r: this.registers++ };
    const numberFirst = args.length === 2 && this.slotOf(args[0]) >= 0;
    const numberForm = args.length === 2 && (numberFirst || this.slotOf(args[1]) >= 0) ? (numberFirst ? ids.reversed : ids.scalar) : -1;
    if (numberForm >= 0) {
      // array ∘ number or number ∘ array: the kernel the op itself uses for a number operand.
      const [number, array] = numberFirst ? [args[0], args[1]] : [args[1], args[0]];
      const x = this.place(array);
      const scalar = this.slotOf(number);
      this.segments.push({ kind: 'call', kernel: numberForm, library, form: 'scalar', args: [x], scalar, dst });
    } else {
      // (A loaded op without a number form gets the number broadcast into a block, as its call does.)
      const places = args.map((a) => this.place(a));
      const form: CallForm = args.length === 1 ? 'unary' : args.length === 2 ? 'binary' : 'ternary';
      this.segments.push({ kind: 'call', kernel: ids.array, library, form, args: places, dst });
    }
    return dst.t === 'out' ? { kind: 'written' } : { kind: 'vec', node: dst };
  }

  private where(cond: Compare, then: Node, otherwise: Node, root: boolean): Value {
    const left = this.emit(cond.left);
    const right = this.emit(cond.right);
    if (left.kind === 'const' && right.kind === 'const') return this.emit(COMPARE_JS[cond.op](left.value, right.value) ? then : otherwise, root);
    this.account(this.cheapest);
    const mask: VNode = { t: 'op', code: COMPARE[cond.op][this.kdtype], args: [this.node(left), this.node(right)] };
    const x = this.node(this.emit(then));
    const y = this.node(this.emit(otherwise));
    this.account(this.cheapest);
    return { kind: 'vec', node: { t: 'op', code: Simd.bitselect, args: [x, y, mask] } };
  }

  /** The constants' slot of a number or number variable, else −1. */
  private slotOf(v: Value): number {
    if (v.kind === 'const') return this.constant(v.value);
    return v.kind === 'vec' && v.node.t === 'const' ? v.node.c : -1;
  }

  /** A value as an inline operand. */
  private node(v: Value): VNode {
    if (v.kind === 'const') return { t: 'const', c: this.constant(v.value) };
    if (v.kind === 'vec') return v.node;
    throw new Error('lanes: internal error: the output read back');
  }

  /** A value in memory, for a kernel call: an input or register as it is, anything else stored to a new register first. */
  private place(v: Value): Place {
    if (v.kind === 'vec' && (v.node.t === 'in' || v.node.t === 'reg')) return v.node;
    const r = this.registers++;
    this.store(this.node(v), { t: 'reg', r });
    return { t: 'reg', r };
  }

  /** Stores a value, in the loop just before if there is one (its values are all known by then). */
  private store(node: VNode, dst: Place): void {
    const last = this.segments[this.segments.length - 1];
    if (last?.kind === 'loop') last.stores.push({ node, dst });
    else this.segments.push({ kind: 'loop', stores: [{ node, dst }] });
  }

  /**
   * (−u) × c = u × (−c) and (−u) ÷ c = u ÷ (−c), c × (−u) = (−c) × u: negation
   * is exact and rounding is symmetric, so the same bits (NaN payloads aside)
   * for one instruction less.
   */
  private foldNegation(row: OpRow, args: Value[]): Value[] {
    const neg = INLINE.neg[this.kdtype];
    const isNeg = (v: Value) => v.kind === 'vec' && v.node.t === 'op' && v.node.code === neg;
    const [x, y] = args;
    if (y.kind === 'const' && isNeg(x)) return [{ kind: 'vec', node: (x as { node: { args: VNode[] } }).node.args[0] }, { kind: 'const', value: -y.value }];
    if (row.kernel === 'mul' && x.kind === 'const' && isNeg(y)) return [{ kind: 'const', value: -x.value }, { kind: 'vec', node: (y as { node: { args: VNode[] } }).node.args[0] }];
    return args;
  }

  /** Whether x is ±2^k, a normal number of the dtype (so that 1/x is exact in it too). */
  private isNormalPowerOfTwo(x: number): boolean {
    const a = Math.abs(x);
    if (!(a >= (this.dtype === 'float32' ? 2 ** -126 : 2 ** -1022)) || a > (this.dtype === 'float32' ? 2 ** 127 : 2 ** 1023)) return false;
    const bits = new Float64Array([a]);
    return new Uint32Array(bits.buffer)[0] === 0 && (new Uint32Array(bits.buffer)[1] & 0xfffff) === 0;
  }

  /** A number operand's slot in the kernel's constants (not a variable's: those change from call to call). */
  private constant(value: number): number {
    const at = this.consts.findIndex((c, slot) => Object.is(c, value) && ![...this.params.values()].includes(slot));
    if (at >= 0) return at;
    return this.consts.push(value) - 1;
  }

  /** The kernels of a row for this dtype: the pool's, or a loaded op's in its library (which may lack the dtype). */
  private kernelsOf(row: OpRow): { ids: KernelIds; library?: number } {
    if (!isLoaded(row)) return { ids: this.rt.kernelIds(row, this.dtype) };
    const ids = row.ids[this.dtype];
    if (ids.array < 0) throw new TypeError(`lanes.${this.fn}: ${row.name}() has no ${this.dtype} kernel in its loaded module (${row.exportNames[this.dtype]}); it takes only the dtypes the module exports kernels for`);
    return { ids, library: row.library };
  }

  private account(row: OpRow): void {
    const cost = row.cost[this.dtype];
    this.cost += cost;
    this.work = Math.min(this.work, row.cutoff[this.dtype] * cost);
  }

  /** row(args) on numbers, as its kernel computes it in this dtype. */
  private fold(row: OpRow, args: number[]): number {
    const at = foldScratch(this.rt);
    const View = this.dtype === 'float32' ? Float32Array : Float64Array;
    const bytes = View.BYTES_PER_ELEMENT;
    const cells = new View(this.rt.memory.buffer as unknown as ArrayBuffer, at, 4);
    args.forEach((x, i) => (cells[i] = x));
    const kernel = (isLoaded(row) ? row.kernels[this.kernelsOf(row).ids.array] : this.rt.exports[kernelName(row, this.kdtype, 'array')]) as (...a: number[]) => void;
    kernel(...args.map((_, i) => at + i * bytes), at + 3 * bytes, 1);
    return cells[3];
  }
}

/** 32 bytes of lanes memory per runtime for folding constants (never freed: one per thread). */
const scratch = new WeakMap<Runtime, number>();
function foldScratch(rt: Runtime): number {
  let at = scratch.get(rt);
  if (at === undefined) scratch.set(rt, (at = rt.ownBlock(32)));
  return at;
}
