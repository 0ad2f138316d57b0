// npm run bench -- --suite expr: fused expressions, each timed three ways on
// the same inputs: lanes.evaluate (compiled once), the same lanes ops
// composed one by one (with their temporaries), and a hand-fused JS loop;
// on 1 and 2 threads. Plus the targets' own references (lanes.exp alone,
// lanes.dot), the per-call cost at n = 1000 and a first compile.
import * as lanes from 'lanes';
import { getRuntime } from '../dist/dispatch/runtime.js';
import type { Template } from '../dist/expr/compile.js';
import { Expression } from '../dist/expr/run.js';
import { instantiateProgram } from '../dist/pool/program.js';
import { medians, repeatFor, type Budget } from './measure.js';
import { markdown } from './report.js';

type Dtype = 'float32' | 'float64';
type Floats = Float32Array | Float64Array;
type Vars = Record<string, Floats>;

interface ExprCase {
  source: string;
  names: string[];
  /** The same work by composed lanes ops, writing into out (or returning the number). */
  composed: (v: Vars, out: Floats) => unknown;
  /** One element of the hand-fused JS loop, on x = a[i] etc. */
  js: string;
  reduction?: boolean;
  /** A reference the targets compare with. */
  reference?: { label: string; run: (v: Vars, out: Floats) => unknown };
}

const free = (...xs: Floats[]) => xs.forEach((x) => lanes.free(x));

export const CASES: ExprCase[] = [
  {
    source: '2*a + 3*b*c',
    names: ['a', 'b', 'c'],
    composed: ({ a, b, c }, out) => {
      const t = lanes.mul(2, a), u = lanes.mul(3, b);
      lanes.mul(u, c, u);
      lanes.add(t, u, out);
      free(t, u);
    },
    js: 'out[i] = 2 * a[i] + 3 * b[i] * c[i];',
  },
  {
    source: 'a*b + c',
    names: ['a', 'b', 'c'],
    composed: ({ a, b, c }, out) => lanes.add(lanes.mul(a, b, out), c, out),
    js: 'out[i] = a[i] * b[i] + c[i];',
  },
  {
    source: 'exp(-(x*x)/2)',
    names: ['x'],
    composed: ({ x }, out) => {
      lanes.mul(x, x, out);
      lanes.neg(out, out);
      lanes.div(out, 2, out);
      lanes.exp(out, out);
    },
    js: 'out[i] = Math.exp(-(x[i] * x[i]) / 2);',
    reference: { label: 'lanes.exp(x)', run: ({ x }, out) => lanes.exp(x, out) },
  },
  {
    source: 'where(a > b, a - b, 0)',
    names: ['a', 'b'],
    // The ops have no where: max(a - b, 0) is the same for inputs without NaN.
    composed: ({ a, b }, out) => lanes.max(lanes.sub(a, b, out), 0, out),
    js: 'out[i] = a[i] > b[i] ? a[i] - b[i] : 0;',
  },
  {
    source: 'sum(a*b)',
    names: ['a', 'b'],
    composed: ({ a, b }) => {
      const t = lanes.mul(a, b);
      const s = lanes.sum(t);
      free(t);
      return s;
    },
    js: 's += a[i] * b[i];',
    reduction: true,
    reference: { label: 'lanes.dot(a, b)', run: ({ a, b }) => lanes.dot(a, b) },
  },
  {
    source: 'sqrt(x*x + y*y)',
    names: ['x', 'y'],
    composed: ({ x, y }, out) => {
      const t = lanes.mul(y, y);
      lanes.mul(x, x, out);
      lanes.add(out, t, out);
      lanes.sqrt(out, out);
      free(t);
    },
    js: 'out[i] = Math.sqrt(x[i] * x[i] + y[i] * y[i]);',
  },
];

/** The JS loop of a case, from its own source text (see cases.ts on why). */
function jsLoop(c: ExprCase): (v: Floats[], out: Floats, n: number) => number {
  const unpack = c.names.map((name, i) => `const ${name} = v[${i}];`).join(' ');
  const loop = c.reduction ? `let s = 0; for (let i = 0; i < n; i++) { ${c.js} } return s;` : `for (let i = 0; i < n; i++) { ${c.js} } return 0;`;
  return new Function('v', 'out', 'n', `/* ${c.source} */ ${unpack} ${loop}`) as never;
}

export interface ExprRow {
  source: string;
  dtype: Dtype;
  n: number;
  threads: number;
  /** Median ms per call. */
  evaluate: number;
  composed: number;
  js: number;
  reference?: number;
  referenceLabel?: string;
}

function fill(target: Floats, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < target.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    target[i] = -2 + (4 * s) / 2 ** 32;
  }
}

