// THE op table: one row per op. The API, the tests and the benchmarks all
// iterate it; the kernel names follow from it (see kernelName).

export type OpKind = 'unary' | 'binary' | 'ternary' | 'sum' | 'dot' | 'scan';

export interface OpRow {
  /** The public function, as numpy names it. */
  readonly name: string;
  readonly kind: OpKind;
  /** The op in kernel names: v<kernel>_f32, v<kernel>c_f32, r<kernel>_f32. */
  readonly kernel: string;
  /** For a binary op that does not commute: the kernel op for number ∘ array (vr<op>c). */
  readonly reversed?: string;
  /** The operands' names in error messages, if not the kind's own (a; a, b; a, b, c). */
  readonly operands?: readonly string[];
  /**
   * One element in plain JavaScript, on x (and y, z); for reductions and
   * scans, one step on the accumulator s. The JS-loop baseline of the benchmarks, and the
   * reference of the tests (in f64, then rounded to the dtype).
   */
  readonly js: string;
  /**
   * The absolute error of `js`, where it is an approximation (JavaScript has
   * no erf): the benchmarks then check lanes against the loop to this bound.
   */
  readonly jsError?: number;
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
  /** The range of a the benchmarks time, where the default [0.1, 10) lies partly outside the op's domain. */
  readonly domain?: readonly [lo: number, hi: number];
  /**
   * The op body in assembly/: its file under assembly/ (without .ts) and its
   * class there (for a binary op with `reversed`, also that op's class).
   * tools/gen-kernels.mjs writes assembly/kernels.ts, the module's kernel
   * exports, from these: no kernel is named by hand. Every row of REGISTRY
   * has one; the rows lanes.load makes for a user module have none.
   */
  readonly body?: { readonly file: string; readonly op: string; readonly reversed?: string };
}

