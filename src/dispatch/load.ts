// lanes.load: a user module of kernels (built by lanes-build from
// AssemblyScript that imports lanes/assembly) becomes ops that behave like
// lanes' own: checked operands, out, numbers, the chunk plan, every thread,
// promise twins with a signal. The module is compiled once and each thread
// instantiates it over the one memory, as a kernel library of the pool.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { badModule, typeError } from '../errors.js';
import { DTYPES, type Dtype } from '../memory/arrays.js';
import { checkStateless, KINDS_SECTION, parseKindsSection, readAbi, type AbiOp } from '../ops/abi.js';
import type { KernelDtype } from '../ops/registry.js';
import { readModule } from '../wasm/reader.js';
import { simdFlavor, type Kernel } from '../wasm/module.js';
import { asyncFn, syncFn, VERSION } from './api.js';
import type { LoadedRow } from './call.js';
import { getRuntime, type KernelIds, type Runtime } from './runtime.js';

/** A module: bytes, a path, a file: or http(s): URL, or one per build ({ strict, relaxed }) chosen as lanes' own module is. */
export type ModuleSource = string | URL | ArrayBuffer | ArrayBufferView;
export type LoadSource = ModuleSource | { strict: ModuleSource; relaxed?: ModuleSource };

export interface LoadOptions {
  /**
   * Nanoseconds per element on one thread, in cache, per dtype: what the
   * chunk plan sizes chunks from (the op table's `cost`). Without it, each
   * kernel is timed at load on a few thousand elements.
   */
  cost?: { float32?: number; float64?: number };
}

/** The calls below this many nanoseconds of work run inline on the caller (the built-in ops' cutoffs are 2–6 µs). */
const CUTOFF_NS = 4_000;
/** Elements per timing run of the calibration, and the warm-up before it. */
const CALIBRATION_ELEMENTS = 4096;
const WARM_ELEMENTS = 16384;
/** How long the calibration times each kernel (the fastest run counts). */
const CALIBRATION_MS = 1;

const DTYPE_OF: Record<KernelDtype, Dtype> = { f32: 'float32', f64: 'float64' };

/** A loaded module's ops, by name. */
export type LoadedOps<F> = Record<string, F>;

/** Every op loaded so far, by name (a later load of a name replaces the earlier): fused expressions call them. */
const LOADED = new Map<string, LoadedRow>();

export function loadedRows(): ReadonlyMap<string, LoadedRow> {
  return LOADED;
}

/** Loads a module of user kernels; resolves to its ops, by name: blocking ones, or with `promises` the promise twins. */
export async function loadModule(source: LoadSource, options: LoadOptions = {}, promises = false): Promise<Record<string, (...args: never[]) => unknown>> {
  if (typeof options !== 'object' || options === null) throw typeError('load', 'options', 'an object', options);
  for (const key of Object.keys(options)) if (key !== 'cost') throw new TypeError(`lanes.load: unknown option '${key}'; the options are: cost`);
  const cost = checkCost(options.cost);
  const bytes = await readSource(pick(source));
  let info;
  try {
    info = readModule(bytes);
  } catch (error) {
    throw badModule('load', `the source is not a WebAssembly module: ${(error as Error).message}`);
  }
  checkStateless('load', info);
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (error) {
    throw badModule('load', `the module does not compile on this engine (V8 ${process.versions.v8}): ${(error as Error).message}`);
  }
  const section = parseKindsSection('load', WebAssembly.Module.customSections(module, KINDS_SECTION));
  if (section && section.lanes !== VERSION) {
    throw badModule('load', `the module was built with lanes ${section.lanes}, and this is lanes ${VERSION}: rebuild it with this version's lanes-build (the constant block kernels read is laid out per version)`);
  }
  const ops = readAbi('load', info, section?.kinds);
  if (ops.length === 0) throw badModule('load', 'the module exports no kernels (see docs/abi.md)');

  const rt = getRuntime();
  const names: string[] = [];
  const index = (name: string | undefined) => {
    if (name === undefined) return -1;
    names.push(name);
    return names.length - 1;
  };
  const ids = ops.map((op) => {
    const forDtype = (d: KernelDtype): KernelIds => {
      const set = op.kernels[d];
      return { array: index(set?.array), scalar: index(set?.scalar), reversed: index(set?.reversed) };
    };
    return { float32: forDtype('f32'), float64: forDtype('f64') };
  });
  let library: { id: number; kernels: Kernel[] };
  try {
    library = rt.pool.loadLibrary(module, names);
  } catch (error) {
    throw badModule('load', `the module does not link: ${(error as Error).message} (a lanes module imports only env.memory, the shared memory)`);
  }
  const api: Record<string, (...args: never[]) => unknown> = {};
  ops.forEach((op, i) => {
    const row = rowFor(rt, op, library, ids[i], cost);
    LOADED.set(op.name, row);
    const fn = (promises ? asyncFn : syncFn)(row) as (...args: never[]) => unknown;
    Object.defineProperty(fn, 'name', { value: op.name });
    api[op.name] = fn;
  });
  return api;
}

