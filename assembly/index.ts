// The kernel ABI: every export the host calls, and nothing else.
//
//   v<op>_<dtype>(a, b, out, n)     out[i] = a[i] op b[i]
//   v<op>c_<dtype>(a, c, out, n)    out[i] = a[i] op c     (vr<op>c: c op a[i])
//   v<op>_<dtype>(a, out, n)        out[i] = op(a[i])
//   v<op>_<dtype>(a, b, c, out, n)  out[i] = op(a[i], b[i], c[i])   (a ternary op, clip)
//   v<op>c_<dtype>(a, p, out, n)    out[i] = op(a[i], p[0], p[1])   (its two numbers at p)
//   r<op>_<dtype>(a[, b], n) -> f64 a reduction, accumulated in f64
//   v<op>_<dtype>(a, p, out, n)     a scan (cumsum): out[i] = p[0] + a[0] + … + a[i], in f64
//
// Pointers are byte offsets into the one shared memory; n counts elements.
// Each kernel has a twin with the suffix _scalar: the same math, one element
// at a time, without SIMD. Kernels allocate nothing and keep no state.
//
// The op table's kernels are in ./kernels.ts, which tools/gen-kernels.mjs
// writes from src/ops/registry.ts at build time (npm run build:wasm); this
// file holds the rest: heapBase and writeConstants.

import { expConstants } from "./ops/exp";
import { exp2Constants } from "./ops/exp2";
import { hypotConstants } from "./ops/hypot";
import { logConstants } from "./ops/log";
import { sigmoidConstants } from "./ops/sigmoid";
import { hyperbolicConstants } from "./ops/hyperbolic";
import { inverseHyperbolicConstants } from "./ops/inverse-hyperbolic";
import { cbrtConstants } from "./ops/cbrt";
import { powConstants } from "./ops/pow";
import { trigConstants } from "./ops/trig";
import { inverseTrigConstants } from "./ops/inverse-trig";
import { erfConstants } from "./ops/erf";
import { constantBlockEnd } from "./simd/constants";
import { doubleConstants } from "./simd/double";
import { vecConstants } from "./simd/vec";

export * from "./kernels";

/** The first byte the host may allocate: below it lies only the constant block. */
export function heapBase(): usize { return constantBlockEnd(); }

/** Fills the constant block. The host calls it once, before any other thread instantiates the module. */
export function writeConstants(): void {
  vecConstants();
  doubleConstants();
  expConstants();
  exp2Constants();
  hypotConstants();
  logConstants();
  sigmoidConstants();
  hyperbolicConstants();
  inverseHyperbolicConstants();
  cbrtConstants();
  powConstants();
  trigConstants();
  inverseTrigConstants();
  erfConstants();
}
