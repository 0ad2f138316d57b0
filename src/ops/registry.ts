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
   * Nanoseconds per element with SIMD on one thread, in cache; the chunk
   * plan sizes chunks from it. Measured by `npm run bench -- --calibrate`.
   */
  readonly cost: { readonly float32: number; readonly float64: number };
  /**
   * The least n for which running on the pool beats one thread: smaller
   * calls run inline on the caller. Measured by `npm run bench -- --calibrate`.
   */
  readonly cutoff: { readonly float32: number; readonly float64: number };
  readonly summary: string;
}

export const REGISTRY = [
  { name: 'add', kind: 'binary', kernel: 'add', js: 'x + y', exact: true, cost: { float32: 0.1, float64: 0.2 }, cutoff: { float32: 120000, float64: 60000 }, summary: 'a + b' },
  { name: 'sub', kind: 'binary', kernel: 'sub', reversed: 'rsub', js: 'x - y', exact: true, cost: { float32: 0.1, float64: 0.2 }, cutoff: { float32: 120000, float64: 60000 }, summary: 'a − b' },
  { name: 'mul', kind: 'binary', kernel: 'mul', js: 'x * y', exact: true, cost: { float32: 0.1, float64: 0.2 }, cutoff: { float32: 120000, float64: 60000 }, summary: 'a × b' },
  { name: 'div', kind: 'binary', kernel: 'div', reversed: 'rdiv', js: 'x / y', exact: true, cost: { float32: 0.15, float64: 0.4 }, cutoff: { float32: 80000, float64: 30000 }, summary: 'a ÷ b' },
  { name: 'min', kind: 'binary', kernel: 'min', js: 'Math.min(x, y)', exact: true, cost: { float32: 0.15, float64: 0.3 }, cutoff: { float32: 80000, float64: 40000 }, summary: 'elementwise minimum (NaN wins, −0 < +0)' },
  { name: 'max', kind: 'binary', kernel: 'max', js: 'Math.max(x, y)', exact: true, cost: { float32: 0.15, float64: 0.3 }, cutoff: { float32: 80000, float64: 40000 }, summary: 'elementwise maximum (NaN wins, −0 < +0)' },
  { name: 'neg', kind: 'unary', kernel: 'neg', js: '-x', exact: true, cost: { float32: 0.08, float64: 0.15 }, cutoff: { float32: 150000, float64: 80000 }, summary: '−a' },
  { name: 'abs', kind: 'unary', kernel: 'abs', js: 'Math.abs(x)', exact: true, cost: { float32: 0.08, float64: 0.15 }, cutoff: { float32: 150000, float64: 80000 }, summary: '|a|' },
  { name: 'sqrt', kind: 'unary', kernel: 'sqrt', js: 'Math.sqrt(x)', exact: true, cost: { float32: 0.2, float64: 0.6 }, cutoff: { float32: 60000, float64: 20000 }, summary: '√a, correctly rounded' },
  { name: 'exp', kind: 'unary', kernel: 'exp', js: 'Math.exp(x)', exact: false, cost: { float32: 1.4, float64: 3.8 }, cutoff: { float32: 8571, float64: 3157 }, summary: 'eˣ, faithfully rounded (< 1 ULP)' },
  { name: 'sum', kind: 'sum', kernel: 'sum', js: 's + x', exact: false, cost: { float32: 0.1, float64: 0.1 }, cutoff: { float32: 120000, float64: 120000 }, summary: 'Σ a, accumulated in f64' },
  { name: 'dot', kind: 'dot', kernel: 'dot', js: 's + x * y', exact: false, cost: { float32: 0.15, float64: 0.15 }, cutoff: { float32: 80000, float64: 80000 }, summary: 'Σ a·b, accumulated in f64' },
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