export async function exprSuite(budget: Budget, sizes: number[], threadCounts: number[], progress: (what: string) => void): Promise<{ rows: ExprRow[]; lines: string[] }> {
  const rows: ExprRow[] = [];
  for (const dtype of ['float32', 'float64'] as Dtype[]) {
    const max = Math.max(...sizes);
    const pool = Object.fromEntries(['a', 'b', 'c', 'x', 'y'].map((name, i) => {
      const array = lanes.empty(max, dtype);
      fill(array, 17 + i);
      return [name, array];
    }));
    const outAll = lanes.empty(max, dtype);
    for (const threads of threadCounts) {
      lanes.configure({ threads });
      await getRuntime().pool.ready();
      for (const c of CASES) {
        const f = lanes.compile(c.source);
        const loop = jsLoop(c);
        for (const n of sizes) {
          progress(`expr ${c.source} ${dtype} n=${n} threads=${threads}`);
          const v: Vars = Object.fromEntries(c.names.map((name) => [name, pool[name].subarray(0, n)]));
          const out = outAll.subarray(0, n);
          const list = c.names.map((name) => v[name]);
          const tasks: Record<string, () => unknown> = {
            evaluate: c.reduction ? () => f(v) : () => f(v, out),
            composed: () => c.composed(v, out),
            js: () => loop(list, out, n),
          };
          if (c.reference) tasks.reference = () => c.reference!.run(v, out);
          const t = medians(tasks, budget, repeatFor(n * 4e-6));
          rows.push({ source: c.source, dtype, n, threads, evaluate: t.evaluate, composed: t.composed, js: t.js, reference: t.reference, referenceLabel: c.reference?.label });
        }
      }
    }
    free(...Object.values(pool), outAll);
  }
  return { rows, lines: [...overheads(budget), '', table(rows)] };
}

/** The cost of a cached call at n = 1000 over its kernels' own time, and of a first compile. */
function overheads(budget: Budget): string[] {
  lanes.configure({ threads: 1 });
  const n = 1000;
  const a = lanes.empty(n, 'float64').fill(1.5);
  const b = lanes.empty(n, 'float64').fill(2);
  const c = lanes.empty(n, 'float64').fill(3);
  const out = lanes.empty(n, 'float64');
  const ex = getRuntime().exports as unknown as Record<string, (...args: number[]) => void>;
  const f = lanes.compile('a*b + c');
  const vars = { a, b, c };
  const generated = generatedKernel('a*b + c', vars, out);
  const t = medians(
    {
      kernels: () => {
        ex.vmul_f64(a.byteOffset, b.byteOffset, out.byteOffset, n);
        ex.vadd_f64(out.byteOffset, c.byteOffset, out.byteOffset, n);
      },
      generated,
      cached: () => f(vars, out),
      fresh: () => lanes.free(f(vars) as Floats),
    },
    budget,
    50,
  );
  // A 20-node expression, new each time (a literal changes), compiled and run once on 16 elements.
  let k = 0;
  const small = { a: a.subarray(0, 16), b: b.subarray(0, 16), c: c.subarray(0, 16), d: c.subarray(0, 16) };
  const first = medians({ compile: () => lanes.compile(`exp(a*b + c/d - sqrt(a*a + b*b) + min(c, d) * ${++k}) - abs(d)`)(small, out.subarray(0, 16)) }, budget, 1);
  const us = (ms: number) => (ms * 1000).toFixed(2);
  return [
    `Per call at n = 1000, float64, 1 thread: the kernels of a*b + c (vmul, vadd) alone ${us(t.kernels)} µs, its generated kernel alone ${us(t.generated)} µs; lanes.compile('a*b + c') with out ${us(t.cached)} µs (+${us(t.cached - t.kernels)} µs over the op kernels, +${us(t.cached - t.generated)} µs over its own), without out ${us(t.fresh)} µs (+${us(t.fresh - t.generated)} µs over its own).`,
    `First compile and call of a new 20-node expression: ${(first.compile).toFixed(3)} ms.`,
  ];
}

/** The kernel generated for `source` (float64 arrays of one length), called directly on this thread over the whole length. */
function generatedKernel(source: string, vars: Record<string, Floats>, out: Floats): () => void {
  const rt = getRuntime();
  const expression = new Expression(source, 'compile');
  expression.run(vars, out);
  const template = [...(expression as unknown as { templates: Map<string, Template> }).templates.values()][0];
  const kernels = [...rt.kernelIndex.keys()].map((name) => rt.exports[name] as never);
  const run = instantiateProgram(template.module!, rt.memory.memory, kernels);
  const { layout, scratchBytes } = template.kernel!;
  const args = rt.allocator.alloc(layout.bytes);
  const scratch = scratchBytes > 0 ? rt.allocator.alloc(scratchBytes) : 0;
  const i32 = new Int32Array(rt.memory.buffer);
  i32.set([1, scratch, scratchBytes], args / 4);
  i32.set([...Object.values(vars).map((v) => v.byteOffset), out.byteOffset], (args + layout.pointers) / 4);
  new Float64Array(rt.memory.buffer).set(template.consts, (args + layout.consts) / 8);
  const n = out.length;
  return () => run(args, 0, n, 0);
}

function table(rows: ExprRow[]): string {
  const ms = (x: number) => (x >= 1 ? x.toFixed(2) : x.toPrecision(3));
  return markdown(
    ['expression', 'dtype', 'n', 'threads', 'evaluate ms', 'composed ms', 'JS loop ms', 'vs composed', 'vs JS', 'reference'],
    rows.map((r) => [
      `\`${r.source}\``,
      r.dtype,
      String(r.n),
      String(r.threads),
      ms(r.evaluate),
      ms(r.composed),
      ms(r.js),
      `${(r.composed / r.evaluate).toFixed(2)}×`,
      `${(r.js / r.evaluate).toFixed(2)}×`,
      r.reference === undefined ? '' : `${r.referenceLabel} ${ms(r.reference)} ms: evaluate takes ${(r.evaluate / r.reference).toFixed(2)}×`,
    ]),
  );
}
