// A program job: a short list of kernel calls run block by block over each
// chunk, on registers in per-thread scratch memory, so that several ops pass
// over memory once with no n-sized temporaries (how fused expressions run).
// Like the rest of the pool it knows kernels by index only; src/expr builds
// programs and writes them into lanes memory with encodeProgram, and every
// thread reads them back with loadProgram.
import type { BinaryKernel, Kernel, ReduceKernel, ScalarKernel, UnaryKernel } from '../wasm/module.js';

/** How a step calls its kernel (`dst` is a register, or the output). */
export const Step = {
  /** k(x, dst, len) */
  Unary: 0,
  /** k(x, y, dst, len) */
  Binary: 1,
  /** k(x, consts[y], dst, len) */
  Scalar: 2,
  /** k(x, y, z, dst, len) */
  Ternary: 3,
  /** dst = x, bit for bit (no kernel) */
  Copy: 4,
  /** dst = consts[x] in every element (no kernel) */
  Fill: 5,
  /** the block's partial = k(x, y or 0, len), folded into the chunk's by the program's Fold */
  Reduce: 6,
} as const;
export type Step = (typeof Step)[keyof typeof Step];

/** How a reduction folds block partials into one per chunk. */
export const Fold = { None: 0, Sum: 1, Min: 2, Max: 3 } as const;
export type Fold = (typeof Fold)[keyof typeof Fold];

/**
 * An operand of a step: a register r ≥ 0 (one block in this thread's
 * scratch), or -1 - j for entry j of the program's array table, read at the
 * block's position; unused operands are 0.
 */
export interface ProgramStep {
  step: Step;
  kernel: number;
  dst: number;
  x: number;
  y: number;
  z: number;
}

export interface ProgramSpec {
  /** Elements per block (a multiple of 16, so every full block runs the kernels' unrolled loop). */
  block: number;
  registers: number;
  elemBytes: number;
  /** Threads that have scratch, thread 0 being the caller: thread t's registers start at scratch + t · slotBytes. */
  slots: number;
  scratch: number;
  /** Byte addresses of the arrays the steps read and write (the output among them). */
  arrays: number[];
  consts: number[];
  steps: ProgramStep[];
  fold: Fold;
}

const HEADER = 8;
const STEP_WORDS = 6;

/** Bytes encodeProgram writes for `spec`. */
export function programBytes(spec: Pick<ProgramSpec, 'arrays' | 'consts' | 'steps'>): number {
  const words = HEADER + spec.arrays.length + spec.steps.length * STEP_WORDS;
  return Math.ceil(words / 2) * 8 + spec.consts.length * 8;
}

/** Scratch bytes of one thread. */
export function scratchBytes(spec: Pick<ProgramSpec, 'block' | 'registers' | 'elemBytes'>): number {
  return spec.block * spec.registers * spec.elemBytes;
}

/** Writes `spec` at byte `at` (8-aligned) of `buffer`. */
export function encodeProgram(buffer: ArrayBufferLike, at: number, spec: ProgramSpec): void {
  const words = HEADER + spec.arrays.length + spec.steps.length * STEP_WORDS;
  const w = new Int32Array(buffer, at, words);
  w.set([spec.block, spec.registers, spec.slots, spec.scratch, spec.arrays.length, spec.steps.length, spec.consts.length, spec.fold]);
  w.set(spec.arrays, HEADER);
  let p = HEADER + spec.arrays.length;
  for (const s of spec.steps) {
    w.set([s.step, s.kernel, s.dst, s.x, s.y, s.z], p);
    p += STEP_WORDS;
  }
  new Float64Array(buffer, at + Math.ceil(words / 2) * 8, spec.consts.length).set(spec.consts);
}

/** Runs chunk `i` (elements [start, start + length)); a reduction returns the chunk's partial. */
export type ProgramKernel = (start: number, length: number) => number;

/**
 * The program at byte `at`, ready to run chunks on thread `thread` (0 is the
 * caller, worker k is k + 1); undefined if that thread has no scratch, in
 * which case it must claim no chunk of the job.
 */
