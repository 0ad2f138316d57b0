// One call of an op, from arguments to result: check, stage, plan the job,
// run it on the pool (sync or async), then finish and release.
import { DTYPES, type Dtype, type FloatArray } from '../memory/arrays.js';
import type { OpRow } from '../ops/registry.js';
import { Shape, type Job } from '../pool/pool.js';
import { plan } from '../pool/plan.js';
import { Mark } from '../pool/trace.js';
import { check, Staging, type Arg } from './operands.js';
import { getRuntime, type KernelIds, type Runtime } from './runtime.js';
import { noKernelForDtype } from '../errors.js';
import type { Kernel } from '../wasm/module.js';

/** An op of a loaded user module (lanes.load): its kernels are in kernel library `library` of the pool. */
export interface LoadedRow extends OpRow {
  readonly library: number;
  readonly ids: Record<Dtype, KernelIds>;
  /** The library's kernels on this thread, as ids index them (to fold constants in expressions). */
  readonly kernels: readonly Kernel[];
  /** The array-form export name per dtype, for messages. */
  readonly exportNames: Record<Dtype, string>;
}

export function isLoaded(row: OpRow): row is LoadedRow {
  return (row as LoadedRow).library !== undefined;
}

/** A call ready to run: its job, and how to finish once the job has run. */
class Prepared {
  /** For a scan: the job before `job`, which sums each chunk into `job`'s offsets. */
  first?: Job;

  constructor(
    readonly job: Job,
    readonly parallel: boolean,
    readonly staging: Staging,
    /** For elementwise ops: the array returned, and whether the result must be copied into it. */
    private readonly result: FloatArray | undefined,
    private readonly copy: boolean,
    private readonly chunks: number,
  ) {}

  /**
   * Between a scan's two jobs: each chunk's sum becomes its offset, the sum
   * of the chunks before it, added in chunk order (from −0, so that a first
   * chunk of −0s stays −0).
   */
  offsets(rt: Runtime): void {
    const sums = new Float64Array(rt.memory.buffer, this.job.b, this.chunks);
    let s = -0;
    for (let i = 0; i < sums.length; i++) [sums[i], s] = [s, s + sums[i]];
  }

  /**
   * Ends the call: after a successful job, copies results out and returns the
   * call's value; either way releases what the call staged (and, if it
   * failed, the result it allocated).
   */
  conclude(rt: Runtime, failure?: unknown): FloatArray | number {
    let ok = false;
    try {
      if (failure !== undefined) throw failure;
      const value = this.result === undefined ? combine(new Float64Array(rt.memory.buffer, this.job.out, this.chunks)) : this.copyOut();
      ok = true;
      return value;
    } finally {
      this.staging.release(ok);
    }
  }

  private copyOut(): FloatArray {
    if (this.copy) this.result!.set(this.staging.view(this.job.out));
    return this.result!;
  }
}

/** Runs a call on this thread (and the workers), blocking until it is done. */
export function callSync(row: OpRow, operands: Arg[], out: Arg | undefined): FloatArray | number {
  const rt = getRuntime();
  rt.pool.trace?.enter();
  const call = prepare(rt, row, operands, out);
  try {
    if (call.first) {
      rt.pool.runSync(call.first, call.parallel);
      call.offsets(rt);
    }
    rt.pool.runSync(call.job, call.parallel);
  } catch (error) {
    return call.conclude(rt, error);
  }
  const result = call.conclude(rt);
  rt.pool.trace?.mark(Mark.Returned);
  return result;
}

/** Runs a call without blocking the event loop. */
export async function callAsync(row: OpRow, operands: Arg[], out: Arg | undefined, signal?: AbortSignal): Promise<FloatArray | number> {
  const rt = getRuntime();
  rt.pool.trace?.enter();
  const call = prepare(rt, row, operands, out, true);
  try {
    if (call.first) {
      await rt.pool.runAsync(call.first, call.parallel, signal);
      call.offsets(rt);
    }
    await rt.pool.runAsync(call.job, call.parallel, signal);
  } catch (error) {
    return call.conclude(rt, error);
  }
  return call.conclude(rt);
}

