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

import { map, mapScalar } from "./drivers/map";
import { Broadcast, FromArray } from "./drivers/operand";
import { reduce, reduceScalar } from "./drivers/reduce";
import { Abs, Add, Div, Dot, Max, Min, Mul, Neg, RDiv, RSub, Sqrt, Sub, Sum } from "./ops/arith";
import { Exp, expConstants } from "./ops/exp";
import { Eq, extreme, extremeScalar, Ge, Gt, Le, Lt, Ne, selectMasked, selectMaskedScalar } from "./ops/select";
import { constantBlockEnd } from "./simd/constants";
import { vecConstants } from "./simd/vec";

/** The first byte the host may allocate: below it lies only the constant block. */
export function heapBase(): usize { return constantBlockEnd(); }

/** Fills the constant block. The host calls it once, before any other thread instantiates the module. */
export function writeConstants(): void {
  vecConstants();
  expConstants();
}


// SIMD kernels

export function vadd_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Add, FromArray>(a, b, 0, out, n); }
export function vsub_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Sub, FromArray>(a, b, 0, out, n); }
export function vmul_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Mul, FromArray>(a, b, 0, out, n); }
export function vdiv_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Div, FromArray>(a, b, 0, out, n); }
export function vmin_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Min, FromArray>(a, b, 0, out, n); }
export function vmax_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Max, FromArray>(a, b, 0, out, n); }
export function vaddc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Add, Broadcast>(a, 0, c, out, n); }
export function vsubc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Sub, Broadcast>(a, 0, c, out, n); }
export function vmulc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Mul, Broadcast>(a, 0, c, out, n); }
export function vdivc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Div, Broadcast>(a, 0, c, out, n); }
export function vminc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Min, Broadcast>(a, 0, c, out, n); }
export function vmaxc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, Max, Broadcast>(a, 0, c, out, n); }
export function vrsubc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, RSub, Broadcast>(a, 0, c, out, n); }
export function vrdivc_f32(a: usize, c: f32, out: usize, n: i32): void { map<f32, RDiv, Broadcast>(a, 0, c, out, n); }
export function vneg_f32(a: usize, out: usize, n: i32): void { map<f32, Neg, Broadcast>(a, 0, 0, out, n); }
export function vabs_f32(a: usize, out: usize, n: i32): void { map<f32, Abs, Broadcast>(a, 0, 0, out, n); }
export function vsqrt_f32(a: usize, out: usize, n: i32): void { map<f32, Sqrt, Broadcast>(a, 0, 0, out, n); }
export function vexp_f32(a: usize, out: usize, n: i32): void { map<f32, Exp, Broadcast>(a, 0, 0, out, n); }
export function rsum_f32(a: usize, b: usize, n: i32): f64 { return reduce<f32, Sum, Broadcast>(a, b, n); }
export function rdot_f32(a: usize, b: usize, n: i32): f64 { return reduce<f32, Dot, FromArray>(a, b, n); }
export function vadd_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Add, FromArray>(a, b, 0, out, n); }
export function vsub_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Sub, FromArray>(a, b, 0, out, n); }
export function vmul_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Mul, FromArray>(a, b, 0, out, n); }
export function vdiv_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Div, FromArray>(a, b, 0, out, n); }
export function vmin_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Min, FromArray>(a, b, 0, out, n); }
export function vmax_f64(a: usize, b: usize, out: usize, n: i32): void { map<f64, Max, FromArray>(a, b, 0, out, n); }
export function vaddc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Add, Broadcast>(a, 0, c, out, n); }
export function vsubc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Sub, Broadcast>(a, 0, c, out, n); }
export function vmulc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Mul, Broadcast>(a, 0, c, out, n); }
export function vdivc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Div, Broadcast>(a, 0, c, out, n); }
export function vminc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Min, Broadcast>(a, 0, c, out, n); }
export function vmaxc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, Max, Broadcast>(a, 0, c, out, n); }
export function vrsubc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, RSub, Broadcast>(a, 0, c, out, n); }
export function vrdivc_f64(a: usize, c: f64, out: usize, n: i32): void { map<f64, RDiv, Broadcast>(a, 0, c, out, n); }
export function vneg_f64(a: usize, out: usize, n: i32): void { map<f64, Neg, Broadcast>(a, 0, 0, out, n); }
export function vabs_f64(a: usize, out: usize, n: i32): void { map<f64, Abs, Broadcast>(a, 0, 0, out, n); }
export function vsqrt_f64(a: usize, out: usize, n: i32): void { map<f64, Sqrt, Broadcast>(a, 0, 0, out, n); }
export function vexp_f64(a: usize, out: usize, n: i32): void { map<f64, Exp, Broadcast>(a, 0, 0, out, n); }
export function rsum_f64(a: usize, b: usize, n: i32): f64 { return reduce<f64, Sum, Broadcast>(a, b, n); }
export function rdot_f64(a: usize, b: usize, n: i32): f64 { return reduce<f64, Dot, FromArray>(a, b, n); }

