// Outputs of a benchmark run: the console table, the JSON file, and one SVG
// chart per op of speedup over the JS loop against n (drawn by vega-lite).
import { writeFileSync } from 'node:fs';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { LABELS, VARIANTS, type Variant } from './cases.js';

export interface Row {
  op: string;
  dtype: string;
  n: number;
  /** Median ns per element of each variant. */
  ns: Record<Variant, number>;
  /** GB/s of each variant: bytes read + written per second. */
  gbps: Record<Variant, number>;
  /** lanes' GB/s as a share of the copy bandwidth, for ops that only move memory. */
  roofline?: number;
}

const fmt = (x: number, digits = 2) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(digits));
const sizeName = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : `${n}`);

export function table(rows: Row[]): string {
  const head = ['op', 'dtype', 'n', 'JS ns/el', 'scalar ns/el', 'SIMD ns/el', 'lanes ns/el', 'lanes GB/s', '% copy', 'SIMD vs JS', 'lanes vs JS', 'lanes vs SIMD'];
  const body = rows.map((r) => [
    r.op,
    r.dtype,
    sizeName(r.n),
    fmt(r.ns.js, 3),
    fmt(r.ns.scalar, 3),
    fmt(r.ns.simd, 3),
    fmt(r.ns.lanes, 3),
    fmt(r.gbps.lanes, 1),
    r.roofline === undefined ? '' : `${(r.roofline * 100).toFixed(0)}%`,
    `${fmt(r.ns.js / r.ns.simd)}×`,
    `${fmt(r.ns.js / r.ns.lanes)}×`,
    `${fmt(r.ns.simd / r.ns.lanes)}×`,
  ]);
  return markdown(head, body);
}

/** A markdown table: the first `left` columns aligned left, the rest (figures) right. */
export function markdown(head: string[], body: string[][], left = 3): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(head), `| ${widths.map((w, i) => (i < left ? '-'.repeat(w) : '-'.repeat(w - 1) + ':')).join(' | ')} |`, ...body.map(line)].join('\n');
}

export function writeJson(file: string, data: unknown): void {
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}

/** One chart for an op: speedup over the JS loop against n, by variant and dtype. */
export async function chart(op: string, rows: Row[], threads: number): Promise<string> {
  const values = rows.flatMap((r) =>
    VARIANTS.filter((v) => v !== 'js').map((v) => ({
      n: r.n,
      speedup: r.ns.js / r.ns[v],
      variant: v === 'lanes' ? `${LABELS[v].replace('threads', `${threads} threads`)}` : LABELS[v],
      dtype: r.dtype,
    })),
  );
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${op}: speedup over a plain JS loop`, subtitle: 'median of each run; higher is faster' },
    width: 520,
    height: 300,
    data: { values },
    layer: [
      { mark: { type: 'rule', strokeDash: [2, 2], color: '#999' }, encoding: { y: { datum: 1 } } },
      {
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'n', type: 'quantitative', scale: { type: 'log', nice: false }, title: 'elements (n)', axis: { format: '~s' } },
          y: { field: 'speedup', type: 'quantitative', scale: { type: 'log' }, title: 'speedup (×)' },
          color: { field: 'variant', type: 'nominal', title: null, sort: ['wasm scalar, 1 thread', 'wasm SIMD, 1 thread'] },
          strokeDash: { field: 'dtype', type: 'nominal', title: null },
          shape: { field: 'dtype', type: 'nominal', title: null },
        },
      },
    ],
    config: { legend: { orient: 'bottom', columns: 3, labelLimit: 320 } },
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}