function rowFor(rt: Runtime, op: AbiOp, library: { id: number; kernels: Kernel[] }, ids: Record<Dtype, KernelIds>, given: LoadOptions['cost']): LoadedRow {
  const costs = { float32: 0, float64: 0 };
  const cutoffs = { float32: 0, float64: 0 };
  const exportNames = { float32: `${op.kind === 'sum' || op.kind === 'dot' ? 'r' : 'v'}${op.name}_f32`, float64: '' };
  exportNames.float64 = exportNames.float32.replace(/_f32$/, '_f64');
  for (const dtype of ['float32', 'float64'] as const) {
    const id = ids[dtype].array;
    if (id < 0) continue;
    costs[dtype] = given?.[dtype] ?? calibrate(rt, op.kind, library.kernels[id], DTYPES[dtype].bytes);
    cutoffs[dtype] = cutoffFor(costs[dtype]);
  }
  return {
    name: op.name,
    kind: op.kind,
    kernel: op.name,
    js: '',
    exact: false,
    cost: costs,
    cutoff: cutoffs,
    summary: `loaded ${op.kind} op`,
    library: library.id,
    ids,
    kernels: library.kernels,
    exportNames,
  };
}

/** The least power of two of elements whose work is at least CUTOFF_NS. */
export function cutoffFor(nsPerElement: number): number {
  const n = CUTOFF_NS / Math.max(nsPerElement, 1e-3);
  return Math.min(1 << 20, Math.max(1024, 2 ** Math.ceil(Math.log2(n))));
}

/**
 * Nanoseconds per element of one kernel on this thread, in cache: a warm-up
 * call (so that V8 starts optimizing it), then the fastest of as many timed
 * runs as fit in CALIBRATION_MS. The inputs are values in [-2, 2].
 */
function calibrate(rt: Runtime, kind: string, kernel: Kernel, elemBytes: number): number {
  const region = WARM_ELEMENTS * elemBytes;
  const start = rt.ownBlock(3 * region);
  try {
    const view = new (elemBytes === 4 ? Float32Array : Float64Array)(rt.memory.buffer as unknown as ArrayBuffer, start, 3 * WARM_ELEMENTS);
    for (let i = 0; i < view.length; i++) view[i] = ((i * 0.618034) % 4) - 2;
    const a = start, b = start + region, out = start + 2 * region;
    const call = (n: number) => {
      if (kind === 'unary') (kernel as (a: number, out: number, n: number) => void)(a, out, n);
      else if (kind === 'binary') (kernel as (a: number, b: number, out: number, n: number) => void)(a, b, out, n);
      else (kernel as (a: number, b: number, n: number) => number)(a, b, n);
    };
    call(WARM_ELEMENTS);
    let best = Infinity;
    const until = performance.now() + CALIBRATION_MS;
    for (let run = 0; run < 3 || performance.now() < until; run++) {
      const t = performance.now();
      call(CALIBRATION_ELEMENTS);
      best = Math.min(best, performance.now() - t);
    }
    return Math.max(0.01, (best * 1e6) / CALIBRATION_ELEMENTS);
  } finally {
    rt.allocator.free(start);
  }
}

function checkCost(cost: unknown): LoadOptions['cost'] {
  if (cost === undefined) return undefined;
  if (typeof cost !== 'object' || cost === null) throw typeError('load', 'options.cost', 'an object { float32?, float64? }', cost);
  for (const [key, value] of Object.entries(cost)) {
    if (key !== 'float32' && key !== 'float64') throw new TypeError(`lanes.load: unknown dtype '${key}' in options.cost; the dtypes are: float32, float64`);
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw typeError('load', `options.cost.${key}`, 'a positive number of nanoseconds per element', value);
  }
  return cost as LoadOptions['cost'];
}

/** { strict, relaxed }: the build lanes' own module runs as (relaxed where the engine validates it). */
function pick(source: LoadSource): ModuleSource {
  if (typeof source === 'object' && source !== null && !(source instanceof URL) && !(source instanceof ArrayBuffer) && !ArrayBuffer.isView(source)) {
    const { strict, relaxed } = source as { strict: ModuleSource; relaxed?: ModuleSource };
    if (strict === undefined) throw typeError('load', 'source.strict', 'a module (bytes, a path or a URL)', strict);
    return simdFlavor() === 'relaxed' && relaxed !== undefined ? relaxed : strict;
  }
  return source;
}

async function readSource(source: ModuleSource): Promise<Uint8Array> {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  let url: URL | undefined;
  if (source instanceof URL) url = source;
  else if (typeof source === 'string') {
    if (/^(file|https?):/i.test(source)) url = new URL(source);
    else return readFile(source).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  } else throw typeError('load', 'source', 'a Uint8Array, ArrayBuffer, path, URL or { strict, relaxed }', source);
  if (url.protocol === 'file:') return new Uint8Array(await readFile(fileURLToPath(url)));
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`lanes.load: ${url.href} answered ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  throw badModule('load', `cannot read a module from a ${url.protocol} URL; give bytes, a path, or a file: or http(s): URL`);
}
