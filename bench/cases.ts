// What the benchmark runs for one (op, dtype, n): the same work four ways,
// from the op table. Inputs are made once, outside the timed part, with a
// fixed seed; each variant's result is checked once against the JS loop.
import * as lanes from 'lanes';
import { getRuntime } from '../dist/dispatch/runtime.js';
import { kernelName, type OpRow } from '../dist/ops/registry.js';
import { medians, repeatFor, type Budget } from './measure.js';

export type Dtype = 'float32' | 'float64';
export type Variant = 'js' | 'scalar' | 'simd' | 'lanes';
export const VARIANTS: Variant[] = ['js', 'scalar', 'simd', 'lanes'];
export const LABELS: Record<Variant, string> = {
  js: 'JS loop',
  scalar: 'wasm scalar, 1 thread',
  simd: 'wasm SIMD, 1 thread',
  lanes: 'lanes (SIMD + threads)',
};

type Floats = Float32Array | Float64Array;
const VIEW = { float32: Float32Array, float64: Float64Array };

/**
 * A JS loop for one case. Its source text is the case's own (V8 shares
 * compiled code and feedback between functions of identical source, and a
 * loop shared by many cases ends up deoptimized), so each is optimized alone.
 */
function jsLoop(row: OpRow, label: string): Loop {
  const loop =
    row.kind === 'sum' || row.kind === 'dot'
      ? `let s = 0; for (let i = 0; i < n; i++) { const x = a[i], y = b[i]; s = ${row.js}; } return s;`
      : row.kind === 'scan'
        ? `let s = 0; for (let i = 0; i < n; i++) { const x = a[i]; s = ${row.js}; out[i] = s; } return 0;`
      : row.kind === 'ternary'
        ? `const y = ${TERNARY_NUMBERS[0]}, z = ${TERNARY_NUMBERS[1]}; for (let i = 0; i < n; i++) { const x = a[i]; out[i] = ${row.js}; } return 0;`
        : `for (let i = 0; i < n; i++) { const x = a[i], y = b[i]; out[i] = ${row.js}; } return 0;`;
  const body = `/* ${label} */ ${loop}`;
  return new Function('a', 'b', 'out', 'n', body) as Loop;
}

type Loop = (a: Floats, b: Floats, out: Floats, n: number) => number;

/**
 * The arguments of the JS loop being timed, in a variable that every case
 * rewrites. Loops read their arrays from it as parameters, the way library
 * code gets them: V8 cannot fold them into constants, as it would for arrays
 * a benchmark closure captures (that makes a loop look up to 3× faster than
 * any library function can be).
 */
let loopArgs: [Floats, Floats, Floats, number] = [new Float64Array(0), new Float64Array(0), new Float64Array(0), 0];

function callLoop(loop: Loop, a: Floats, b: Floats, out: Floats, n: number): number {
  loopArgs = [a, b, out, n];
  return loop(loopArgs[0], loopArgs[1], loopArgs[2], loopArgs[3]);
}

