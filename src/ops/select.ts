// Kernels beside the op table, for fused expressions (assembly/ops/select.ts):
// comparisons into masks, a select on masks, and min/max reductions. They are
// not public functions, so they are no rows of the table; the module exports
// them (and their _scalar twins) by these names.
import type { KernelDtype } from './registry.js';

/** The comparisons of `where`, by operator, as kernel ops: v<op>_f32(a, b, out, n) and v<op>c_f32(a, c, out, n). */
export const COMPARISONS = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne' } as const;
export type Comparison = keyof typeof COMPARISONS;

/** vselect_<dtype>(m, x, y, out, n): out = m ? x : y, bitwise. */
export const selectKernel = (dtype: KernelDtype) => `vselect_${dtype}`;
/** r<min|max>_<dtype>(a, 0, n) -> f64: NaN wins, -0 < +0; ±Infinity for n = 0. */
export const extremeKernel = (op: 'min' | 'max', dtype: KernelDtype) => `r${op}_${dtype}`;
export const compareKernel = (op: Comparison, dtype: KernelDtype, scalar: boolean) => `v${COMPARISONS[op]}${scalar ? 'c' : ''}_${dtype}`;

/** Every kernel of this file, SIMD or with `scalar` the one-element twins. */
export function selectKernelNames(scalar: boolean): string[] {
  const suffix = scalar ? '_scalar' : '';
  const names: string[] = [];
  for (const dtype of ['f32', 'f64'] as const) {
    for (const op of Object.keys(COMPARISONS) as Comparison[]) names.push(compareKernel(op, dtype, false), compareKernel(op, dtype, true));
    names.push(selectKernel(dtype), extremeKernel('min', dtype), extremeKernel('max', dtype));
  }
  return names.map((name) => name + suffix);
}
