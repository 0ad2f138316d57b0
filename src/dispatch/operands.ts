// Checking and staging a call's arguments. Everything is checked before
// anything is allocated or written, so a bad call changes nothing.
import { dtypeMismatch, freed, lengthMismatch, noArrayOperand, notANumber, typeError } from '../errors.js';
import { DTYPES, dtypeOf, isFloatArray, type Dtype, type FloatArray, type Residence } from '../memory/arrays.js';
import type { Runtime } from './runtime.js';

export type ArrayOperand = FloatArray | readonly number[];
export type Operand = ArrayOperand | number;

/** A named argument, as messages name it. */
export interface Arg {
  name: string;
  value: unknown;
  /** Where a typed-array argument lives, as check() found it (looked up once per call). */
  home?: Residence;
}

const ARRAY = 'a Float32Array, Float64Array or number[]';
const ARRAY_OR_NUMBER = 'a Float32Array, Float64Array, number[] or number';
const OUT = 'a Float32Array or Float64Array';

/** The validated shape of a call: its dtype and length. */
export interface Signature {
  dtype: Dtype;
  n: number;
}

/**
 * Checks operands (arrays, or numbers where `numbers` allows) and the optional
 * out: their types, that typed arrays agree on dtype (number[] and numbers
 * take the call's), that arrays agree on length, and that none was freed.
 */
export function check(rt: Runtime, fn: string, operands: Arg[], out: Arg | undefined, numbers: boolean): Signature {
  let typed: Arg | undefined;
  let sized: Arg | undefined;
  for (const arg of operands) {
    const v = arg.value;
    if (typeof v === 'number' && numbers) continue;
    if (!isFloatArray(v) && !Array.isArray(v)) throw typeError(fn, arg.name, numbers ? ARRAY_OR_NUMBER : ARRAY, v);
    if (isFloatArray(v)) {
      arg.home = rt.arrays.residence(v);
      if (arg.home === 'freed') throw freed(fn, arg.name);
      if (typed && dtypeOf(v) !== dtypeOf(typed.value as FloatArray)) {
        throw dtypeMismatch(fn, typed.name, dtypeOf(typed.value as FloatArray), arg.name, dtypeOf(v));
      }
      typed ??= arg;
    }
    const length = (v as ArrayOperand).length;
    if (sized && length !== (sized.value as ArrayOperand).length) {
      throw lengthMismatch(fn, sized.name, (sized.value as ArrayOperand).length, arg.name, length);
    }
    sized ??= arg;
  }
  if (!sized) throw noArrayOperand(fn, operands.length);
  const n = (sized.value as ArrayOperand).length;
  if (out === undefined) return { dtype: typed ? dtypeOf(typed.value as FloatArray) : 'float64', n };

  const o = out.value;
  if (!isFloatArray(o)) throw typeError(fn, out.name, OUT, o);
  out.home = rt.arrays.residence(o);
  if (out.home === 'freed') throw freed(fn, out.name);
  if (typed && dtypeOf(o) !== dtypeOf(typed.value as FloatArray)) {
    throw dtypeMismatch(fn, typed.name, dtypeOf(typed.value as FloatArray), out.name, dtypeOf(o));
  }
  if (o.length !== n) throw lengthMismatch(fn, sized.name, n, out.name, o.length);
  return { dtype: dtypeOf(o), n };
}

/** Copies an array operand into `target`, converting to its dtype; a number[] must hold only numbers. */
export function copyInto(fn: string, arg: Arg, target: FloatArray): void {
  const v = arg.value as ArrayOperand;
  if (isFloatArray(v)) {
    target.set(v);
    return;
  }
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number') throw notANumber(fn, arg.name, i, x);
    target[i] = x;
  }
}

/**
 * The memory a call uses beyond its arguments: copies of arrays that live
 * outside lanes memory, a temporary out, reduction partials. All of it is
 * released by release(), and a result it allocated too if the call failed.
 */
export class Staging {
  private temps?: number[];
  private result?: FloatArray;
  /**
   * Blocks of lanes operands, pinned so that a free() while the call runs
   * cannot hand them to another array. Only promise calls need it: nothing
   * can run free() while a blocking call runs.
   */
  private pinned?: number[];

  constructor(
    private readonly rt: Runtime,
    private readonly fn: string,
    private readonly sig: Signature,
    /** Whether to pin lanes operands (for promise calls). */
    private readonly pins = false,
  ) {}

  get bytes(): number {
    return DTYPES[this.sig.dtype].bytes;
  }

  alloc(bytes: number): number {
    const start = this.rt.ownBlock(bytes);
    (this.temps ??= []).push(start);
    return start;
  }

  /** The address of an array operand's elements in lanes memory, copying it in if it lives elsewhere. */
  input(arg: Arg): number {
    const v = arg.value as ArrayOperand;
    if (isFloatArray(v) && (arg.home ?? this.rt.arrays.residence(v)) === 'lanes') return this.pin(v);
    const start = this.alloc(this.sig.n * this.bytes);
    copyInto(this.fn, arg, this.view(start));
    return start;
  }

  /**
   * Where the kernel writes, given the addresses of the inputs. The result
   * is `out` itself if it is a lanes array that no input overlaps except exactly; otherwise a temporary that
   * finish() copies into `out`, so partial overlap acts as if through a
   * temporary. Without `out`, a new lanes array.
   */
  output(target: Arg | undefined, ...inputs: number[]): { ptr: number; result: FloatArray; copy: boolean } {
    if (target === undefined) {
      this.result = this.rt.arrays.empty(this.sig.n, this.sig.dtype);
      return { ptr: this.result.byteOffset, result: this.result, copy: false };
    }
    const out = target.value as FloatArray;
    const start = out.byteOffset;
    const end = start + out.byteLength;
    const span = this.sig.n * this.bytes;
    const overlaps = (p: number) => p !== start && p < end && start < p + span;
    const home = target.home ?? this.rt.arrays.residence(out);
    if (home === 'lanes' && !inputs.some(overlaps)) return { ptr: this.pin(out), result: out, copy: false };
    return { ptr: this.alloc(span), result: out, copy: true };
  }

  /** Pins the block under a lanes view until release(); returns the view's address. */
  private pin(view: FloatArray): number {
    if (!this.pins) return view.byteOffset;
    const block = this.rt.arrays.pin(view);
    if (block !== undefined) (this.pinned ??= []).push(block);
    return view.byteOffset;
  }

  /** A view of n elements of the call's dtype at `start`. */
  view(start: number, n = this.sig.n): FloatArray {
    return new DTYPES[this.sig.dtype].View(this.rt.memory.buffer as unknown as ArrayBuffer, start, n);
  }

  release(succeeded: boolean): void {
    if (this.temps) for (const start of this.temps) this.rt.allocator.free(start);
    this.temps = undefined;
    if (this.pinned) for (const block of this.pinned) this.rt.arrays.unpin(block);
    this.pinned = undefined;
    if (!succeeded && this.result) this.rt.arrays.free(this.result);
  }
}
