// The example user op against a plain JS loop: npm run bench:user
// Builds examples/user-op/ops.ts with lanes-build, loads it, and times
// logaddexp (float32, float64) at n = 10⁴, 10⁵, 10⁶: the JS loop, lanes on
// 1 thread and on 2 threads (the median of repeated calls, after a warm-up);
// and what lanes.load costs (with calibration, and with a given cost).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as lanes from 'lanes';

const root = new URL('..', import.meta.url).pathname;
const wasm = path.join(mkdtempSync(path.join(tmpdir(), 'lanes-bench-')), 'ops.wasm');
execFileSync(process.execPath, [path.join(root, 'bin/lanes-build.mjs'), path.join(root, 'examples/user-op/ops.ts'), '-o', wasm], { stdio: 'inherit' });

lanes.configure({ threads: 2 });
lanes.add([1], [2]); // starts the runtime, so that load is timed alone
const loads = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  await lanes.load(wasm);
  loads.push(performance.now() - t);
}
const given = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  await lanes.load(wasm, { cost: { float32: 3, float64: 5 } });
  given.push(performance.now() - t);
}
const ops = await lanes.load(wasm);

function jsLoop(a, b, out) {
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    out[i] = x === y ? x + Math.LN2 : Math.max(x, y) + Math.log1p(Math.exp(-Math.abs(x - y)));
  }
  return out;
}

/** Median ns per call of f over about `ms` of calls, after a warm-up. */
function time(f, ms = 300) {
  for (let t = performance.now(); performance.now() - t < 50; ) f();
  const samples = [];
  for (let t = performance.now(); performance.now() - t < ms || samples.length < 5; ) {
    const s = performance.now();
    f();
    samples.push(performance.now() - s);
  }
  samples.sort((x, y) => x - y);
  return samples[samples.length >> 1] * 1e6;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const cases = [];
for (const dtype of ['float32', 'float64']) {
  for (const n of [1e4, 1e5, 1e6]) {
    const a = lanes.empty(n, dtype), b = lanes.empty(n, dtype), out = lanes.empty(n, dtype);
    for (let i = 0; i < n; i++) {
      a[i] = Math.sin(i) * 20;
      b[i] = Math.cos(i * 0.7) * 20;
    }
    cases.push({ dtype, n, a, b, out, js: time(() => jsLoop(a, b, out)) });
  }
}
const { getRuntime } = await import('../dist/dispatch/runtime.js');
for (const threads of [1, 2]) {
  lanes.configure({ threads });
  await getRuntime().pool.ready();
  for (const c of cases) c[threads] = time(() => ops.logaddexp(c.a, c.b, c.out));
}
const rows = cases.map((c) => ({ dtype: c.dtype, n: c.n, js: c.js, one: c[1], two: c[2] }));

const f = (ns, n) => (ns / n).toFixed(2);
console.log(`\nlanes ${lanes.info().version}, Node ${process.versions.node}, ${lanes.info().simd} SIMD`);
console.log(`lanes.load: ${median(loads).toFixed(2)} ms with calibration, ${median(given).toFixed(2)} ms with { cost } (median of 5, runtime started)\n`);
console.log('| dtype | n | JS loop ns/el | lanes 1 thread ns/el | lanes 2 threads ns/el | 1 thread vs JS | 2 threads vs JS |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.dtype} | ${r.n.toExponential(0)} | ${f(r.js, r.n)} | ${f(r.one, r.n)} | ${f(r.two, r.n)} | ${(r.js / r.one).toFixed(1)}× | ${(r.js / r.two).toFixed(1)}× |`);
}
