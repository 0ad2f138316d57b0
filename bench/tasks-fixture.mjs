// Tasks for bench/tasks.ts, run by lanes and by piscina alike.
export default function inc(x) {
  return x + 1;
}
/** Compute-heavy and pure JS: about `work` × 1e5 flops. */
export function heavy(work) {
  let s = 0;
  for (let i = 1; i <= work * 100_000; i++) s += Math.sqrt(i) * 1.000001;
  return s;
}
/** The JS loop kernel of parallel(): Σ sqrt(a[i]) · a[i] over [start, end). */
export function kernel(a, start, end) {
  let s = 0;
  for (let i = start; i < end; i++) s += Math.sqrt(a[i]) * a[i];
  return s;
}
