// Runs the example user op: node examples/user-op/run.mjs <ops.wasm>
// (build it first: npx lanes-build examples/user-op/ops.ts -o ops.wasm).
// Checks logaddexp against plain JavaScript and on 1 and 2 threads, and
// sumsq against a JS loop; exits non-zero if anything is off.
import * as lanes from 'lanes';

const file = process.argv[2] ?? new URL('./ops.wasm', import.meta.url);
const ops = await lanes.load(file);

/** The JS reference, in float64. */
const logaddexp = (x, y) => (x === y ? x + Math.LN2 : Math.max(x, y) + Math.log1p(Math.exp(-Math.abs(x - y))));

let failures = 0;
for (const dtype of ['float32', 'float64']) {
  const n = 1_000_003;
  const a = lanes.empty(n, dtype), b = lanes.empty(n, dtype);
  for (let i = 0; i < n; i++) {
    a[i] = Math.sin(i) * 30;
    b[i] = Math.cos(i * 0.7) * 30;
  }
  lanes.configure({ threads: 1 });
  const one = ops.logaddexp(a, b);
  lanes.configure({ threads: 2 });
  const two = ops.logaddexp(a, b);
  // Tolerance: 4 ε·(|max(a, b)| + log1p(e^-|a-b|)), ε = 2^-23 or 2^-52: a
  // few roundings of each of the two terms the result sums.
  const eps = dtype === 'float32' ? 2 ** -23 : 2 ** -52;
  let worst = 0, differ = 0;
  for (let i = 0; i < n; i++) {
    if (!Object.is(one[i], two[i])) differ++;
    const m = Math.max(a[i], b[i]), l = Math.log1p(Math.exp(-Math.abs(a[i] - b[i])));
    worst = Math.max(worst, Math.abs(one[i] - logaddexp(a[i], b[i])) / ((Math.abs(m) + l) * eps));
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * a[i];
  const sumsq = ops.sumsq(a);
  const ok = worst <= 4 && differ === 0 && Math.abs(sumsq - s) <= 1e-6 * s;
  if (!ok) failures++;
  console.log(`${dtype}: logaddexp within ${worst.toFixed(2)} ε of JS (bound 4), ${differ} differences between 1 and 2 threads; sumsq ${sumsq} vs JS ${s}${ok ? '' : '  FAILED'}`);
}
process.exitCode = failures === 0 ? 0 : 1;
