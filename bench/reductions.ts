// The reductions of one array beyond sum and dot (the op table's
// REDUCTIONS: min, max, prod, argmin, argmax, mean, var, std, norm): each
// against its row's JS loop, at n = 1e6, with 1 thread and with 2, timed in
// one run.
import * as lanes from 'lanes';
import { REDUCTIONS } from '../dist/ops/registry.js';
import { markdown } from './report.js';
import { medians, repeatFor, type Budget } from './measure.js';

type Floats = Float32Array | Float64Array;

export async function reductionsSuite(budget: Budget, n: number, threads: number[], progress: (what: string) => void): Promise<string[]> {
  const rows: string[][] = [];
  for (const dtype of ['float32', 'float64'] as const) {
    // Values near 1, so that prod stays finite; the extremes somewhere in the middle.
    const a = lanes.empty(n, dtype);
    for (let i = 0; i < n; i++) a[i] = 1 + (((i * 2654435761) >>> 0) / 2 ** 32 - 0.5) * 1e-6;
    const plain: Floats = dtype === 'float32' ? new Float32Array(a) : new Float64Array(a);
    for (const { name, js } of REDUCTIONS) {
      progress(`reductions: ${name} ${dtype}`);
      const loop = new Function('a', 'ddof = 0', `/* ${name} ${dtype} */ ${js}`) as (a: Floats) => number;
      const fn = (lanes as unknown as Record<string, (a: Floats) => number>)[name];
      const times: Record<string, number> = {};
      for (const t of threads) {
        lanes.configure({ threads: t });
        const m = medians({ js: () => loop(plain), lanes: () => fn(a) }, budget, repeatFor(n * 1e-6));
        times.js = Math.min(times.js ?? Infinity, m.js);
        times[`lanes ${t}`] = m.lanes;
      }
      const ns = (ms: number) => ((ms * 1e6) / n).toFixed(3);
      rows.push([name, dtype, ns(times.js), ...threads.map((t) => ns(times[`lanes ${t}`])), ...threads.map((t) => `${(times.js / times[`lanes ${t}`]).toFixed(2)}×`)]);
    }
    lanes.free(a);
  }
  return [
    `n = ${n}, ns per element (median); the JS loop is the row's js in the op table's REDUCTIONS, with numpy's NaN and signed-zero rules (var and std: two passes, as lanes does).`,
    '',
    markdown(['op', 'dtype', 'JS loop', ...threads.map((t) => `lanes, ${t} thread${t > 1 ? 's' : ''}`), ...threads.map((t) => `vs JS, ${t}T`)], rows),
  ];
}
