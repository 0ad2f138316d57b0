// The kernel ABI, read back from a module's exports: which op each export
// is, of which kind and dtype, in which form. lanes.load reads a user
// module with it, lanes-build checks one, and a test reads lanes' own
// module with it against the op table. The rules are docs/abi.md.
import { formatSignature, type ModuleInfo, type Signature, type WasmType } from '../wasm/reader.js';
import type { KernelDtype, OpKind } from './registry.js';

/** The custom section lanes-build writes: the lanes version, and each reduction's kind. */
export const KINDS_SECTION = 'lanes-kinds';
export interface KindsSection {
  lanes: string;
  kinds: Record<string, 'sum' | 'dot'>;
}

/** An op's kernels for one dtype: the export names of its forms. */
export interface KernelSet {
  /** array ∘ array, the unary op, or the reduction */
  array: string;
  /** array ∘ number */
  scalar?: string;
  /** number ∘ array */
  reversed?: string;
}

export interface AbiOp {
  /** The op's name in the exports (v<name>_f32), and the function lanes.load returns. */
  name: string;
  kind: OpKind;
  kernels: Partial<Record<KernelDtype, KernelSet>>;
}

const NAME = /^(v|r)([a-z][a-z0-9]*)_(f32|f64)(_scalar)?$/;

/** The export names an op may have (for messages). */
export const ABI_SUMMARY =
  'v<op>_<dtype>(a, b, out, n), v<op>c_<dtype>(a, c, out, n), vr<op>c_<dtype>(a, c, out, n), v<op>_<dtype>(a, out, n) or r<op>_<dtype>(a, b, n) -> f64, <dtype> f32 or f64, <op> lowercase letters and digits';

export class AbiError extends TypeError {}

const sig = (params: WasmType[], results: WasmType[] = []): Signature => ({ params, results });
const same = (a: Signature, b: Signature) => formatSignature(a) === formatSignature(b);

/** The signature each form of kernel has, for a dtype. */
export function expectedSignature(kind: 'unary' | 'binary' | 'number' | 'reduction', dtype: KernelDtype): Signature {
  switch (kind) {
    case 'unary':
      return sig(['i32', 'i32', 'i32']);
    case 'binary':
      return sig(['i32', 'i32', 'i32', 'i32']);
    case 'number':
      return sig(['i32', dtype, 'i32', 'i32']);
    case 'reduction':
      return sig(['i32', 'i32', 'i32'], ['f64']);
  }
}

/**
 * The ops a module's exports define. `kinds` tells one-array reductions
 * (sum) from two-array ones (dot): their signatures are the same. Throws an
 * AbiError naming the first export that breaks the ABI; `ignore` lists
 * exports that are not kernels and may stay (lanes' own heapBase...).
 */
