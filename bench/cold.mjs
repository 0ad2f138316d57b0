// Cold start: a fresh process, exp float32 at n = 1e7, three calls in a row,
// in ns per element, and how long the runtime took to start and warm up.
//   node bench/cold.mjs [delayMs]      (from the package root, after npm run build)
// The input is made before lanes is imported, and `out` is touched once, so
// the first call pays neither for filling the input nor for the kernel
// faulting in fresh pages of memory (LANES_COLD_UNTOUCHED=1 leaves them).
const n = Number(process.env.LANES_COLD_N ?? 1e7);
const data = new Float32Array(n);
for (let i = 0; i < n; i++) data[i] = Math.sin(i) * 40;
const delay = Number(process.argv[2] ?? 0);

const t0 = performance.now();
const lanes = await import('lanes');
const x = lanes.from(data);
const out = lanes.empty(n, 'float32');
if (!process.env.LANES_COLD_UNTOUCHED) out.fill(0);
const started = performance.now() - t0;
if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
const times = [];
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  lanes.exp(x, out);
  times.push(((performance.now() - t) * 1e6) / n);
}
const { simd, threads } = lanes.info();
console.log(JSON.stringify({ node: process.version, simd, threads, delayMs: delay, startMs: +started.toFixed(1), nsPerElement: times.map((t) => +t.toFixed(2)) }));
