import { readFileSync } from 'node:fs';

/**
 * The two builds of the kernel module, beside dist/ in the package: `strict`
 * uses only WebAssembly SIMD; `relaxed` also uses relaxed SIMD (relaxed_madd,
 * which engines fuse where the CPU has FMA). Both are held to the same error
 * bounds; their results may differ in the last bit of non-exact ops.
 */
const FILES = {
  strict: new URL('../../build/lanes.wasm', import.meta.url),
  relaxed: new URL('../../build/lanes-relaxed.wasm', import.meta.url),
} as const;

export type SimdFlavor = keyof typeof FILES;

let chosen: { flavor: SimdFlavor; module: WebAssembly.Module } | undefined;

/**
 * The module this process runs, compiled once and shared with every worker,
 * so every thread runs the same code: relaxed where the engine validates it
 * (Node ≥ 21 by default), else strict. LANES_SIMD=strict or relaxed forces one.
 */
export function kernelModule(): WebAssembly.Module {
  return choose().module;
}

/** Which build kernelModule() runs. */
export function simdFlavor(): SimdFlavor {
  return choose().flavor;
}

function choose(): { flavor: SimdFlavor; module: WebAssembly.Module } {
  if (chosen) return chosen;
  const wanted = process.env.LANES_SIMD;
  if (wanted !== undefined && wanted !== '' && wanted !== 'strict' && wanted !== 'relaxed') {
    throw new RangeError(`lanes: LANES_SIMD must be 'strict' or 'relaxed' (or unset, to choose by the engine), got '${wanted}'`);
  }
  const relaxed = wanted === 'strict' ? undefined : readFileSync(FILES.relaxed);
  if (relaxed && WebAssembly.validate(relaxed)) {
    chosen = { flavor: 'relaxed', module: new WebAssembly.Module(relaxed) };
  } else if (wanted === 'relaxed') {
    throw new RangeError(`lanes: LANES_SIMD=relaxed, but this engine (V8 ${process.versions.v8}) does not validate relaxed SIMD; Node 20 needs --experimental-wasm-relaxed-simd`);
  } else {
    chosen = { flavor: 'strict', module: new WebAssembly.Module(readFileSync(FILES.strict)) };
  }
  return chosen;
}

// Kernel signatures, by the shape of their arguments (see assembly/index.ts).
// Pointers are byte offsets into the shared memory; n counts elements.
export type UnaryKernel = (a: number, out: number, n: number) => void;
export type BinaryKernel = (a: number, b: number, out: number, n: number) => void;
export type ScalarKernel = (a: number, c: number, out: number, n: number) => void;
export type TernaryKernel = (a: number, b: number, c: number, out: number, n: number) => void;
export type ReduceKernel = (a: number, b: number, n: number) => number;
export type Kernel = UnaryKernel | BinaryKernel | ScalarKernel | TernaryKernel | ReduceKernel;

export interface KernelExports {
  heapBase(): number;
  /** Fills the constant block below heapBase(); once per memory, before other threads instantiate. */
  writeConstants(): void;
  readonly [name: string]: Kernel | (() => number) | (() => void) | WebAssembly.Memory;
}

/**
 * Instantiates the module over `memory`. The module has no data segments,
 * so instantiating writes no byte of the memory: safe while other threads
 * are using it.
 */
export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
}

/** The kernels named, looked up in an instance's exports in that order. */
export function kernelTable(exports: KernelExports, names: readonly string[]): Kernel[] {
  return names.map((name) => {
    const kernel = exports[name];
    if (typeof kernel !== 'function') throw new Error(`lanes: the wasm module has no kernel '${name}'`);
    return kernel as Kernel;
  });
}