export const REGISTRY = [
  { name: 'add', kind: 'binary', kernel: 'add', js: 'x + y', exact: true, cost: { float32: 0.12, float64: 0.29 }, cutoff: { float32: 65536, float64: 32768 }, summary: 'a + b', body: { file: 'ops/arith', op: 'Add' } },
  { name: 'sub', kind: 'binary', kernel: 'sub', reversed: 'rsub', js: 'x - y', exact: true, cost: { float32: 0.12, float64: 0.29 }, cutoff: { float32: 65536, float64: 32768 }, summary: 'a − b', body: { file: 'ops/arith', op: 'Sub', reversed: 'RSub' } },
  { name: 'mul', kind: 'binary', kernel: 'mul', js: 'x * y', exact: true, cost: { float32: 0.12, float64: 0.29 }, cutoff: { float32: 65536, float64: 32768 }, summary: 'a × b', body: { file: 'ops/arith', op: 'Mul' } },
  { name: 'div', kind: 'binary', kernel: 'div', reversed: 'rdiv', js: 'x / y', exact: true, cost: { float32: 0.21, float64: 0.68 }, cutoff: { float32: 16384, float64: 8192 }, summary: 'a ÷ b', body: { file: 'ops/arith', op: 'Div', reversed: 'RDiv' } },
  { name: 'min', kind: 'binary', kernel: 'min', js: 'Math.min(x, y)', exact: true, cost: { float32: 0.17, float64: 0.39 }, cutoff: { float32: 16384, float64: 8192 }, summary: 'elementwise minimum (NaN wins, −0 < +0)', body: { file: 'ops/arith', op: 'Min' } },
  { name: 'max', kind: 'binary', kernel: 'max', js: 'Math.max(x, y)', exact: true, cost: { float32: 0.21, float64: 0.46 }, cutoff: { float32: 16384, float64: 8192 }, summary: 'elementwise maximum (NaN wins, −0 < +0)', body: { file: 'ops/arith', op: 'Max' } },
  { name: 'hypot', kind: 'binary', kernel: 'hypot', js: 'Math.hypot(x, y)', exact: false, cost: { float32: 1.5, float64: 12 }, cutoff: { float32: 11584, float64: 1456 }, summary: '√(a² + b²), faithfully rounded (< 1 ULP), with no overflow or underflow in between', body: { file: 'ops/hypot', op: 'Hypot' } },
  { name: 'pow', kind: 'binary', kernel: 'pow', reversed: 'rpow', js: 'x === 1 || y === 0 || (x === -1 && Math.abs(y) === Infinity) ? 1 : Math.pow(x, y)', exact: false, cost: { float32: 6.8, float64: 15 }, cutoff: { float32: 1456, float64: 1024 }, summary: 'aᵇ (np.power), faithfully rounded (< 1 ULP), with C99\'s special values: pow(a, ±0) = 1 and pow(1, b) = 1 even for NaN', body: { file: 'ops/pow', op: 'Pow', reversed: 'RPow' } },
  { name: 'atan2', kind: 'binary', kernel: 'atan2', reversed: 'ratan2', js: 'Math.atan2(x, y)', exact: false, cost: { float32: 4.8, float64: 16 }, cutoff: { float32: 1456, float64: 1024 }, summary: 'the angle of the point (b, a) in (−π, π] (np.arctan2), faithfully rounded (< 1 ULP), with C99\'s special values for zeros and infinities', body: { file: 'ops/inverse-trig', op: 'Atan2', reversed: 'RAtan2' } },
  { name: 'copysign', kind: 'binary', kernel: 'copysign', reversed: 'rcopysign', js: 'y < 0 || Object.is(y, -0) || (y !== y && new Int32Array(new Float64Array([y]).buffer)[1] < 0) ? -Math.abs(x) : Math.abs(x)', exact: true, cost: { float32: 0.25, float64: 0.42 }, cutoff: { float32: 46336, float64: 65536 }, summary: '|a| with the sign of b (of a NaN b too)', body: { file: 'ops/round', op: 'CopySign', reversed: 'RCopySign' } },
  { name: 'clip', kind: 'ternary', kernel: 'clip', operands: ['a', 'lo', 'hi'], js: 'Math.min(Math.max(x, y), z)', exact: true, cost: { float32: 0.51, float64: 0.98 }, cutoff: { float32: 23168, float64: 8192 }, summary: 'min(max(a, lo), hi), as np.clip (NaN wins; hi where lo > hi)', body: { file: 'ops/arith', op: 'Clip' } },
  { name: 'neg', kind: 'unary', kernel: 'neg', js: '-x', exact: true, cost: { float32: 0.095, float64: 0.25 }, cutoff: { float32: 65536, float64: 32768 }, summary: '−a', body: { file: 'ops/arith', op: 'Neg' } },
  { name: 'abs', kind: 'unary', kernel: 'abs', js: 'Math.abs(x)', exact: true, cost: { float32: 0.095, float64: 0.25 }, cutoff: { float32: 65536, float64: 32768 }, summary: '|a|', body: { file: 'ops/arith', op: 'Abs' } },
  { name: 'sqrt', kind: 'unary', kernel: 'sqrt', js: 'Math.sqrt(x)', exact: true, cost: { float32: 0.34, float64: 1.1 }, cutoff: { float32: 16384, float64: 4096 }, summary: '√a, correctly rounded', body: { file: 'ops/arith', op: 'Sqrt' } },
  { name: 'square', kind: 'unary', kernel: 'square', js: 'x * x', exact: true, cost: { float32: 0.15, float64: 0.26 }, cutoff: { float32: 32768, float64: 32768 }, summary: 'a²', body: { file: 'ops/round', op: 'Square' } },
  { name: 'floor', kind: 'unary', kernel: 'floor', js: 'Math.floor(x)', exact: true, cost: { float32: 0.10, float64: 0.41 }, cutoff: { float32: 32768, float64: 32768 }, summary: '⌊a⌋', body: { file: 'ops/round', op: 'Floor' } },
  { name: 'ceil', kind: 'unary', kernel: 'ceil', js: 'Math.ceil(x)', exact: true, cost: { float32: 0.10, float64: 0.29 }, cutoff: { float32: 32768, float64: 32768 }, summary: '⌈a⌉', body: { file: 'ops/round', op: 'Ceil' } },
  { name: 'trunc', kind: 'unary', kernel: 'trunc', js: 'Math.trunc(x)', exact: true, cost: { float32: 0.095, float64: 0.29 }, cutoff: { float32: 32768, float64: 32768 }, summary: 'a rounded toward 0', body: { file: 'ops/round', op: 'Trunc' } },
  { name: 'rint', kind: 'unary', kernel: 'rint', js: 'Math.abs(x) < 4503599627370496 ? Math.sign(x) * (Math.abs(x) + 4503599627370496 - 4503599627370496) : x', exact: true, cost: { float32: 0.15, float64: 0.28 }, cutoff: { float32: 32768, float64: 32768 }, summary: 'a rounded to the nearest integer, half to even (np.rint)', body: { file: 'ops/round', op: 'Rint' } },
  { name: 'sign', kind: 'unary', kernel: 'sign', js: 'Math.sign(x)', exact: true, cost: { float32: 0.29, float64: 0.52 }, cutoff: { float32: 32768, float64: 16384 }, summary: '−1, +1, or a itself for ±0 and NaN (as Math.sign)', body: { file: 'ops/round', op: 'Sign' } },
  { name: 'exp', kind: 'unary', kernel: 'exp', js: 'Math.exp(x)', exact: false, cost: { float32: 1.1, float64: 2.1 }, cutoff: { float32: 8192, float64: 2048 }, summary: 'eˣ, faithfully rounded (< 1 ULP)', body: { file: 'ops/exp', op: 'Exp' } },
  { name: 'exp2', kind: 'unary', kernel: 'exp2', js: '2 ** x', exact: false, cost: { float32: 1.9, float64: 2.6 }, cutoff: { float32: 4096, float64: 2048 }, summary: '2ˣ, faithfully rounded (< 1 ULP)', body: { file: 'ops/exp2', op: 'Exp2' } },
  { name: 'expm1', kind: 'unary', kernel: 'expm1', js: 'Math.expm1(x)', exact: false, cost: { float32: 2.6, float64: 5.3 }, cutoff: { float32: 2896, float64: 4096 }, summary: 'eˣ − 1, faithfully rounded (< 1 ULP)', body: { file: 'ops/exp2', op: 'Expm1' } },
  { name: 'sigmoid', kind: 'unary', kernel: 'sigmoid', js: '1 / (1 + Math.exp(-x))', exact: false, cost: { float32: 4.0, float64: 8.8 }, cutoff: { float32: 2048, float64: 1024 }, summary: '1/(1 + e⁻ᵃ), faithfully rounded (< 1 ULP), with no overflow at either end', body: { file: 'ops/sigmoid', op: 'Sigmoid' } },
  { name: 'sinh', kind: 'unary', kernel: 'sinh', js: 'Math.sinh(x)', exact: false, cost: { float32: 6.7, float64: 11 }, cutoff: { float32: 2048, float64: 1024 }, summary: 'sinh a, faithfully rounded (< 1 ULP)', body: { file: 'ops/hyperbolic', op: 'Sinh' } },
  { name: 'cosh', kind: 'unary', kernel: 'cosh', js: 'Math.cosh(x)', exact: false, cost: { float32: 3.3, float64: 9.2 }, cutoff: { float32: 2048, float64: 1024 }, summary: 'cosh a, faithfully rounded (< 1 ULP)', body: { file: 'ops/hyperbolic', op: 'Cosh' } },
  { name: 'tanh', kind: 'unary', kernel: 'tanh', js: 'Math.tanh(x)', exact: false, cost: { float32: 6.1, float64: 12 }, cutoff: { float32: 2048, float64: 1024 }, summary: 'tanh a, faithfully rounded (< 1 ULP)', body: { file: 'ops/hyperbolic', op: 'Tanh' } },
  { name: 'asinh', kind: 'unary', kernel: 'asinh', js: 'Math.asinh(x)', exact: false, cost: { float32: 5.8, float64: 15 }, cutoff: { float32: 1456, float64: 1024 }, summary: 'sinh⁻¹ a (np.arcsinh), faithfully rounded (< 1 ULP)', body: { file: 'ops/inverse-hyperbolic', op: 'Asinh' } },
  { name: 'acosh', kind: 'unary', kernel: 'acosh', js: 'Math.acosh(x)', exact: false, cost: { float32: 4.6, float64: 18 }, cutoff: { float32: 1456, float64: 1024 }, summary: 'cosh⁻¹ a (np.arccosh), faithfully rounded (< 1 ULP); NaN below 1', domain: [1, 10], body: { file: 'ops/inverse-hyperbolic', op: 'Acosh' } },
  { name: 'atanh', kind: 'unary', kernel: 'atanh', js: 'Math.atanh(x)', exact: false, cost: { float32: 4.2, float64: 12 }, cutoff: { float32: 1456, float64: 1024 }, summary: 'tanh⁻¹ a (np.arctanh), faithfully rounded (< 1 ULP); ±∞ at ±1, NaN past them', domain: [-0.99, 0.99], body: { file: 'ops/inverse-hyperbolic', op: 'Atanh' } },
  { name: 'cbrt', kind: 'unary', kernel: 'cbrt', js: 'Math.cbrt(x)', exact: false, cost: { float32: 2.7, float64: 9.8 }, cutoff: { float32: 5792, float64: 2048 }, summary: '∛a, faithfully rounded (< 1 ULP)', body: { file: 'ops/cbrt', op: 'Cbrt' } },
  // JavaScript has no erf: the loop is Abramowitz and Stegun's 7.1.26 (absolute error 1.5e-7), what a port would write.
  { name: 'erf', kind: 'unary', kernel: 'erf', js: 'Math.sign(x) * ((t) => 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x))(1 / (1 + 0.3275911 * Math.abs(x)))', jsError: 2e-7, exact: false, cost: { float32: 5.8, float64: 14 }, cutoff: { float32: 1456, float64: 1024 }, summary: 'the error function (2/√π)∫₀ᵃ e^(−t²) dt, faithfully rounded (< 1 ULP)', body: { file: 'ops/erf', op: 'Erf' } },
  { name: 'erfc', kind: 'unary', kernel: 'erfc', js: '1 - Math.sign(x) * ((t) => 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x))(1 / (1 + 0.3275911 * Math.abs(x)))', jsError: 2e-7, exact: false, cost: { float32: 6.8, float64: 14 }, cutoff: { float32: 2048, float64: 1024 }, summary: '1 − erf a, faithfully rounded (< 1 ULP) where it is tiny too, down to its subnormal results', body: { file: 'ops/erf', op: 'Erfc' } },
  { name: 'sin', kind: 'unary', kernel: 'sin', js: 'Math.sin(x)', exact: false, cost: { float32: 4.1, float64: 11 }, cutoff: { float32: 1456, float64: 1024 }, summary: 'sin a, faithfully rounded (< 1 ULP), with exact argument reduction for every a (sin(1e300) too)', body: { file: 'ops/trig', op: 'Sin' } },
  { name: 'cos', kind: 'unary', kernel: 'cos', js: 'Math.cos(x)', exact: false, cost: { float32: 4.0, float64: 11 }, cutoff: { float32: 4096, float64: 1024 }, summary: 'cos a, faithfully rounded (< 1 ULP), with exact argument reduction for every a', body: { file: 'ops/trig', op: 'Cos' } },
  { name: 'tan', kind: 'unary', kernel: 'tan', js: 'Math.tan(x)', exact: false, cost: { float32: 4.5, float64: 17 }, cutoff: { float32: 1456, float64: 1024 }, summary: 'tan a, faithfully rounded (< 1 ULP), with exact argument reduction for every a', body: { file: 'ops/trig', op: 'Tan' } },
  { name: 'asin', kind: 'unary', kernel: 'asin', js: 'Math.asin(x)', exact: false, cost: { float32: 4.4, float64: 17 }, cutoff: { float32: 1456, float64: 4096 }, summary: 'sin⁻¹ a (np.arcsin), faithfully rounded (< 1 ULP); NaN outside [−1, 1]', domain: [-0.99, 0.99], body: { file: 'ops/inverse-trig', op: 'Asin' } },
  { name: 'acos', kind: 'unary', kernel: 'acos', js: 'Math.acos(x)', exact: false, cost: { float32: 5.2, float64: 28 }, cutoff: { float32: 1456, float64: 1024 }, summary: 'cos⁻¹ a (np.arccos), faithfully rounded (< 1 ULP); NaN outside [−1, 1]', domain: [-0.99, 0.99], body: { file: 'ops/inverse-trig', op: 'Acos' } },
  { name: 'atan', kind: 'unary', kernel: 'atan', js: 'Math.atan(x)', exact: false, cost: { float32: 2.8, float64: 19 }, cutoff: { float32: 1456, float64: 1024 }, summary: 'tan⁻¹ a (np.arctan), faithfully rounded (< 1 ULP)', body: { file: 'ops/inverse-trig', op: 'Atan' } },
  { name: 'log', kind: 'unary', kernel: 'log', js: 'Math.log(x)', exact: false, cost: { float32: 2.1, float64: 4.3 }, cutoff: { float32: 2048, float64: 1024 }, summary: 'ln a, faithfully rounded (< 1 ULP)', body: { file: 'ops/log', op: 'Log' } },
  { name: 'log2', kind: 'unary', kernel: 'log2', js: 'Math.log2(x)', exact: false, cost: { float32: 2.6, float64: 5.5 }, cutoff: { float32: 2048, float64: 1024 }, summary: 'log₂ a, faithfully rounded (< 1 ULP)', body: { file: 'ops/log', op: 'Log2' } },
  { name: 'log10', kind: 'unary', kernel: 'log10', js: 'Math.log10(x)', exact: false, cost: { float32: 2.2, float64: 5.5 }, cutoff: { float32: 2048, float64: 1024 }, summary: 'log₁₀ a, faithfully rounded (< 1 ULP)', body: { file: 'ops/log', op: 'Log10' } },
  { name: 'log1p', kind: 'unary', kernel: 'log1p', js: 'Math.log1p(x)', exact: false, cost: { float32: 2.6, float64: 8.2 }, cutoff: { float32: 2048, float64: 1024 }, summary: 'ln(1 + a), faithfully rounded (< 1 ULP)', body: { file: 'ops/log', op: 'Log1p' } },
  { name: 'cumsum', kind: 'scan', kernel: 'cumsum', js: 's + x', exact: false, cost: { float32: 0.58, float64: 0.66 }, cutoff: { float32: 11584, float64: 8192 }, summary: 'running sums a[0] + … + a[i], carried in f64 and rounded to the dtype where stored', body: { file: 'ops/scan', op: 'CumSum' } },
  { name: 'sum', kind: 'sum', kernel: 'sum', js: 's + x', exact: false, cost: { float32: 0.087, float64: 0.18 }, cutoff: { float32: 98304, float64: 98304 }, summary: 'Σ a (float32 in f32 lanes over 16-term blocks, then f64)', body: { file: 'ops/arith', op: 'Sum' } },
  { name: 'dot', kind: 'dot', kernel: 'dot', js: 's + x * y', exact: false, cost: { float32: 0.12, float64: 0.27 }, cutoff: { float32: 65536, float64: 32768 }, summary: 'Σ a·b (float32 in f32 lanes over 16-term blocks, then f64)', body: { file: 'ops/arith', op: 'Dot' } },
] as const satisfies readonly OpRow[];

