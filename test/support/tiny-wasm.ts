// Hand-made modules for the tests of lanes.load's checks: each function
// either does nothing (returning 0 if it has a result) or traps.
import { leb } from '../../src/wasm/reader.js';

type T = 'i32' | 'f32' | 'f64';
const CODE: Record<T, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c };

export interface TinyFunction {
  name: string;
  params: T[];
  result?: T;
  trap?: boolean;
}

export interface TinyModule {
  functions: TinyFunction[];
  /** Adds a data segment (one byte at 1024). */
  data?: boolean;
  /** Adds a mutable i32 global. */
  mutableGlobal?: boolean;
  /** Imports env.seed, a function, besides the memory. */
  extraImport?: boolean;
  /** Custom sections to append. */
  custom?: Record<string, string>;
}

const name = (s: string) => {
  const b = [...new TextEncoder().encode(s)];
  return [...leb(b.length), ...b];
};
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];

export function tinyModule(spec: TinyModule): Uint8Array {
  const fns = spec.functions;
  const types = fns.map((f) => [0x60, ...vec(f.params.map((p) => [CODE[p]])), ...(f.result ? [1, CODE[f.result]] : [0])]);
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x03, 0x00, ...leb(65536)]];
  const importedFns = spec.extraImport ? 1 : 0;
  if (spec.extraImport) {
    types.push([0x60, 0, 0]);
    imports.push([...name('env'), ...name('seed'), 0x00, ...leb(types.length - 1)]);
  }
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  bytes.push(...section(1, vec(types)));
  bytes.push(...section(2, vec(imports)));
  bytes.push(...section(3, vec(fns.map((_, i) => leb(i)))));
  if (spec.mutableGlobal) bytes.push(...section(6, vec([[0x7f, 0x01, 0x41, 0x00, 0x0b]])));
  bytes.push(...section(7, vec(fns.map((f, i) => [...name(f.name), 0x00, ...leb(i + importedFns)]))));
  const zero: Record<T, number[]> = { i32: [0x41, 0x00], f32: [0x43, 0, 0, 0, 0], f64: [0x44, 0, 0, 0, 0, 0, 0, 0, 0] };
  const bodies = fns.map((f) => {
    const code = [0x00, ...(f.trap ? [0x00] : f.result ? zero[f.result] : []), 0x0b];
    return [...leb(code.length), ...code];
  });
  bytes.push(...section(10, vec(bodies)));
  if (spec.data) bytes.push(...section(11, vec([[0x00, 0x41, ...[0x80, 0x08], 0x0b, 1, 0x2a]])));
  for (const [key, value] of Object.entries(spec.custom ?? {})) bytes.push(...section(0, [...name(key), ...new TextEncoder().encode(value)]));
  return new Uint8Array(bytes);
}

/** The kernels of a well-formed binary op `name`, f32 only, optionally trapping. */
export function binaryOp(op: string, trap = false): TinyFunction[] {
  return [{ name: `v${op}_f32`, params: ['i32', 'i32', 'i32', 'i32'], trap }];
}