function prepare(rt: Runtime, row: OpRow, operands: Arg[], out: Arg | undefined, async = false): Prepared {
  const sig = check(rt, row.name, operands, out, row.kind === 'binary' || row.kind === 'ternary');
  rt.pool.trace?.mark(Mark.Checked);
  const { dtype, n } = sig;
  const loaded = isLoaded(row);
  const kernels = loaded ? row.ids[dtype] : rt.kernelIds(row, dtype);
  if (kernels.array < 0) throw noKernelForDtype(row.name, dtype, (row as LoadedRow).exportNames[dtype]);
  const staging = new Staging(rt, row.name, sig, async);
  try {
    const elemBytes = DTYPES[dtype].bytes;
    const { chunk, chunks, parallel } = plan(n, row.cost[dtype], elemBytes, row.cutoff[dtype]);
    const reduction = row.kind === 'sum' || row.kind === 'dot';
    const job: Job = { kernel: kernels.array, shape: Shape.Unary, elemBytes, n, chunk, a: 0, b: 0, c: 0, out: 0, cost: n * row.cost[dtype] };
    if (loaded) job.library = row.library;
    const [first, second, third] = operands;
    const round = (x: number) => (dtype === 'float32' ? Math.fround(x) : x);
    /** A number broadcast into a temporary array, for a kernel that takes only arrays there. */
    const broadcast = (x: number) => {
      const filled = staging.alloc(n * elemBytes);
      staging.view(filled).fill(round(x));
      return filled;
    };
    // Arrays are staged in lanes memory; a number is rounded to the dtype and
    // broadcast, by the kernel for array ∘ number (or number ∘ array).
    if (third !== undefined) {
      const numbers = typeof second.value === 'number' && typeof third.value === 'number';
      if (numbers && typeof first.value !== 'number' && kernels.scalar >= 0) {
        // Both numbers, side by side in a block of their own, read once per chunk.
        job.shape = Shape.TernaryNumbers;
        job.kernel = kernels.scalar;
        job.a = staging.input(first);
        job.b = staging.alloc(16);
        staging.view(job.b, 2).set([second.value as number, third.value as number].map(round));
      } else {
        // A lone number (clip(a, 0, hi)) is broadcast into an array.
        job.shape = Shape.Ternary;
        [job.a, job.b, job.third] = operands.map((o) => (typeof o.value === 'number' ? broadcast(o.value) : staging.input(o)));
      }
    } else if (second === undefined) {
      job.a = staging.input(first);
    } else if (typeof first.value === 'number' || typeof second.value === 'number') {
      const numberFirst = typeof first.value === 'number';
      const number = (numberFirst ? first.value : second.value) as number;
      const c = round(number);
      const kernel = numberFirst ? kernels.reversed : kernels.scalar;
      if (kernel >= 0) {
        job.shape = Shape.Scalar;
        job.kernel = kernel;
        job.a = staging.input(numberFirst ? second : first);
        job.c = c;
      } else {
        // A loaded op without this number form: the number, broadcast into
        // a temporary array, goes to the array ∘ array kernel.
        job.shape = Shape.Binary;
        const filled = broadcast(number);
        const array = staging.input(numberFirst ? second : first);
        job.a = numberFirst ? filled : array;
        job.b = numberFirst ? array : filled;
      }
    } else {
      job.shape = Shape.Binary;
      job.a = staging.input(first);
      job.b = staging.input(second);
    }
    let prepared: Prepared;
    if (reduction) {
      job.shape = Shape.Reduce;
      job.out = staging.alloc(chunks * 8);
      prepared = new Prepared(job, parallel, staging, undefined, false, chunks);
    } else {
      const { ptr, result, copy } = staging.output(out, job.a, job.shape === Shape.Binary || job.shape === Shape.Ternary ? job.b : job.a, job.third ?? job.a);
      job.out = ptr;
      prepared = new Prepared(job, parallel, staging, result, copy, chunks);
      if (row.kind === 'scan') {
        // Two passes over the same chunks: sum each in f64, then scan each from its offset.
        job.shape = Shape.Scan;
        job.b = staging.alloc(chunks * 8);
        prepared.first = { ...job, kernel: kernels.total!, shape: Shape.Reduce, b: job.a, out: job.b, cost: n * row.cost[dtype] * 0.1 };
      }
    }
    rt.pool.trace?.mark(Mark.Prepared);
    return prepared;
  } catch (error) {
    staging.release(false);
    throw error;
  }
}

/** Σ partials in chunk order, compensated (Neumaier): the same sum for any thread count. */
export function combine(partials: Float64Array): number {
  if (partials.length === 0) return 0;
  let sum = partials[0];
  let compensation = -0; // so that a sum of one -0 stays -0
  for (let i = 1; i < partials.length; i++) {
    const x = partials[i];
    const t = sum + x;
    compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + compensation;
}