/** Seeded inputs, uniform over [lo, hi). */
function fill(target: Floats, seed: number, lo: number, hi: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < target.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    target[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
}

interface Buffers {
  js: { a: Floats; b: Floats; out: Floats };
  lanes: { a: Floats; b: Floats; out: Floats };
}

/** The range of a: [0.1, 10), valid for every op, exp included, except those whose row names a domain. */
const DEFAULT_DOMAIN = [0.1, 10] as const;

/**
 * Buffers for one dtype at the largest size; each case uses their first n
 * elements: a over the op's domain, b in [0.5, 2).
 */
export class Inputs {
  private readonly byDomain = new Map<string, Buffers>();
  constructor(
    readonly dtype: Dtype,
    readonly maxN: number,
  ) {}
  /** The buffers of the default domain. */
  get js(): Buffers['js'] { return this.of().js; }
  get lanes(): Buffers['lanes'] { return this.of().lanes; }
  /** The buffers for a row: a over row.domain, if it has one. */
  of(row?: OpRow): Buffers {
    const [lo, hi] = row?.domain ?? DEFAULT_DOMAIN;
    const key = `${lo} ${hi}`;
    let buffers = this.byDomain.get(key);
    if (!buffers) {
      const { dtype, maxN } = this;
      const plain = { a: new VIEW[dtype](maxN), b: new VIEW[dtype](maxN), out: new VIEW[dtype](maxN) };
      fill(plain.a, 1, lo, hi);
      fill(plain.b, 2, 0.5, 2);
      buffers = { js: plain, lanes: { a: lanes.from(plain.a), b: lanes.from(plain.b), out: lanes.empty(maxN, dtype) } };
      this.byDomain.set(key, buffers);
    }
    return buffers;
  }
}

/** A ternary op is timed as numpy code mostly calls it: an array and two numbers, clip(a, 1, 5). */
export const TERNARY_NUMBERS = [1, 5];

/** Bytes each element moves: the arrays read, plus the one written. */
export function bytesPerElement(row: OpRow, dtype: Dtype): number {
  const arrays = { unary: 2, binary: 3, ternary: 2, sum: 1, dot: 2, scan: 2 }[row.kind];
  return arrays * (dtype === 'float32' ? 4 : 8);
}

export interface Case {
  row: OpRow;
  dtype: Dtype;
  n: number;
  run: Record<Variant, () => number>;
  /** Runs every variant once more and returns the names of those whose result differs from the JS loop's. */
  check(): string[];
  /** Gets the JIT to its steady state for this case (outside any timing). */
  warm(): void;
  /** Frees the case's lanes arrays. */
  dispose(): void;
}

export function makeCase(row: OpRow, inputs: Inputs, n: number): Case {
  const { dtype } = inputs;
  const rt = getRuntime();
  const k = dtype === 'float32' ? 'f32' : 'f64';
  const form = row.kind === 'ternary' ? 'scalar' : 'array';
  const simdKernel = rt.exports[kernelName(row, k, form)] as (...args: number[]) => number;
  const scalarKernel = rt.exports[kernelName(row, k, form, true)] as (...args: number[]) => number;
  const buffers = inputs.of(row).js;
  const js = { a: buffers.a.subarray(0, n), b: buffers.b.subarray(0, n), out: buffers.out.subarray(0, n) };
  // Arrays of exactly n elements, as lanes hands them out: what a caller passes.
  const l = { a: lanes.from(js.a), b: lanes.from(js.b), out: lanes.empty(n, dtype) };
  const loop = jsLoop(row, `${row.name} ${dtype} ${n}`);
  const op = lanes[row.name as 'add'] as unknown as (...args: unknown[]) => unknown;
  const reduction = row.kind === 'sum' || row.kind === 'dot';
  // The kernel ABI: (a, out, n), (a, b, out, n) or (a, b, n) for reductions;
  // a ternary op's numbers form (a, p, out, n) reads its two numbers at p, a
  // scan's (a, p, out, n) its starting sum (the kernels time that pass alone).
  const numbers = row.kind === 'ternary' ? lanes.from(TERNARY_NUMBERS, dtype) : row.kind === 'scan' ? lanes.from([-0], 'float64') : undefined;
  const kernelArgs = reduction
    ? [l.a.byteOffset, l.b.byteOffset, n]
    : row.kind === 'unary'
      ? [l.a.byteOffset, l.out.byteOffset, n]
      : [l.a.byteOffset, numbers?.byteOffset ?? l.b.byteOffset, l.out.byteOffset, n];
  const apiArgs = reduction
    ? row.kind === 'sum' ? [l.a] : [l.a, l.b]
    : row.kind === 'unary' || row.kind === 'scan' ? [l.a, l.out] : row.kind === 'ternary' ? [l.a, ...TERNARY_NUMBERS, l.out] : [l.a, l.b, l.out];
  const run: Record<Variant, () => number> = {
    js: () => callLoop(loop, js.a, js.b, js.out, n),
    scalar: () => scalarKernel(...kernelArgs),
    simd: () => simdKernel(...kernelArgs),
    lanes: () => {
      const r = op(...apiArgs);
      return typeof r === 'number' ? r : 0;
    },
  };
  // A reduction may differ from the JS loop's plain f64 sum by lanes' stated
  // bound (README, Accuracy) plus the loop's own error, both of which scale
  // with Σ|terms|: float32 sums in f32 lanes, and the loop rounds n times.
  let magnitude = 0;
  if (reduction) for (let i = 0; i < n; i++) magnitude += Math.abs(row.kind === 'sum' ? js.a[i] : js.a[i] * js.b[i]);
  const slack = magnitude * ((dtype === 'float32' ? 20 * 2 ** -24 : 200 * 2 ** -53) + n * 2 ** -53);
  const check = () => {
    const expected = run.js();
    const reference = Array.from(js.out);
    const bad: string[] = [];
    for (const variant of ['scalar', 'simd', 'lanes'] as const) {
      l.out.fill(NaN);
      const value = run[variant]();
      const ok = reduction ? Math.abs(value - expected) <= slack || Object.is(value, expected) : agrees(row, dtype, l.out, reference, n);
      if (!ok) bad.push(variant);
    }
    return bad;
  };
  // Warm-up on a short prefix, so that V8 has optimized the JS loop and tiered
  // the kernels up before timing starts, whatever n is (long loops tier late).
  const warm = () => {
    const w = Math.min(n, 512);
    const shortArgs = kernelArgs.slice();
    shortArgs[shortArgs.length - 1] = w;
    const short = [l.a, l.b, l.out].map((x) => lanes.from(x.subarray(0, w)));
    const shortApiArgs = apiArgs.map((x) => (typeof x === 'number' ? x : short[[l.a, l.b, l.out].indexOf(x as Floats)]));
    for (let i = 0; i < 4000; i++) {
      callLoop(loop, js.a, js.b, js.out, w);
      scalarKernel(...shortArgs);
      simdKernel(...shortArgs);
      op(...shortApiArgs);
    }
    short.forEach((x) => lanes.free(x));
  };
  const dispose = () => [l.a, l.b, l.out, ...(numbers ? [numbers] : [])].forEach((array) => lanes.free(array));
  return { row, dtype, n, run, check, warm, dispose };
}

/**
 * Times one (op, dtype, n) the bench's way: the case is made, warmed up and
 * checked against the JS loop, then each variant asked for is timed in one
 * tinybench run. Returns the median ns per element of each.
 */
export function timeCase<V extends Variant>(row: OpRow, inputs: Inputs, n: number, budget: Budget, variants: readonly V[]): Record<V, number> {
  const c = makeCase(row, inputs, n);
  try {
    c.warm();
    const wrong = c.check();
    if (wrong.length) throw new Error(`${row.name} ${inputs.dtype} n=${n}: ${wrong.join(', ')} disagree with the JS loop`);
    const estimate = (n * row.cost[inputs.dtype]) / 1e6;
    const t = medians(Object.fromEntries(variants.map((v) => [v, c.run[v]])), budget, repeatFor(estimate));
    return Object.fromEntries(variants.map((v) => [v, (t[v] * 1e6) / n])) as Record<V, number>;
  } finally {
    c.dispose();
  }
}

/**
 * Exact ops match bit for bit; exp and the others to a few ULPs (the JS loop
 * is itself inexact); a scan's running sums to n·2^-53, as either's order of
 * additions may round n times.
 */
function agrees(row: OpRow, dtype: Dtype, got: ArrayLike<number>, want: ArrayLike<number>, n: number): boolean {
  const tolerance = row.exact ? 0 : dtype === 'float32' ? 2 ** -22 : row.kind === 'scan' ? Math.max(2 ** -51, n * 2 ** -53) : 2 ** -51;
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (Object.is(g, w)) continue;
    if (row.jsError !== undefined ? !(Math.abs(g - w) <= row.jsError) : !(Math.abs(g - w) <= tolerance * Math.abs(w))) return false;
  }
  return true;
}