// Scalar twins

export function vadd_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Add, FromArray>(a, b, 0, out, n); }
export function vsub_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Sub, FromArray>(a, b, 0, out, n); }
export function vmul_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Mul, FromArray>(a, b, 0, out, n); }
export function vdiv_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Div, FromArray>(a, b, 0, out, n); }
export function vmin_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Min, FromArray>(a, b, 0, out, n); }
export function vmax_f32_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f32, Max, FromArray>(a, b, 0, out, n); }
export function vaddc_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Add, Broadcast>(a, 0, c, out, n); }
export function vsubc_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Sub, Broadcast>(a, 0, c, out, n); }
export function vmulc_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Mul, Broadcast>(a, 0, c, out, n); }
export function vdivc_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Div, Broadcast>(a, 0, c, out, n); }
export function vminc_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Min, Broadcast>(a, 0, c, out, n); }
export function vmaxc_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, Max, Broadcast>(a, 0, c, out, n); }
export function vrsubc_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, RSub, Broadcast>(a, 0, c, out, n); }
export function vrdivc_f32_scalar(a: usize, c: f32, out: usize, n: i32): void { mapScalar<f32, RDiv, Broadcast>(a, 0, c, out, n); }
export function vneg_f32_scalar(a: usize, out: usize, n: i32): void { mapScalar<f32, Neg, Broadcast>(a, 0, 0, out, n); }
export function vabs_f32_scalar(a: usize, out: usize, n: i32): void { mapScalar<f32, Abs, Broadcast>(a, 0, 0, out, n); }
export function vsqrt_f32_scalar(a: usize, out: usize, n: i32): void { mapScalar<f32, Sqrt, Broadcast>(a, 0, 0, out, n); }
export function vexp_f32_scalar(a: usize, out: usize, n: i32): void { mapScalar<f32, Exp, Broadcast>(a, 0, 0, out, n); }
export function rsum_f32_scalar(a: usize, b: usize, n: i32): f64 { return reduceScalar<f32, Sum, Broadcast>(a, b, n); }
export function rdot_f32_scalar(a: usize, b: usize, n: i32): f64 { return reduceScalar<f32, Dot, FromArray>(a, b, n); }
export function vadd_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Add, FromArray>(a, b, 0, out, n); }
export function vsub_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Sub, FromArray>(a, b, 0, out, n); }
export function vmul_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Mul, FromArray>(a, b, 0, out, n); }
export function vdiv_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Div, FromArray>(a, b, 0, out, n); }
export function vmin_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Min, FromArray>(a, b, 0, out, n); }
export function vmax_f64_scalar(a: usize, b: usize, out: usize, n: i32): void { mapScalar<f64, Max, FromArray>(a, b, 0, out, n); }
export function vaddc_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Add, Broadcast>(a, 0, c, out, n); }
export function vsubc_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Sub, Broadcast>(a, 0, c, out, n); }
export function vmulc_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Mul, Broadcast>(a, 0, c, out, n); }
export function vdivc_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Div, Broadcast>(a, 0, c, out, n); }
export function vminc_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Min, Broadcast>(a, 0, c, out, n); }
export function vmaxc_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, Max, Broadcast>(a, 0, c, out, n); }
export function vrsubc_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, RSub, Broadcast>(a, 0, c, out, n); }
export function vrdivc_f64_scalar(a: usize, c: f64, out: usize, n: i32): void { mapScalar<f64, RDiv, Broadcast>(a, 0, c, out, n); }
export function vneg_f64_scalar(a: usize, out: usize, n: i32): void { mapScalar<f64, Neg, Broadcast>(a, 0, 0, out, n); }
export function vabs_f64_scalar(a: usize, out: usize, n: i32): void { mapScalar<f64, Abs, Broadcast>(a, 0, 0, out, n); }
export function vsqrt_f64_scalar(a: usize, out: usize, n: i32): void { mapScalar<f64, Sqrt, Broadcast>(a, 0, 0, out, n); }
export function vexp_f64_scalar(a: usize, out: usize, n: i32): void { mapScalar<f64, Exp, Broadcast>(a, 0, 0, out, n); }
export function rsum_f64_scalar(a: usize, b: usize, n: i32): f64 { return reduceScalar<f64, Sum, Broadcast>(a, b, n); }
export function rdot_f64_scalar(a: usize, b: usize, n: i32): f64 { return reduceScalar<f64, Dot, FromArray>(a, b, n); }

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
