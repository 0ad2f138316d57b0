#!/usr/bin/env node
// The constant C of cbrt's first guess (assembly/ops/cbrt.ts): z ≈ x^(-1/3)
// has the bit pattern C − X/3, X the pattern of x (float64: of its high
// word), X/3 taken in f32 arithmetic as the kernel takes it. Scans C around
// 4/3 of the pattern of 1 for the least worst relative error over a fixed
// set of x spread over the binades, and prints C and that error.
//   node tools/cbrt-magic.mjs
const THIRD = Math.fround(1 / 3);
const f32 = new Float32Array(1), i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1), u32 = new Uint32Array(f64.buffer);

const GUESS = {
  float32(x, c) {
    f32[0] = x;
    i32[0] = c - Math.trunc(Math.fround(Math.fround(i32[0]) * THIRD));
    return f32[0];
  },
  float64(x, c) {
    f64[0] = x;
    const third = Math.trunc(Math.fround(Math.fround(u32[1] | 0) * THIRD));
    u32[1] = (c - third) | 0;
    u32[0] = 0;
    return f64[0];
  },
};

/**
 * x = 2^e·(1 + j/4096) over six binades: C − X/3 is affine in X, so the
 * guess's relative error repeats every three binades (X/3's rounding aside).
 */
function inputs() {
  const xs = [];
  for (let e = -3; e < 3; e++) for (let j = 0; j < 4096; j++) xs.push(2 ** e * (1 + j / 4096));
  return xs;
}

for (const [dtype, one] of [['float32', 0x3f800000], ['float64', 0x3ff00000]]) {
  const xs = inputs().map((x) => (dtype === 'float32' ? Math.fround(x) : x));
  const worst = (c) => xs.reduce((w, x) => Math.max(w, Math.abs(GUESS[dtype](x, c) * Math.cbrt(x) - 1)), 0);
  const base = Math.round((one * 4) / 3);
  let best = { c: base, error: worst(base) };
  // A coarse pass over ±2^19 (the error is not unimodal in C), then finer ones around the best.
  for (const [step, reach] of [[1024, 512], [64, 32], [4, 32], [1, 8]]) {
    const from = best.c;
    for (let c = from - reach * step; c <= from + reach * step; c += step) {
      const error = worst(c);
      if (error < best.error) best = { c, error };
    }
  }
  console.log(`${dtype}: C = 0x${best.c.toString(16)}, guess within 2^${Math.log2(best.error).toFixed(2)} of x^(-1/3)`);
}