export function loadProgram(buffer: ArrayBufferLike, at: number, elemBytes: number, kernels: readonly Kernel[], thread: number): ProgramKernel | undefined {
  const [block, registers, slots, scratch, arrayCount, stepCount, constCount, fold] = new Int32Array(buffer, at, HEADER);
  if (thread >= slots) return undefined;
  const words = HEADER + arrayCount + stepCount * STEP_WORDS;
  const w = new Int32Array(buffer, at, words);
  const steps: ProgramStep[] = [];
  for (let p = HEADER + arrayCount; p < words; p += STEP_WORDS) {
    steps.push({ step: w[p] as Step, kernel: w[p + 1], dst: w[p + 2], x: w[p + 3], y: w[p + 4], z: w[p + 5] });
  }
  const consts = Array.from(new Float64Array(buffer, at + Math.ceil(words / 2) * 8, constCount));
  const program = new Program({ block, registers, elemBytes, steps, consts, fold: fold as Fold }, kernels);
  const arrays = Array.from(w.subarray(HEADER, HEADER + arrayCount), (p) => p >>> 0);
  return program.bind(buffer, arrays, (scratch >>> 0) + thread * scratchBytes(program.spec));
}

/** A program's steps with their kernels looked up: bind it to addresses to run it. */
export class Program {
  private readonly shape: Int32Array;
  private readonly fns: Kernel[];
  private readonly refs: Int32Array;
  private readonly scalar: Float64Array;

  constructor(
    readonly spec: Pick<ProgramSpec, 'block' | 'registers' | 'elemBytes' | 'steps' | 'consts' | 'fold'>,
    kernels: readonly Kernel[],
  ) {
    const { steps, consts } = spec;
    this.shape = Int32Array.from(steps, (s) => s.step);
    this.fns = steps.map((s) => kernels[s.kernel] ?? kernels[0]);
    this.refs = Int32Array.from(steps.flatMap((s) => [s.dst, s.x, s.y, s.z]));
    this.scalar = Float64Array.from(steps, (s) => (s.step === Step.Scalar ? consts[s.y] : s.step === Step.Fill ? consts[s.x] : 0));
  }

  /** The program over `arrays` (byte addresses), with its registers at `registers`. */
  bind(buffer: ArrayBufferLike, arrays: readonly number[], registers: number): ProgramKernel {
    const { block, elemBytes, fold } = this.spec;
    const { shape, fns, refs, scalar } = this;
    const n = shape.length;
    const blockBytes = block * elemBytes;
    // Each operand's address is base + moves · (the block's byte offset): registers stay, arrays move.
    const base = new Float64Array(n * 4);
    const moves = new Float64Array(n * 4);
    for (let q = 0; q < n * 4; q++) {
      const ref = refs[q];
      base[q] = ref < 0 ? arrays[-1 - ref] : registers + ref * blockBytes;
      moves[q] = ref < 0 ? 1 : 0;
    }
    const bytes = new Uint8Array(buffer);
    const View = elemBytes === 4 ? Float32Array : Float64Array;

    return (start, length) => {
      let total = fold === Fold.Min ? Infinity : fold === Fold.Max ? -Infinity : -0;
      let compensation = -0;
      for (let at = start; at < start + length; at += block) {
        const len = Math.min(block, start + length - at);
        const off = at * elemBytes;
        for (let k = 0; k < n; k++) {
          const q = k * 4;
          const dst = base[q] + moves[q] * off;
          const x = base[q + 1] + moves[q + 1] * off;
          const y = base[q + 2] + moves[q + 2] * off;
          switch (shape[k]) {
            case Step.Unary:
              (fns[k] as UnaryKernel)(x, dst, len);
              break;
            case Step.Binary:
              (fns[k] as BinaryKernel)(x, y, dst, len);
              break;
            case Step.Scalar:
              (fns[k] as ScalarKernel)(x, scalar[k], dst, len);
              break;
            case Step.Ternary:
              (fns[k] as (m: number, x: number, y: number, out: number, n: number) => void)(x, y, base[q + 3] + moves[q + 3] * off, dst, len);
              break;
            case Step.Copy:
              bytes.copyWithin(dst, x, x + len * elemBytes);
              break;
            case Step.Fill:
              new View(buffer as ArrayBuffer, dst, len).fill(scalar[k]);
              break;
            case Step.Reduce: {
              const value = (fns[k] as ReduceKernel)(x, y, len);
              if (fold === Fold.Min) total = Math.min(total, value);
              else if (fold === Fold.Max) total = Math.max(total, value);
              else {
                // Neumaier, as the pool's partials are combined.
                const t = total + value;
                compensation += Math.abs(total) >= Math.abs(value) ? total - t + value : value - t + total;
                total = t;
              }
              break;
            }
          }
        }
      }
      return fold === Fold.Sum ? total + compensation : total;
    };
  }
}
