// Pool jobs built by hand, to run one op inline or on the pool regardless of
// its cutoff: what the calibration and the thread-scaling runs compare.
import * as lanes from 'lanes';
import { getRuntime } from '../dist/dispatch/runtime.js';
import { kernelName, type OpRow } from '../dist/ops/registry.js';
import { Shape, type Job } from '../dist/pool/pool.js';
import { plan } from '../dist/pool/plan.js';
import { TERNARY_NUMBERS, type Inputs } from './cases.js';

export interface PoolCall {
  /** One call; `parallel` false runs every chunk on the caller, true uses the pool. */
  run(parallel: boolean): void;
  chunks: number;
}

export function poolCall(row: OpRow, inputs: Inputs, n: number): PoolCall {
  const rt = getRuntime();
  const { dtype } = inputs;
  const elemBytes = dtype === 'float32' ? 4 : 8;
  const { chunk, chunks } = plan(n, row.cost[dtype], elemBytes, row.cutoff[dtype]);
  const reduction = row.kind === 'sum' || row.kind === 'dot';
  const ternary = row.kind === 'ternary';
  const scan = row.kind === 'scan';
  const shape = reduction ? Shape.Reduce : row.kind === 'unary' ? Shape.Unary : ternary ? Shape.TernaryNumbers : scan ? Shape.Scan : Shape.Binary;
  const k = dtype === 'float32' ? 'f32' : 'f64';
  const buffers = inputs.of(row).lanes;
  const out = reduction ? lanes.empty(Math.max(1, chunks), 'float64').byteOffset : buffers.out.byteOffset;
  const job: Job = {
    kernel: rt.kernelIndex.get(kernelName(row, k, ternary ? 'scalar' : 'array'))!,
    shape,
    elemBytes,
    n,
    chunk,
    a: buffers.a.byteOffset,
    b: ternary ? lanes.from(TERNARY_NUMBERS, dtype).byteOffset : scan ? lanes.empty(Math.max(1, chunks), 'float64').byteOffset : buffers.b.byteOffset,
    c: 0,
    out,
  };
  if (!scan) return { run: (parallel) => rt.pool.runSync(job, parallel), chunks };
  // A scan's two passes: the chunks' sums (into the offsets, unused here), then the scan itself.
  const first: Job = { ...job, kernel: rt.kernelIndex.get(kernelName(row, k, 'total'))!, shape: Shape.Reduce, b: job.a, out: job.b };
  return {
    run: (parallel) => {
      rt.pool.runSync(first, parallel);
      rt.pool.runSync(job, parallel);
    },
    chunks,
  };
}
