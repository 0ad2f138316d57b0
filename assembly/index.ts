// The kernel ABI: every export the host calls, and nothing else.
//
//   v<op>_<dtype>(a, b, out, n)     out[i] = a[i] op b[i]
//   v<op>c_<dtype>(a, c, out, n)    out[i] = a[i] op c     (vr<op>c: c op a[i])
//   v<op>_<dtype>(a, out, n)        out[i] = op(a[i])
//   r<op>_<dtype>(a[, b], n) -> f64 a reduction, accumulated in f64
//
// Pointers are byte offsets into the one shared memory; n counts elements.
// Each kernel has a twin with the suffix _scalar: the same math, one element
// at a time, without SIMD. Kernels allocate nothing and keep no state.
//
// The op table's kernels are in ./kernels.ts, which tools/gen-kernels.mjs
// writes from src/ops/registry.ts at build time (npm run build:wasm); this
// file holds the rest: heapBase, writeConstants and the kernels of
// src/ops/select.ts.

import { map, mapScalar } from "./drivers/map";
import { Broadcast, FromArray } from "./drivers/operand";
import { expConstants } from "./ops/exp";
import { logConstants } from "./ops/log";
import { Eq, extreme, extremeScalar, Ge, Gt, Le, Lt, Ne, selectMasked, selectMaskedScalar } from "./ops/select";
import { constantBlockEnd } from "./simd/constants";
import { vecConstants } from "./simd/vec";

export * from "./kernels";

/** The first byte the host may allocate: below it lies only the constant block. */
export function heapBase(): usize { return constantBlockEnd(); }

/** Fills the constant block. The host calls it once, before any other thread instantiates the module. */
export function writeConstants(): void {
  vecConstants();
  expConstants();
  logConstants();
}

// Comparisons, select and min/max reductions (assembly/ops/select.ts): for fused
// expressions, not op-table rows; src/ops/select.ts names them.

export function vlt_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Lt, FromArray>(a, b, 0, out, n); }
export function vltc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Lt, Broadcast>(a, 0, c, out, n); }
export function vle_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Le, FromArray>(a, b, 0, out, n); }
export function vlec_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Le, Broadcast>(a, 0, c, out, n); }
export function vgt_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Gt, FromArray>(a, b, 0, out, n); }
export function vgtc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Gt, Broadcast>(a, 0, c, out, n); }
export function vge_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Ge, FromArray>(a, b, 0, out, n); }
export function vgec_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Ge, Broadcast>(a, 0, c, out, n); }
export function veq_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Eq, FromArray>(a, b, 0, out, n); }
export function veqc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Eq, Broadcast>(a, 0, c, out, n); }
export function vne_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Ne, FromArray>(a, b, 0, out, n); }
export function vnec_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Ne, Broadcast>(a, 0, c, out, n); }
export function vselect_f32(m: usize, x: usize, y: usize, out: usize, n: i32): void { selectMasked<f32>(m, x, y, out, n); }
export function rmin_f32(a: usize, b: usize, n: i32): f64 { return extreme<f32>(a, n, false); }
export function rmax_f32(a: usize, b: usize, n: i32): f64 { return extreme<f32>(a, n, true); }
export function vlt_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Lt, FromArray>(a, b, 0, out, n); }
export function vltc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Lt, Broadcast>(a, 0, c, out, n); }
export function vle_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Le, FromArray>(a, b, 0, out, n); }
export function vlec_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Le, Broadcast>(a, 0, c, out, n); }
export function vgt_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Gt, FromArray>(a, b, 0, out, n); }
export function vgtc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Gt, Broadcast>(a, 0, c, out, n); }
export function vge_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Ge, FromArray>(a, b, 0, out, n); }
export function vgec_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Ge, Broadcast>(a, 0, c, out, n); }
export function veq_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Eq, FromArray>(a, b, 0, out, n); }
export function veqc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Eq, Broadcast>(a, 0, c, out, n); }
export function vne_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Ne, FromArray>(a, b, 0, out, n); }
export function vnec_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Ne, Broadcast>(a, 0, c, out, n); }
export function vselect_f64(m: usize, x: usize, y: usize, out: usize, n: i32): void { selectMasked<f64>(m, x, y, out, n); }
export function rmin_f64(a: usize, b: usize, n: i32): f64 { return extreme<f64>(a, n, false); }
export function rmax_f64(a: usize, b: usize, n: i32): f64 { return extreme<f64>(a, n, true); }
export function vlt_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Lt, FromArray>(a, b, 0, out, n); }
export function vltc_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Lt, Broadcast>(a, 0, c, out, n); }
export function vle_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Le, FromArray>(a, b, 0, out, n); }
export function vlec_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Le, Broadcast>(a, 0, c, out, n); }
export function vgt_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Gt, FromArray>(a, b, 0, out, n); }
export function vgtc_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Gt, Broadcast>(a, 0, c, out, n); }
export function vge_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Ge, FromArray>(a, b, 0, out, n); }
export function vgec_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Ge, Broadcast>(a, 0, c, out, n); }
export function veq_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Eq, FromArray>(a, b, 0, out, n); }
export function veqc_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Eq, Broadcast>(a, 0, c, out, n); }
export function vne_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Ne, FromArray>(a, b, 0, out, n); }
export function vnec_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Ne, Broadcast>(a, 0, c, out, n); }
export function vselect_f32_scalar(m: usize, x: usize, y: usize, out: usize, n: i32): void { selectMaskedScalar<f32>(m, x, y, out, n); }
export function rmin_f32_scalar(a: usize, b: usize, n: i32): f64 { return extremeScalar<f32>(a, n, false); }
export function rmax_f32_scalar(a: usize, b: usize, n: i32): f64 { return extremeScalar<f32>(a, n, true); }
export function vlt_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Lt, FromArray>(a, b, 0, out, n); }
export function vltc_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Lt, Broadcast>(a, 0, c, out, n); }
export function vle_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Le, FromArray>(a, b, 0, out, n); }
export function vlec_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Le, Broadcast>(a, 0, c, out, n); }
export function vgt_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Gt, FromArray>(a, b, 0, out, n); }
export function vgtc_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Gt, Broadcast>(a, 0, c, out, n); }
export function vge_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Ge, FromArray>(a, b, 0, out, n); }
export function vgec_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Ge, Broadcast>(a, 0, c, out, n); }
export function veq_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Eq, FromArray>(a, b, 0, out, n); }
export function veqc_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Eq, Broadcast>(a, 0, c, out, n); }
export function vne_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Ne, FromArray>(a, b, 0, out, n); }
export function vnec_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Ne, Broadcast>(a, 0, c, out, n); }
export function vselect_f64_scalar(m: usize, x: usize, y: usize, out: usize, n: i32): void { selectMaskedScalar<f64>(m, x, y, out, n); }
export function rmin_f64_scalar(a: usize, b: usize, n: i32): f64 { return extremeScalar<f64>(a, n, false); }
export function rmax_f64_scalar(a: usize, b: usize, n: i32): f64 { return extremeScalar<f64>(a, n, true); }
