// The roofline: the copy bandwidth of this machine, measured in the same run.
// Bandwidth-bound ops (add, neg, sum, …) cannot move bytes faster than a copy.
import { medians, type Budget } from './measure.js';

/** GB/s of TypedArray.set over 64 MiB (bytes read + bytes written). */
export function copyBandwidth(budget: Budget): number {
  const n = 8 * 1024 * 1024;
  const src = new Float64Array(n).fill(1.5);
  const dst = new Float64Array(n);
  const { copy } = medians({ copy: () => dst.set(src) }, budget);
  return (2 * n * 8) / (copy * 1e6);
}
