// The kernel generated for one expression, dtype and binding: a wasm
// function run(args, start, length, thread) -> f64 over elements
// [start, start + length) of the arrays named in the args block at `args`.
//
// Elementwise operations with an exact SIMD instruction (+ − × ÷, min, max,
// neg, abs, sqrt, comparisons and the select of where) run inline, on
// vectors in locals: every input is read once and the output written once,
// with no intermediate in memory. An op with no such instruction (exp) calls
// lanes' own kernel (imported from the kernel module's instance on the same
// thread) on blocks of BLOCK elements kept in this thread's scratch memory:
// the inline loops before it write its operands there, and those after it
// read its result. Each inline loop runs the same instructions as the op
// kernels (f32x4.add for add, ...) on every element, tails included (one
// element at a time in lane 0), so results are the op kernels' bits.
//
// A reduction folds its terms in locals, block by block in a fixed order
// (see reduce() below): the chunk's partial depends only on the chunk.
import { encodeModule, FunctionBody, Op, Simd, Type, type FunctionType, type ValType } from './wasm.js';

/** A vector value computed inline: an input or register read at the current position, a constant, or an instruction on values. */
export type VNode =
  | { t: 'in'; j: number }
  | { t: 'reg'; r: number }
  | { t: 'const'; c: number }
  | { t: 'op'; code: number; args: VNode[] };

/** Where a block lives in memory: input j or the output at the block's position, or register r in scratch. */
export type Place = { t: 'in'; j: number } | { t: 'reg'; r: number } | { t: 'out' };

export type CallForm = 'unary' | 'binary' | 'scalar' | 'ternary';

export type Segment =
  /** One loop over the block storing each value to its place. */
  | { kind: 'loop'; stores: { node: VNode; dst: Place }[] }
  /**
   * A kernel over the block: k(args…, dst, n), or for 'scalar' k(x, consts[scalar], dst, n).
   * `kernel` indexes the pool's kernels, or with `library` that kernel library's (a loaded module).
   */
  | { kind: 'call'; kernel: number; library?: number; form: CallForm; args: Place[]; scalar?: number; dst: Place };

/** A reduction kernel r(a, b, n) -> f64 of a kernel library, called on each block; the chunk's partial sums its results. */
export interface ReduceCall {
  kernel: number;
  library: number;
  /** a, and b (for a one-array reduction, a again: the kernel ignores it). */
  args: [Place, Place];
}

/**
 * How a reduction folds its terms: sum, min, max, prod (float32 terms in f64
 * lanes), or first: the index of the first nonzero term (+∞ if none), the
 * chunk stopping there.
 */
export type ReduceFold = 'sum' | 'min' | 'max' | 'prod' | 'first';

export interface KernelSpec {
  dtype: 'f32' | 'f64';
  inputs: number;
  /** Whether the kernel writes an output (not for reductions). */
  out: boolean;
  /** Constants, already rounded to the dtype; the args block carries them. */
  consts: number[];
  registers: number;
  segments: Segment[];
  /** For reductions: the term, folded after the segments of each block; or a library's reduction kernel called on it. */
  reduce?: { node: VNode; fold: ReduceFold } | { call: ReduceCall; fold: 'sum' };
}

/** Where things are in the args block (byte offsets from its start). */
export interface ArgsLayout {
  /** i32 pointers: the inputs, then the output if any. */
  pointers: number;
  /** f64 constants. */
  consts: number;
  bytes: number;
}

/** Args block header, i32 words: threads that have scratch, the scratch address, its bytes per thread. */
export const ARGS_SLOTS = 0;
export const ARGS_SCRATCH = 4;
export const ARGS_SCRATCH_BYTES = 8;
const HEADER_BYTES = 16;

/** Elements per block, for kernels that call other kernels or reduce. */
export const BLOCK = 512;
/** Vectors per iteration of an elementwise loop, and of a reduction's loop. */
const UNROLL = 2;
const REDUCE_UNROLL = 4;

