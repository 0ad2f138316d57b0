// The reductions of one array beyond the op table (min, max, prod, argmin,
// argmax, mean, var, std, norm): each against the JS loop a user would
// write, at n = 1e6, with 1 thread and with 2, timed in one run.
import * as lanes from 'lanes';
import { markdown } from './report.js';
import { medians, repeatFor, type Budget } from './measure.js';

type Floats = Float32Array | Float64Array;

/** The JS loop for each, over a, as plain code would write it. */
const LOOPS: Record<string, string> = {
  min: 'let m = Infinity; for (let i = 0; i < a.length; i++) { const x = a[i]; if (x < m || x !== x) m = x; } return m;',
  max: 'let m = -Infinity; for (let i = 0; i < a.length; i++) { const x = a[i]; if (x > m || x !== x) m = x; } return m;',
  prod: 'let p = 1; for (let i = 0; i < a.length; i++) p *= a[i]; return p;',
  argmin: 'let k = 0; for (let i = 1; i < a.length; i++) if (a[i] < a[k]) k = i; return k;',
  argmax: 'let k = 0; for (let i = 1; i < a.length; i++) if (a[i] > a[k]) k = i; return k;',
  mean: 'let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s / a.length;',
  var: 'let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; const m = s / a.length; let q = 0; for (let i = 0; i < a.length; i++) { const d = a[i] - m; q += d * d; } return q / a.length;',
  std: 'let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; const m = s / a.length; let q = 0; for (let i = 0; i < a.length; i++) { const d = a[i] - m; q += d * d; } return Math.sqrt(q / a.length);',
  norm: 'let q = 0; for (let i = 0; i < a.length; i++) q += a[i] * a[i]; return Math.sqrt(q);',
};

export async function reductionsSuite(budget: Budget, n: number, threads: number[], progress: (what: string) => void): Promise<string[]> {
  const rows: string[][] = [];
  for (const dtype of ['float32', 'float64'] as const) {
    // Values near 1, so that prod stays finite; the extremes somewhere in the middle.
    const a = lanes.empty(n, dtype);
    for (let i = 0; i < n; i++) a[i] = 1 + (((i * 2654435761) >>> 0) / 2 ** 32 - 0.5) * 1e-6;
    const plain: Floats = dtype === 'float32' ? new Float32Array(a) : new Float64Array(a);
    for (const [name, body] of Object.entries(LOOPS)) {
      progress(`reductions: ${name} ${dtype}`);
      const loop = new Function('a', `/* ${name} ${dtype} */ ${body}`) as (a: Floats) => number;
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
    `n = ${n}, ns per element (median); the JS loop is the plain one-pass loop (var and std: two passes, as lanes does).`,
    '',
    markdown(['op', 'dtype', 'JS loop', ...threads.map((t) => `lanes, ${t} thread${t > 1 ? 's' : ''}`), ...threads.map((t) => `vs JS, ${t}T`)], rows),
  ];
}
