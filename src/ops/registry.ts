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
   * plan sizes chunks from it. Measured by `npm run bench -- --calibrate`
   * (median at n = 65536), on the 2-core machine the README's figures come from.
   */
  readonly cost: { readonly float32: number; readonly float64: number };
  /**
   * The least n for which running on the pool beats one thread: smaller
   * calls run inline on the caller. Measured by `npm run bench -- --calibrate`:
   * the least n of a half-octave grid from which the pool, with 2 threads,
   * takes at most 0.95 of the inline time at that n and every larger one.
   */
  readonly cutoff: { readonly float32: number; readonly float64: number };
  readonly summary: string;
}

export const REGISTRY = [
  { name: 'add', kind: 'binary', kernel: 'add', js: 'x + y', exact: true, cost: { float32: 0.12, float64: 0.29 }, cutoff: { float32: 32768, float64: 16384 }, summary: 'a + b' },
  { name: 'sub', kind: 'binary', kernel: 'sub', reversed: 'rsub', js: 'x - y', exact: true, cost: { float32: 0.12, float64: 0.29 }, cutoff: { float32: 32768, float64: 16384 }, summary: 'a − b' },
  { name: 'mul', kind: 'binary', kernel: 'mul', js: 'x * y', exact: true, cost: { float32: 0.12, float64: 0.29 }, cutoff: { float32: 32768, float64: 16384 }, summary: 'a × b' },
  { name: 'div', kind: 'binary', kernel: 'div', reversed: 'rdiv', js: 'x / y', exact: true, cost: { float32: 0.21, float64: 0.68 }, cutoff: { float32: 16384, float64: 8192 }, summary: 'a ÷ b' },
  { name: 'min', kind: 'binary', kernel: 'min', js: 'Math.min(x, y)', exact: true, cost: { float32: 0.17, float64: 0.39 }, cutoff: { float32: 16384, float64: 8192 }, summary: 'elementwise minimum (NaN wins, −0 < +0)' },
  { name: 'max', kind: 'binary', kernel: 'max', js: 'Math.max(x, y)', exact: true, cost: { float32: 0.21, float64: 0.46 }, cutoff: { float32: 16384, float64: 8192 }, summary: 'elementwise maximum (NaN wins, −0 < +0)' },
  { name: 'neg', kind: 'unary', kernel: 'neg', js: '-x', exact: true, cost: { float32: 0.095, float64: 0.25 }, cutoff: { float32: 32768, float64: 16384 }, summary: '−a' },
  { name: 'abs', kind: 'unary', kernel: 'abs', js: 'Math.abs(x)', exact: true, cost: { float32: 0.095, float64: 0.25 }, cutoff: { float32: 32768, float64: 16384 }, summary: '|a|' },
  { name: 'sqrt', kind: 'unary', kernel: 'sqrt', js: 'Math.sqrt(x)', exact: true, cost: { float32: 0.34, float64: 1.1 }, cutoff: { float32: 16384, float64: 4096 }, summary: '√a, correctly rounded' },
  { name: 'exp', kind: 'unary', kernel: 'exp', js: 'Math.exp(x)', exact: false, cost: { float32: 1.1, float64: 2.1 }, cutoff: { float32: 2048, float64: 1024 }, summary: 'eˣ, faithfully rounded (< 1 ULP)' },
  { name: 'sum', kind: 'sum', kernel: 'sum', js: 's + x', exact: false, cost: { float32: 0.087, float64: 0.18 }, cutoff: { float32: 32768, float64: 32768 }, summary: 'Σ a (float32 in f32 lanes over 16-term blocks, then f64)' },
  { name: 'dot', kind: 'dot', kernel: 'dot', js: 's + x * y', exact: false, cost: { float32: 0.12, float64: 0.27 }, cutoff: { float32: 32768, float64: 16384 }, summary: 'Σ a·b (float32 in f32 lanes over 16-term blocks, then f64)' },
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
