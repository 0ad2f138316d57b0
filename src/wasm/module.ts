import { readFileSync } from 'node:fs';

/** The built kernel module, beside dist/ in the package. */
const WASM_FILE = new URL('../../build/lanes.wasm', import.meta.url);

let compiled: WebAssembly.Module | undefined;

/** The module, compiled once per process and shared with every worker. */
export function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(WASM_FILE));
  return compiled;
}

// Kernel signatures, by the shape of their arguments (see assembly/index.ts).
// Pointers are byte offsets into the shared memory; n counts elements.
export type UnaryKernel = (a: number, out: number, n: number) => void;
export type BinaryKernel = (a: number, b: number, out: number, n: number) => void;
export type ScalarKernel = (a: number, c: number, out: number, n: number) => void;
export type ReduceKernel = (a: number, b: number, n: number) => number;
export type Kernel = UnaryKernel | BinaryKernel | ScalarKernel | ReduceKernel;

export interface KernelExports {
  heapBase(): number;
  readonly [name: string]: Kernel | (() => number) | WebAssembly.Memory;
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
