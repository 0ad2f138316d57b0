// A pure-JS task against a task that calls lanes ops, on 1 and 2 threads:
// Σ exp(x) over 4M elements, as chunks of a parallel() call.
import * as lanes from 'lanes';

const url = new URL('./tasks-functions.mjs', import.meta.url);
const js = await lanes.task(url, 'meanExpJs');
const withOps = await lanes.task(url, 'meanExpLanes');
const n = 4_000_000;
const a = lanes.empty(n, 'float64');
for (let i = 0; i < n; i++) a[i] = (i % 1000) / 1000;
const combine = (acc, part) => acc + part;

for (const threads of [1, 2]) {
  lanes.configure({ threads });
  for (const [name, t] of [['pure JS', js], ['lanes ops', withOps]]) {
    lanes.parallel(t, n, a, { combine, initial: 0 }); // warm up
    const start = performance.now();
    const total = lanes.parallel(t, n, a, { combine, initial: 0 });
    const ms = performance.now() - start;
    console.log(`${threads} thread${threads > 1 ? 's' : ''}, ${name}: mean exp = ${(total / n).toFixed(6)} in ${ms.toFixed(1)} ms`);
  }
}
// Every line prints mean exp = 1.717423