/**
 * A reduction of one array beyond sum and dot. lanes composes each from
 * fused expressions (src/expr/reductions.ts, one or two passes), so it has
 * no kernel of its own, yet runs on every thread and gives the same bits
 * for any thread count. The API, the tests and the benchmarks iterate these
 * rows as they do REGISTRY's.
 */
export interface ReductionRow {
  readonly name: string;
  /**
   * The loop over `a` a user would write, returning the result, with numpy's
   * rules (the first NaN wins; −0 is below +0 for min and max and ties with it
   * for argmin and argmax): the benchmarks' baseline and the tests' reference.
   */
  readonly js: string;
  /** Whether lanes returns exactly what `js` does (an element or an index); else it agrees to rounding, within the README's bound. */
  readonly exact: boolean;
  /** The result for no elements; none (undefined): a RangeError. */
  readonly empty?: number;
  /** Whether it takes `{ ddof }` (delta degrees of freedom) beside `{ signal }`. */
  readonly ddof?: boolean;
  readonly summary: string;
}

const VARIANCE = 'let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; const m = s / a.length; let q = 0; for (let i = 0; i < a.length; i++) { const d = a[i] - m; q += d * d; } const v = q / (a.length - ddof);';

export const REDUCTIONS = [
  { name: 'min', js: 'let m = Infinity; for (let i = 0; i < a.length; i++) { const x = a[i]; if (x < m || x !== x || (x === m && 1 / x < 0)) m = x; if (m !== m) break; } return m;', exact: true, summary: 'the least element (NaN if any, −0 below +0)' },
  { name: 'max', js: 'let m = -Infinity; for (let i = 0; i < a.length; i++) { const x = a[i]; if (x > m || x !== x || (x === m && 1 / x > 0)) m = x; if (m !== m) break; } return m;', exact: true, summary: 'the greatest element (NaN if any, +0 above −0)' },
  { name: 'argmin', js: 'let k = 0; for (let i = 1; i < a.length && a[k] === a[k]; i++) { const x = a[i]; if (x < a[k] || x !== x) k = i; } return k;', exact: true, summary: 'the index of the first least element, or of the first NaN' },
  { name: 'argmax', js: 'let k = 0; for (let i = 1; i < a.length && a[k] === a[k]; i++) { const x = a[i]; if (x > a[k] || x !== x) k = i; } return k;', exact: true, summary: 'the index of the first greatest element, or of the first NaN' },
  { name: 'prod', js: 'let p = 1; for (let i = 0; i < a.length; i++) p *= a[i]; return p;', exact: false, empty: 1, summary: 'Π a, in f64' },
  { name: 'mean', js: 'let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s / a.length;', exact: false, empty: NaN, summary: 'Σ a / n' },
  { name: 'var', js: `${VARIANCE} return v;`, exact: false, empty: NaN, ddof: true, summary: 'Σ(a − mean)² / (n − ddof), two-pass' },
  { name: 'std', js: `${VARIANCE} return Math.sqrt(v);`, exact: false, empty: NaN, ddof: true, summary: '√var' },
  { name: 'norm', js: 'let q = 0; for (let i = 0; i < a.length; i++) q += a[i] * a[i]; return Math.sqrt(q);', exact: false, empty: 0, summary: '√Σ a², with no overflow or underflow in between' },
] as const satisfies readonly ReductionRow[];

export type ReductionName = (typeof REDUCTIONS)[number]['name'];

export type Registry = typeof REGISTRY;
export type OpName = Registry[number]['name'];

export type KernelDtype = 'f32' | 'f64';
/** array: the op itself; scalar and reversed: with a number operand; total: a scan's chunk sums. */
export type KernelForm = 'array' | 'scalar' | 'reversed' | 'total';

/** The wasm export for an op: its SIMD kernel, or with `scalar` its one-element-at-a-time twin. */
export function kernelName(row: OpRow, dtype: KernelDtype, form: KernelForm = 'array', scalar = false): string {
  const suffix = scalar ? '_scalar' : '';
  if (row.kind === 'sum' || row.kind === 'dot' || form === 'total') return `r${row.kernel}_${dtype}${suffix}`;
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
      if (row.kind === 'ternary') names.add(kernelName(row, dtype, 'scalar', scalar));
      if (row.kind === 'scan') names.add(kernelName(row, dtype, 'total', scalar));
    }
  }
  return [...names];
}
