// Task functions the examples run on lanes' threads.
import * as lanes from 'lanes';

export default function square(x) {
  return x * x;
}
export const double = (x) => 2 * x;
export const power = (x, p) => x ** p;

/** Scatter/gather: this chunk's Σ a[i]² by a JS loop (a is the caller's array, not a copy). */
export function sumOfSquares(a, start, end) {
  let s = 0;
  for (let i = start; i < end; i++) s += a[i] * a[i];
  return s;
}

/** Pure JS: the mean of exp(x) over a chunk, by a loop. */
export function meanExpJs(a, start, end) {
  let s = 0;
  for (let i = start; i < end; i++) s += Math.exp(a[i]);
  return s;
}

/** The same with lanes ops, run inline on this task's thread. */
export function meanExpLanes(a, start, end) {
  const e = lanes.exp(a.subarray(start, end));
  const s = lanes.sum(e);
  lanes.free(e);
  return s;
}
