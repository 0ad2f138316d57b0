// One call of an op, from arguments to result: check, stage, plan the job,
// run it on the pool (sync or async), then finish and release.
import { DTYPES, type FloatArray } from '../memory/arrays.js';
import { kernelName, type KernelDtype, type KernelForm, type OpRow } from '../ops/registry.js';
import { Shape, type Job } from '../pool/pool.js';
import { plan } from '../pool/plan.js';
import { check, Staging, type Arg } from './operands.js';
import { getRuntime, type Runtime } from './runtime.js';

/** A call ready to run: its job, and what to do once the job has run. */
interface Prepared {
  job: Job;
  parallel: boolean;
  staging: Staging;
  /** Called after the job succeeded: copies results out, returns the call's value. */
  finish(): FloatArray | number;
}

const KERNEL_DTYPE: Record<string, KernelDtype> = { float32: 'f32', float64: 'f64' };

/** Runs a call on this thread (and the workers), blocking until it is done. */
export function callSync(row: OpRow, operands: Arg[], out: Arg | undefined): FloatArray | number {
  const rt = getRuntime();
  const call = prepare(rt, row, operands, out);
  let ok = false;
  try {
    rt.pool.runSync(call.job, call.parallel);
    const value = call.finish();
    ok = true;
    return value;
  } finally {
    call.staging.release(ok);
  }
}

/** Runs a call without blocking the event loop. */
export async function callAsync(row: OpRow, operands: Arg[], out: Arg | undefined, signal?: AbortSignal): Promise<FloatArray | number> {
  const rt = getRuntime();
  const call = prepare(rt, row, operands, out);
  let ok = false;
  try {
    await rt.pool.runAsync(call.job, call.parallel, signal);
    const value = call.finish();
    ok = true;
    return value;
  } finally {
    call.staging.release(ok);
  }
}

function prepare(rt: Runtime, row: OpRow, operands: Arg[], out: Arg | undefined): Prepared {
  const fn = row.name;
  const reduction = row.kind === 'sum' || row.kind === 'dot';
  const sig = check(rt, fn, operands, out, row.kind === 'binary');
  const staging = new Staging(rt, fn, sig);
  try {
    const elemBytes = DTYPES[sig.dtype].bytes;
    const { chunk, chunks, parallel } = plan(sig.n, row.cost[sig.dtype], elemBytes);
    const job: Job = { kernel: 0, shape: Shape.Unary, elemBytes, n: sig.n, chunk, a: 0, b: 0, c: 0, out: 0 };
    let form: KernelForm = 'array';

    // Operands: arrays are staged in lanes memory; a number is rounded to the dtype.
    const [first, second] = operands;
    const arrays = operands.filter((arg) => typeof arg.value !== 'number');
    const inputs = arrays.map((arg) => staging.input(arg));
    job.a = inputs[0];
    if (row.kind === 'binary' || row.kind === 'dot') {
      if (inputs.length === 2) {
        job.shape = Shape.Binary;
        job.b = inputs[1];
      } else {
        const number = typeof first.value === 'number' ? first.value : (second.value as number);
        job.shape = Shape.Scalar;
        job.c = sig.dtype === 'float32' ? Math.fround(number) : number;
        form = typeof first.value === 'number' ? 'reversed' : 'scalar';
      }
    }
    if (reduction) job.shape = Shape.Reduce;
    job.kernel = rt.kernelIndex.get(kernelName(row, KERNEL_DTYPE[sig.dtype], form))!;

    if (reduction) {
      job.out = staging.alloc(chunks * 8);
      const finish = () => combine(new Float64Array(rt.memory.buffer, job.out, chunks));
      return { job, parallel, staging, finish };
    }
    const target = out?.value as FloatArray | undefined;
    const { ptr, result, copy } = staging.output(target, inputs);
    job.out = ptr;
    const finish = () => {
      if (copy) result.set(staging.view(ptr));
      return result;
    };
    return { job, parallel, staging, finish };
  } catch (error) {
    staging.release(false);
    throw error;
  }
}

/** Σ partials in chunk order, compensated (Neumaier): the same sum for any thread count. */
function combine(partials: Float64Array): number {
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