export function readAbi(fn: string, info: ModuleInfo, kinds: Record<string, 'sum' | 'dot'> | undefined, ignore: readonly string[] = []): AbiOp[] {
  const fail = (name: string, what: string) => new AbiError(`lanes.${fn}: export '${name}' ${what}`);
  const ops = new Map<string, AbiOp>();
  const op = (name: string, kind: OpKind, exportName: string): AbiOp => {
    let o = ops.get(name);
    if (!o) ops.set(name, (o = { name, kind, kernels: {} }));
    if (o.kind !== kind) {
      const other = Object.values(o.kernels).map((k) => k!.array)[0] ?? name;
      throw fail(exportName, `makes '${name}' a ${kind} op, but '${other}' makes it ${o.kind}`);
    }
    return o;
  };
  const numberForms: { exportName: string; stem: string; dtype: KernelDtype }[] = [];
  for (const e of info.exports) {
    if (ignore.includes(e.name)) continue;
    if (e.kind === 'memory') continue;
    if (e.kind !== 'function') throw fail(e.name, `is a ${e.kind}; a lanes module exports only kernels (${ABI_SUMMARY})`);
    const m = NAME.exec(e.name);
    if (!m) throw fail(e.name, `is not a kernel name: kernels are ${ABI_SUMMARY}`);
    const [, prefix, stem, dtype, scalarTwin] = m as unknown as [string, 'v' | 'r', string, KernelDtype, string | undefined];
    const s = e.signature!;
    const expect = (kind: 'unary' | 'binary' | 'number' | 'reduction', what: string) => {
      const want = expectedSignature(kind, dtype);
      if (!same(s, want)) throw fail(e.name, `is ${formatSignature(s)}, but ${what} must be ${formatSignature(want)}`);
    };
    if (prefix === 'r') {
      expect('reduction', 'a reduction r<op>_<dtype>(a, b, n)');
      if (scalarTwin) continue;
      const kind = kinds?.[e.name];
      if (kind === undefined) {
        throw fail(e.name, `is a reduction, and nothing says whether it reads one array or two (the same signature): build the module with lanes-build, which records it in the '${KINDS_SECTION}' section`);
      }
      if (kind !== 'sum' && kind !== 'dot') throw fail(e.name, `has kind '${String(kind)}' in the '${KINDS_SECTION}' section; expected 'sum' or 'dot'`);
      op(stem, kind, e.name).kernels[dtype] = { array: e.name };
      continue;
    }
    const params = s.params.length;
    if (params === 3) {
      expect('unary', 'a unary kernel v<op>_<dtype>(a, out, n)');
      if (!scalarTwin) op(stem, 'unary', e.name).kernels[dtype] = { array: e.name };
    } else if (params === 4 && (s.params[1] === 'f32' || s.params[1] === 'f64')) {
      if (!stem.endsWith('c') || stem.length < 2) throw fail(e.name, `is ${formatSignature(s)}, an array ∘ number kernel, whose name must end in c: v<op>c_${dtype}`);
      expect('number', `an array ∘ number kernel v<op>c_${dtype}(a, c, out, n)`);
      if (!scalarTwin) numberForms.push({ exportName: e.name, stem: stem.slice(0, -1), dtype });
    } else {
      expect('binary', 'a binary kernel v<op>_<dtype>(a, b, out, n)');
      if (!scalarTwin) op(stem, 'binary', e.name).kernels[dtype] = { array: e.name };
    }
  }
  // v<op>c is op's array ∘ number form; vr<op>c its number ∘ array form if
  // the module has a binary op <op>, else the array ∘ number form of r<op>.
  for (const { exportName, stem, dtype } of numberForms) {
    const reversedOf = stem.startsWith('r') ? ops.get(stem.slice(1)) : undefined;
    const reversed = reversedOf?.kind === 'binary' && reversedOf.kernels[dtype] !== undefined && !ops.has(stem);
    const target = ops.get(reversed ? stem.slice(1) : stem);
    const set = target?.kernels[dtype];
    if (!target || target.kind !== 'binary' || !set) {
      throw fail(exportName, `is an array ∘ number kernel, but the module has no binary kernel v${stem}_${dtype}(a, b, out, n) for it to belong to`);
    }
    if (reversed) set.reversed = exportName;
    else set.scalar = exportName;
  }
  return [...ops.values()];
}

/** The kinds in a module's lanes-kinds section, if it has one; throws if it is malformed. */
export function parseKindsSection(fn: string, sections: ArrayBuffer[]): KindsSection | undefined {
  if (sections.length === 0) return undefined;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(sections[sections.length - 1])) as KindsSection;
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.kinds !== 'object' || parsed.kinds === null) throw new Error('no kinds');
    return parsed;
  } catch (error) {
    throw new AbiError(`lanes.${fn}: the module's '${KINDS_SECTION}' section is not the JSON lanes-build writes (${(error as Error).message})`);
  }
}

/**
 * The rules that keep a module safe to instantiate while other threads run
 * (DESIGN §2): no data segments (instantiating would rewrite their bytes, and
 * they would sit on lanes' constant block), no globals it can change (a
 * kernel keeps no state; the stub runtime's allocator is one), and no
 * imports but the shared memory.
 */
export function checkStateless(fn: string, info: ModuleInfo): void {
  if (info.dataSegments > 0) {
    throw new AbiError(`lanes.${fn}: the module has ${info.dataSegments} data segment(s) (static data: a string, a constant array, memory.data, or a std function with a lookup table, such as Math.log); a lanes module may have none, since every thread instantiating it would rewrite those bytes`);
  }
  if (info.mutableGlobals > 0) {
    throw new AbiError(`lanes.${fn}: the module has ${info.mutableGlobals} mutable global(s) (state, such as the allocator that 'new' uses); lanes kernels keep no state and allocate nothing`);
  }
  for (const entry of info.imports) {
    if (entry.module === 'env' && entry.name === 'memory' && entry.kind === 'memory') continue;
    throw new AbiError(`lanes.${fn}: the module imports ${entry.kind} '${entry.module}.${entry.name}'; a lanes module imports only env.memory (built with lanes-build: --importMemory, --use abort=)`);
  }
  if (!info.imports.some((i) => i.kind === 'memory')) {
    throw new AbiError(`lanes.${fn}: the module does not import its memory; a lanes module imports env.memory, the shared memory (build it with lanes-build)`);
  }
}
