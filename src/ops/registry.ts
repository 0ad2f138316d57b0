// THE op table: one row per op. The API, the tests and the benchmarks all
// iterate it; the kernel names follow from it (see kernelName).

export type OpKind = 'unary' | 'binary' | 'sum' | 'dot';

export interface OpRow {
  /** The public function, as numpy names it. */
  readonly name: string;
  readonly kind: OpKind;
  /** The op in kernel names: v<kernel>_f32, v<kernel>c_f32, r<kernel>_f32. */
  readonly kernel: string;
  /** For a binary op that does not commute: the kernel op for number ∘ array (vr<op>c). */
  readonly reversed?: string;
  /**
   * One element in plain JavaScript, on x (and y); for reductions, one step
   * on the accumulator s. The JS-loop baseline of the benchmarks, and the
   * reference of the tests (in f64, then rounded to the dtype).
   */
  readonly js: string;
  /**
   * Whether the result is exactly the f64 result of `js` rounded to the dtype
   * (IEEE-exact ops); exp is instead held to a ULP bound.
   */
  readonly exact: boolean;
  /**
   * Nanoseconds per element with SIMD on one thread, measured with
   * `npm run bench -- --calibrate`; the chunk plan and the inline cutoff come from it.
   */
  readonly cost: { readonly float32: number; readonly float64: number };
  readonly summary: string;
}

export const REGISTRY = [
  { name: 'add', kind: 'binary', kernel: 'add', js: 'x + y', exact: true, cost: { float32: 0.1, float64: 0.2 }, summary: 'a + b' },
  { name: 'sub', kind: 'binary', kernel: 'sub', reversed: 'rsub', js: 'x - y', exact: true, cost: { float32: 0.1, float64: 0.2 }, summary: 'a − b' },
  { name: 'mul', kind: 'binary', kernel: 'mul', js: 'x * y', exact: true, cost: { float32: 0.1, float64: 0.2 }, summary: 'a × b' },
  { name: 'div', kind: 'binary', kernel: 'div', reversed: 'rdiv', js: 'x / y', exact: true, cost: { float32: 0.15, float64: 0.4 }, summary: 'a ÷ b' },
  { name: 'min', kind: 'binary', kernel: 'min', js: 'Math.min(x, y)', exact: true, cost: { float32: 0.15, float64: 0.3 }, summary: 'elementwise minimum (NaN wins, −0 < +0)' },
  { name: 'max', kind: 'binary', kernel: 'max', js: 'Math.max(x, y)', exact: true, cost: { float32: 0.15, float64: 0.3 }, summary: 'elementwise maximum (NaN wins, −0 < +0)' },
  { name: 'neg', kind: 'unary', kernel: 'neg', js: '-x', exact: true, cost: { float32: 0.08, float64: 0.15 }, summary: '−a' },
  { name: 'abs', kind: 'unary', kernel: 'abs', js: 'Math.abs(x)', exact: true, cost: { float32: 0.08, float64: 0.15 }, summary: '|a|' },
  { name: 'sqrt', kind: 'unary', kernel: 'sqrt', js: 'Math.sqrt(x)', exact: true, cost: { float32: 0.2, float64: 0.6 }, summary: '√a, correctly rounded' },
  { name: 'exp', kind: 'unary', kernel: 'exp', js: 'Math.exp(x)', exact: false, cost: { float32: 1.4, float64: 3.8 }, summary: 'eˣ, faithfully rounded (< 1 ULP)' },
  { name: 'sum', kind: 'sum', kernel: 'sum', js: 's + x', exact: false, cost: { float32: 0.1, float64: 0.1 }, summary: 'Σ a, accumulated in f64' },
  { name: 'dot', kind: 'dot', kernel: 'dot', js: 's + x * y', exact: false, cost: { float32: 0.15, float64: 0.15 }, summary: 'Σ a·b, accumulated in f64' },
] as const satisfies readonly OpRow[];

export type Registry = typeof REGISTRY;
export type OpName = Registry[number]['name'];

export type KernelDtype = 'f32' | 'f64';
export type KernelForm = 'array' | 'scalar' | 'reversed';

/** The wasm export for an op: its SIMD kernel, or with `scalar` its one-element-at-a-time twin. */
export function kernelName(row: OpRow, dtype: KernelDtype, form: KernelForm = 'array', scalar = false): string {
  const suffix = scalar ? '_scalar' : '';
  if (row.kind === 'sum' || row.kind === 'dot') return `r${row.kernel}_${dtype}${suffix}`;
  if (form === 'array') return `v${row.kernel}_${dtype}${suffix}`;
  const op = form === 'reversed' ? row.reversed ?? row.kernel : row.kernel;
  return `v${op}c_${dtype}${suffix}`;
}

/** Every kernel the op table uses, SIMD or scalar: the module exports exactly these and heapBase. */
export function allKernelNames(scalar: boolean): string[] {
  const names = new Set<string>();
  for (const row of REGISTRY as readonly OpRow[]) {
    for (const dtype of ['f32', 'f64'] as const) {
      names.add(kernelName(row, dtype, 'array', scalar));
      if (row.kind === 'binary') {
        names.add(kernelName(row, dtype, 'scalar', scalar));
        names.add(kernelName(row, dtype, 'reversed', scalar));
      }
    }
  }
  return [...names];
}