export interface GeneratedKernel {
  bytes: Uint8Array<ArrayBuffer>;
  layout: ArgsLayout;
  /** Scratch bytes each thread needs. */
  scratchBytes: number;
}

export function argsLayout(spec: Pick<KernelSpec, 'inputs' | 'out' | 'consts'>): ArgsLayout {
  const pointers = HEADER_BYTES;
  const consts = Math.ceil((pointers + 4 * (spec.inputs + (spec.out ? 1 : 0))) / 8) * 8;
  return { pointers, consts, bytes: consts + 8 * spec.consts.length };
}

const FORM_PARAMS: Record<CallForm, (scalar: ValType) => ValType[]> = {
  unary: () => [Type.i32, Type.i32, Type.i32],
  binary: () => [Type.i32, Type.i32, Type.i32, Type.i32],
  scalar: (s) => [Type.i32, s, Type.i32, Type.i32],
  ternary: () => [Type.i32, Type.i32, Type.i32, Type.i32, Type.i32],
};

/**
 * The wasm module of `spec`: it imports env.memory (shared), the pool's
 * kernels it calls as k.<pool index> and a kernel library's as
 * l<library id>.<index> (src/pool/program.ts), and exports run.
 */
export function generate(spec: KernelSpec): GeneratedKernel {
  const layout = argsLayout(spec);
  const f32 = spec.dtype === 'f32';
  const eb = f32 ? 4 : 8;
  const scalarType = f32 ? Type.f32 : Type.f64;
  const V = f32
    ? { splat: Simd.f32x4Splat, add: Simd.f32x4Add, min: Simd.f32x4Min, max: Simd.f32x4Max }
    : { splat: Simd.f64x2Splat, add: Simd.f64x2Add, min: Simd.f64x2Min, max: Simd.f64x2Max };

  // Types: 0 is run's; then one per call form used.
  const types: FunctionType[] = [{ params: [Type.i32, Type.i32, Type.i32, Type.i32], results: [Type.f64] }];
  const imports: { module: string; field: string; type: number }[] = [];
  const importIndex = new Map<string, number>();
  const importKey = (kernel: number, library = 0) => `${library}:${kernel}`;
  const importKernel = (kernel: number, library: number | undefined, params: ValType[], results: ValType[]) => {
    if (importIndex.has(importKey(kernel, library))) return;
    const same = (a: ValType[], b: ValType[]) => a.length === b.length && a.every((p, i) => p === b[i]);
    let type = types.findIndex((t) => same(t.params, params) && same(t.results, results));
    if (type < 0) type = types.push({ params, results }) - 1;
    importIndex.set(importKey(kernel, library), imports.length);
    imports.push({ module: library ? `l${library}` : 'k', field: String(kernel), type });
  };
  for (const s of spec.segments) if (s.kind === 'call') importKernel(s.kernel, s.library, FORM_PARAMS[s.form](scalarType), []);
  const reduceCall = spec.reduce && 'call' in spec.reduce ? spec.reduce.call : undefined;
  if (reduceCall) importKernel(reduceCall.kernel, reduceCall.library, [Type.i32, Type.i32, Type.i32], [Type.f64]);

  const f = new FunctionBody(4);
  const ARGS = 0, START = 1, LEN = 2, THREAD = 3;

  // Prologue: pointers at the chunk's start, register addresses, constants.
  const ptr: number[] = [];
  const pointerCount = spec.inputs + (spec.out ? 1 : 0);
  for (let j = 0; j < pointerCount; j++) {
    ptr.push(f.local(Type.i32));
    f.get(ARGS).mem(Op.i32Load, 2, layout.pointers + 4 * j).get(START).i32(eb).op(Op.i32Mul).op(Op.i32Add).set(ptr[j]);
  }
  const outPtr = spec.out ? ptr[spec.inputs] : -1;
  const regBase: number[] = [];
  if (spec.registers > 0) {
    const scratch = f.local(Type.i32);
    f.get(ARGS).mem(Op.i32Load, 2, ARGS_SCRATCH).get(THREAD).get(ARGS).mem(Op.i32Load, 2, ARGS_SCRATCH_BYTES).op(Op.i32Mul).op(Op.i32Add).set(scratch);
    for (let r = 0; r < spec.registers; r++) {
      regBase.push(f.local(Type.i32));
      f.get(scratch).i32(r * BLOCK * eb).op(Op.i32Add).set(regBase[r]);
    }
  }
  // Constants live in locals, splatted once per call: no v128.const in a loop
  // (V8 12.4+ rebuilds those on every iteration).
  const constV: number[] = [];
  const constS: number[] = [];
  spec.consts.forEach((_, c) => {
    constS.push(f.local(scalarType));
    f.get(ARGS).mem(Op.f64Load, 3, layout.consts + 8 * c);
    if (f32) f.op(Op.f32DemoteF64);
    f.set(constS[c]);
    constV.push(f.local(Type.v128));
    f.get(constS[c]).simd(V.splat).set(constV[c]);
  });

  // neg and abs flip or clear the sign bit with a mask kept in a local, as
  // lanes' own kernels do (assembly/simd/vec.ts): V8 12 and later reload the
  // address of the mask of f32x4.neg/abs at each use. Same bits, NaN too.
  const signMask = f.local(Type.v128);
  f.byte(Op.f64Const).f64(-0);
  if (f32) f.op(Op.f32DemoteF64);
  f.simd(V.splat).set(signMask);
  const signOp = new Map<number, number>([
    [Simd.f32x4Neg, Simd.xor],
    [Simd.f64x2Neg, Simd.xor],
    [Simd.f32x4Abs, Simd.andnot],
    [Simd.f64x2Abs, Simd.andnot],
  ]);

  const blocked = spec.reduce !== undefined || spec.segments.some((s) => s.kind === 'call');
  const blk = f.local(Type.i32); // the block's first element, within the chunk
  const cnt = f.local(Type.i32); // elements in the block
  const blkBytes = f.local(Type.i32);
  const i = f.local(Type.i32);
  const bytes = f.local(Type.i32);

  // Reduction state: the chunk's running total (Neumaier's compensation for sums) and a block's partial.
  const fold = spec.reduce?.fold;
  const identity = fold === 'min' || fold === 'first' ? Infinity : fold === 'max' ? -Infinity : fold === 'prod' ? 1 : -0;
  /** What lanes past lane 0 hold in a tail step, so that they change nothing. */
  const laneIdentity = fold === 'first' ? 0 : identity;
  const total = f.local(Type.f64);
  const comp = f.local(Type.f64);
  const x = f.local(Type.f64);
  const t = f.local(Type.f64);
  const tmp = f.local(Type.v128);
  const tmp2 = f.local(Type.v128);
  let identityV = -1;
  let lane0 = -1;
  let maxFinite = -1;
  if (spec.reduce) {
    identityV = f.local(Type.v128);
    lane0 = f.local(Type.v128);
    f.byte(Op.f64Const).f64(laneIdentity);
    if (f32) f.op(Op.f32DemoteF64);
    f.simd(V.splat).set(identityV);
    // All ones in lane 0 (the lane a tail element is in), zeros elsewhere.
    f.simd(Simd.const).byte(...(f32 ? [255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] : [255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0])).set(lane0);
    f.byte(Op.f64Const).f64(identity).set(total);
    f.byte(Op.f64Const).f64(-0).set(comp);
    if (fold === 'sum' && f32) {
      maxFinite = f.local(Type.v128);
      f.byte(Op.f64Const).f64(3.4028234663852886e38).op(Op.f32DemoteF64).simd(Simd.f32x4Splat).set(maxFinite);
    }
  }

  const base = (place: Place): void => {
    if (place.t === 'reg') f.get(regBase[place.r]);
    else {
      f.get(place.t === 'in' ? ptr[place.j] : outPtr);
      if (blocked) f.get(blkBytes).op(Op.i32Add);
    }
  };

  const leafKey = (n: VNode | Place) => (n.t === 'in' ? `i${n.j}` : n.t === 'reg' ? `r${n.r}` : 'o');

  /**
   * What a loop over the block reads and writes: each place's address in a
   * local, each leaf loaded once per position into a local, and how to put a
   * node's value on the stack.
   */
  const frame = (nodes: VNode[], dsts: Place[]) => {
    const leaves = new Map<string, { place: Place; base: number; value: number }>();
    const visit = (n: VNode) => {
      if (n.t === 'op') n.args.forEach(visit);
      else if (n.t !== 'const' && !leaves.has(leafKey(n))) leaves.set(leafKey(n), { place: n, base: -1, value: f.local(Type.v128) });
    };
    nodes.forEach(visit);
    const bases = new Map<string, number>();
    const baseOf = (place: Place) => {
      const key = leafKey(place);
      let local = bases.get(key);
      if (local === undefined) {
        local = f.local(Type.i32);
        base(place);
        f.set(local);
        bases.set(key, local);
      }
      return local;
    };
    for (const leaf of leaves.values()) leaf.base = baseOf(leaf.place);
    const dstBase = dsts.map(baseOf);
    /** Loads the leaves at byte i + offset: a whole vector, or with `lane` one element into lane 0. */
    const load = (offset: number, lane: boolean) => {
      for (const leaf of leaves.values()) {
        f.get(leaf.base).get(i).op(Op.i32Add);
        if (lane) f.mem(f32 ? Simd.load32Zero : Simd.load64Zero, 0, 0, true);
        else f.mem(Simd.load, 0, offset, true);
        f.set(leaf.value);
      }
    };
    const node = (n: VNode): void => {
      if (n.t === 'const') f.get(constV[n.c]);
      else if (n.t === 'op') {
        n.args.forEach(node);
        const sign = signOp.get(n.code);
        if (sign === undefined) f.simd(n.code);
        else f.get(signMask).simd(sign);
      } else f.get(leaves.get(leafKey(n))!.value);
    };
    return { load, node, dstBase };
  };

  /** while (i + step <= bytes) (or with `last`, i < bytes) { body; i += step } */
  const loop = (step: number, body: () => void, last = false, limit = bytes) => {
    f.byte(Op.block, 0x40).byte(Op.loop, 0x40);
    if (last) f.get(i).get(limit).op(Op.i32GeU);
    else f.get(i).i32(step).op(Op.i32Add).get(limit).op(Op.i32GtU);
    f.byte(Op.brIf).u32(1);
    body();
    f.get(i).i32(step).op(Op.i32Add).set(i);
    f.byte(Op.br).u32(0).byte(Op.end).byte(Op.end);
  };

  const start = () => {
    f.get(cnt).i32(eb).op(Op.i32Mul).set(bytes);
    f.i32(0).set(i);
  };

  /** One loop over the block that stores each value to its place. */
  const emitLoop = (stores: { node: VNode; dst: Place }[]): void => {
    const { load, node, dstBase } = frame(
      stores.map((s) => s.node),
      stores.map((s) => s.dst),
    );
    const position = (offset: number, lane: boolean): void => {
      load(offset, lane);
      stores.forEach((s, k) => {
        f.get(dstBase[k]).get(i).op(Op.i32Add);
        node(s.node);
        if (lane) f.mem(f32 ? Simd.store32Lane : Simd.store64Lane, 0, 0, true).byte(0);
        else f.mem(Simd.store, 0, offset, true);
      });
    };
    start();
    loop(UNROLL * 16, () => {
      for (let u = 0; u < UNROLL; u++) position(u * 16, false);
    });
    loop(16, () => position(0, false));
    loop(eb, () => position(0, true), true);
  };

  const vlocals = (count: number) => Array.from({ length: count }, () => f.local(Type.v128));
  const splatInto = (locals: number[], value: number, shape: 'f32' | 'f64') => {
    f.byte(Op.f64Const).f64(value);
    if (shape === 'f32') f.op(Op.f32DemoteF64);
    f.simd(shape === 'f32' ? Simd.f32x4Splat : Simd.f64x2Splat);
    f.set(locals[0]);
    for (let k = 1; k < locals.length; k++) f.get(locals[0]).set(locals[k]);
  };
  /** The locals combined pairwise with `code`, left on the stack. */
  const pairwise = (list: number[], code: number): void => {
    if (list.length === 1) {
      f.get(list[0]);
      return;
    }
    const half = list.length / 2;
    pairwise(list.slice(0, half), code);
    pairwise(list.slice(half), code);
    f.simd(code);
  };
  /** f64x2 on the stack to the sum of its lanes, lane 0 first. */
  const lanesSum = () => {
    f.tee(tmp2).simd(Simd.f64x2ExtractLane).byte(0);
    f.get(tmp2).simd(Simd.f64x2ExtractLane).byte(1).op(Op.f64Add);
  };
  /** f64x2 on the stack to the product of its lanes, lane 0 first. */
  const lanesProduct = () => {
    f.tee(tmp2).simd(Simd.f64x2ExtractLane).byte(0);
    f.get(tmp2).simd(Simd.f64x2ExtractLane).byte(1).op(Op.f64Mul);
  };
  /** lo += f64(lanes 0, 1 of tmp); hi += f64(lanes 2, 3), unless `lowOnly`. */
  const widenInto = (lo: number, hi: number, lowOnly: boolean) => {
    f.get(lo).get(tmp).simd(Simd.f64x2PromoteLowF32x4).simd(Simd.f64x2Add).set(lo);
    if (lowOnly) return;
    f.get(hi).get(tmp).get(tmp).simd(Simd.shuffle).byte(8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15);
    f.simd(Simd.f64x2PromoteLowF32x4).simd(Simd.f64x2Add).set(hi);
  };

  /**
   * A reduction's loop over the block, leaving the block's partial in x.
   * float32 sums run as lanes.sum does for float32: terms added in f32
   * lanes, 16 to a lane (eight accumulators over a 512-element block), the
   * eight combined pairwise, then widened to f64; a block whose f32 sum is
   * not finite is summed again in f64 lanes, and the rest of a short block
   * (under 32 elements) is added in f64. Other reductions keep
   * REDUCE_UNROLL accumulators of the dtype's lanes (f64 sums: 64 terms a
   * lane per block) and combine them pairwise.
   */
  const emitReduce = (term: VNode): void => {
    const { load, node } = frame([term], []);
    /** The term at byte i + offset on the stack; in lane mode, lanes past 0 hold the identity. */
    const termAt = (offset: number, lane: boolean) => {
      load(offset, lane);
      node(term);
      if (lane) f.get(identityV).get(lane0).simd(Simd.bitselect);
    };
    start();
    if (fold === 'sum' && f32) {
      const F32_ACCS = 8;
      const acc = vlocals(F32_ACCS);
      const mainEnd = f.local(Type.i32);
      splatInto(acc, -0, 'f32');
      loop(F32_ACCS * 16, () => {
        for (let u = 0; u < F32_ACCS; u++) {
          f.get(acc[u]);
          termAt(u * 16, false);
          f.simd(Simd.f32x4Add).set(acc[u]);
        }
      });
      f.get(i).set(mainEnd);
      pairwise(acc, Simd.f32x4Add);
      f.tee(tmp).simd(Simd.f32x4Abs).get(maxFinite).simd(Simd.f32x4Le).simd(Simd.i32x4AllTrue);
      f.byte(Op.if, Type.f64);
      {
        const [lo, hi] = vlocals(2);
        splatInto([lo, hi], -0, 'f64');
        widenInto(lo, hi, false);
        f.get(lo).get(hi).simd(Simd.f64x2Add);
        lanesSum();
      }
      f.byte(Op.else);
      {
        // An f32 lane overflowed, or met a NaN or infinity: again, in f64 lanes.
        const wide = vlocals(4);
        splatInto(wide, -0, 'f64');
        f.i32(0).set(i);
        loop(32, () => {
          for (let u = 0; u < 2; u++) {
            termAt(u * 16, false);
            f.set(tmp);
            widenInto(wide[2 * u], wide[2 * u + 1], false);
          }
        }, false, mainEnd);
        pairwise(wide, Simd.f64x2Add);
        lanesSum();
      }
      f.byte(Op.end).set(x);
      // The rest of a short block, in f64.
      const [lo, hi] = vlocals(2);
      splatInto([lo, hi], -0, 'f64');
      loop(16, () => {
        termAt(0, false);
        f.set(tmp);
        widenInto(lo, hi, false);
      });
      loop(eb, () => {
        termAt(0, true);
        f.set(tmp);
        widenInto(lo, hi, true);
      }, true);
      f.get(x).get(lo).get(hi).simd(Simd.f64x2Add);
      lanesSum();
      f.op(Op.f64Add).set(x);
    } else if (fold === 'first') {
      // One vector a step: where any lane is nonzero, x is the first such
      // element's index, and the loops end (i and blk past their ends).
      const found = () => {
        f.tee(tmp).simd(Simd.anyTrue).byte(Op.if, 0x40);
        f.get(START).get(blk).op(Op.i32Add).get(i).i32(f32 ? 2 : 3).op(Op.i32ShrU).op(Op.i32Add);
        f.get(tmp).simd(f32 ? Simd.i32x4Bitmask : Simd.i64x2Bitmask).op(Op.i32Ctz).op(Op.i32Add);
        f.op(Op.f64ConvertI32U).set(total);
        f.get(bytes).set(i);
        f.get(LEN).set(blk);
        f.byte(Op.end);
      };
      const zero = f.local(Type.v128);
      f.byte(Op.f64Const).f64(0).simd(Simd.f64x2Splat).set(zero);
      const mask = (offset: number, lane: boolean) => {
        termAt(offset, lane);
        f.get(zero).simd(f32 ? Simd.f32x4Ne : Simd.f64x2Ne);
      };
      loop(16, () => {
        mask(0, false);
        found();
      });
      loop(eb, () => {
        mask(0, true);
        found();
      }, true);
      return;
    } else if (fold === 'prod' && f32) {
      // float32 terms widened to f64 lanes and multiplied there: no
      // rounding to f32, and no overflow short of f64's.
      const wide = vlocals(4);
      splatInto(wide, 1, 'f64');
      const mulInto = (lo: number, hi: number) => {
        f.get(lo).get(tmp).simd(Simd.f64x2PromoteLowF32x4).simd(Simd.f64x2Mul).set(lo);
        f.get(hi).get(tmp).get(tmp).simd(Simd.shuffle).byte(8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15);
        f.simd(Simd.f64x2PromoteLowF32x4).simd(Simd.f64x2Mul).set(hi);
      };
      loop(32, () => {
        for (let u = 0; u < 2; u++) {
          termAt(u * 16, false);
          f.set(tmp);
          mulInto(wide[2 * u], wide[2 * u + 1]);
        }
      });
      loop(16, () => {
        termAt(0, false);
        f.set(tmp);
        mulInto(wide[0], wide[1]);
      });
      loop(eb, () => {
        termAt(0, true);
        f.set(tmp);
        mulInto(wide[0], wide[1]);
      }, true);
      pairwise(wide, Simd.f64x2Mul);
      lanesProduct();
      f.set(x);
    } else {
      const acc = vlocals(REDUCE_UNROLL);
      f.get(identityV).set(acc[0]);
      for (let k = 1; k < acc.length; k++) f.get(acc[0]).set(acc[k]);
      const code = fold === 'sum' ? V.add : fold === 'min' ? V.min : fold === 'max' ? V.max : Simd.f64x2Mul;
      const accumulate = (u: number, offset: number, lane: boolean) => {
        f.get(acc[u]);
        termAt(offset, lane);
        f.simd(code).set(acc[u]);
      };
      loop(REDUCE_UNROLL * 16, () => {
        for (let u = 0; u < REDUCE_UNROLL; u++) accumulate(u, u * 16, false);
      });
      loop(16, () => accumulate(0, 0, false));
      loop(eb, () => accumulate(0, 0, true), true);
      pairwise(acc, code);
      if (fold === 'sum') lanesSum();
      else if (fold === 'prod') lanesProduct();
      else {
        f.set(tmp);
        const scalarFold = fold === 'min' ? Op.f64Min : Op.f64Max;
        f.get(tmp).simd(f32 ? Simd.f32x4ExtractLane : Simd.f64x2ExtractLane).byte(0);
        if (f32) f.op(Op.f64PromoteF32);
        for (let lane = 1; lane < 16 / eb; lane++) {
          f.get(tmp).simd(f32 ? Simd.f32x4ExtractLane : Simd.f64x2ExtractLane).byte(lane);
          if (f32) f.op(Op.f64PromoteF32);
          f.op(scalarFold);
        }
      }
      f.set(x);
    }
    addToTotal();
  };

  /** x into the chunk's total. */
  const addToTotal = (): void => {
    if (fold === 'sum') {
      // Neumaier, as the pool combines chunk partials.
      f.get(total).get(x).op(Op.f64Add).set(t);
      f.get(comp);
      f.get(total).get(t).op(Op.f64Sub).get(x).op(Op.f64Add);
      f.get(x).get(t).op(Op.f64Sub).get(total).op(Op.f64Add);
      f.get(total).op(Op.f64Abs).get(x).op(Op.f64Abs).op(Op.f64Ge);
      f.op(Op.select).op(Op.f64Add).set(comp);
      f.get(t).set(total);
    } else {
      f.get(total).get(x).op(fold === 'min' ? Op.f64Min : fold === 'max' ? Op.f64Max : Op.f64Mul).set(total);
    }
  };

  const emitCall = (s: Extract<Segment, { kind: 'call' }>): void => {
    s.args.forEach((place, k) => {
      base(place);
      if (s.form === 'scalar' && k === 0) f.get(constS[s.scalar!]);
    });
    base(s.dst);
    f.get(cnt).byte(Op.call).u32(importIndex.get(importKey(s.kernel, s.library))!);
  };

  const emitSegments = (): void => {
    for (const s of spec.segments) {
      if (s.kind === 'loop') emitLoop(s.stores);
      else emitCall(s);
    }
    if (reduceCall) {
      base(reduceCall.args[0]);
      base(reduceCall.args[1]);
      f.get(cnt).byte(Op.call).u32(importIndex.get(importKey(reduceCall.kernel, reduceCall.library))!).set(x);
      addToTotal();
    } else if (spec.reduce && 'node' in spec.reduce) emitReduce(spec.reduce.node);
  };

  if (!blocked) {
    f.get(LEN).set(cnt);
    f.i32(0).set(blkBytes);
    emitSegments();
  } else {
    f.i32(0).set(blk);
    f.byte(Op.block, 0x40).get(LEN).op(Op.i32Eqz).byte(Op.brIf).u32(0);
    f.byte(Op.loop, 0x40);
    // cnt = min(BLOCK, len - blk)
    f.i32(BLOCK).get(LEN).get(blk).op(Op.i32Sub).tee(cnt).get(cnt).i32(BLOCK).op(Op.i32GtU).op(Op.select).set(cnt);
    f.get(blk).i32(eb).op(Op.i32Mul).set(blkBytes);
    emitSegments();
    f.get(blk).i32(BLOCK).op(Op.i32Add).tee(blk).get(LEN).op(Op.i32LtU).byte(Op.brIf).u32(0);
    f.byte(Op.end).byte(Op.end);
  }
  if (fold === 'sum') f.get(total).get(comp).op(Op.f64Add);
  else if (fold) f.get(total);
  else f.byte(Op.f64Const).f64(0);

  const bytesOut = encodeModule({ types, imports, memory: { module: 'env', field: 'memory', maximum: 65536 }, func: { type: 0, body: f, export: 'run' } });
  return { bytes: bytesOut, layout, scratchBytes: spec.registers * BLOCK * eb };
}
