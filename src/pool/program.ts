// Program jobs: a wasm module made at run time (src/expr generates one per
// fused expression) that every thread instantiates over the same memory,
// beside the kernel module. The pool knows such a module only by id: the
// caller loads it (compiled once), and the supervisor posts it to every
// worker, which instantiates it the first time a job names it. A program's
// imports are env.memory, kernels of the kernel module, named
// k.<pool kernel index>, and kernels of kernel libraries (below), named
// l<library id>.<index>, so it can call them with no JS in between.
//
// A program exports run(args, start, length, thread) -> f64: the chunk
// [start, start + length) of the job whose arguments are at byte `args`; a
// reduction returns the chunk's partial. The args block starts with the
// number of threads that have scratch for the job (see src/expr/kernel.ts).
//
// A kernel library (a user module, lanes.load) is a program loaded with the
// names of its kernels: each thread instantiates it the same way and takes
// those exports, in that order, as a kernel table of its own. Its jobs are
// ordinary kernel jobs whose `library` is the program's id and whose
// `kernel` indexes that table.
import type { Kernel } from '../wasm/module.js';
import { warmKernels } from './warm.js';

export type ProgramRun = (args: number, start: number, length: number, thread: number) => number;

/** Runs chunk `i` (elements [start, start + length)); a reduction returns the chunk's partial. */
export type ProgramKernel = (start: number, length: number) => number;

/** A thread's kernel libraries by id (instantiated on first use). */
type Libraries = (id: number) => readonly Kernel[] | undefined;

/** Instantiates a program over `memory`, its kernel imports taken from this thread's `kernels` and `libraries` by index. */
export function instantiateProgram(module: WebAssembly.Module, memory: WebAssembly.Memory, kernels: readonly Kernel[], libraries: Libraries = () => undefined): ProgramRun {
  const instance = new WebAssembly.Instance(module, { env: { memory }, ...kernelImports(module, kernels, libraries) });
  return instance.exports.run as ProgramRun;
}

/** A program as threads receive it: the module, and for a kernel library the names of its kernels. */
export interface ProgramEntry {
  module: WebAssembly.Module;
  kernels?: string[];
}

/** Instantiates a kernel library over `memory` and returns its kernels named `names`, in that order. */
export function instantiateLibrary(module: WebAssembly.Module, memory: WebAssembly.Memory, kernels: readonly Kernel[], names: readonly string[]): Kernel[] {
  const instance = new WebAssembly.Instance(module, { env: { memory }, ...kernelImports(module, kernels, () => undefined) });
  return names.map((name) => {
    const kernel = instance.exports[name];
    if (typeof kernel !== 'function') throw new Error(`lanes: the loaded module has no kernel '${name}'`);
    return kernel as Kernel;
  });
}

/** The k and l<id> import objects of `module`. */
function kernelImports(module: WebAssembly.Module, kernels: readonly Kernel[], libraries: Libraries): Record<string, Record<string, Kernel>> {
  const imports: Record<string, Record<string, Kernel>> = { k: {} };
  for (const entry of WebAssembly.Module.imports(module)) {
    const library = /^l(\d+)$/.exec(entry.module);
    if (entry.module !== 'k' && !library) continue;
    const table = library ? libraries(Number(library[1])) : kernels;
    const kernel = table?.[Number(entry.name)];
    if (kernel === undefined) throw new Error(`lanes: a program imports kernel ${entry.module}.${entry.name}, which this thread does not have`);
    (imports[entry.module] ??= {})[entry.name] = kernel;
  }
  return imports;
}

/** The programs one thread knows: compiled modules by id, instantiated on first use. */
export class Programs {
  private readonly modules = new Map<number, ProgramEntry>();
  private readonly runs = new Map<number, ProgramRun>();
  private readonly libraries = new Map<number, Kernel[]>();

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly kernels: readonly Kernel[],
    /** Where a worker warms a library's kernels when it instantiates them (warm.ts); the caller's are timed at load instead. */
    private readonly warmScratch?: number,
  ) {}

  add(id: number, entry: ProgramEntry): void {
    this.modules.set(id, entry);
  }

  remove(id: number): void {
    this.modules.delete(id);
    this.runs.delete(id);
    this.libraries.delete(id);
  }

  /** The kernel names of library `id`. */
  kernelNames(id: number): readonly string[] | undefined {
    return this.modules.get(id)?.kernels;
  }

  has(id: number): boolean {
    return this.modules.has(id);
  }

  get(id: number): ProgramRun | undefined {
    let run = this.runs.get(id);
    if (!run) {
      const entry = this.modules.get(id);
      if (!entry) return undefined;
      this.runs.set(id, (run = instantiateProgram(entry.module, this.memory, this.kernels, (library) => this.library(library))));
    }
    return run;
  }

  /** The kernels of library `id`, instantiated on first use. */
  library(id: number): Kernel[] | undefined {
    let kernels = this.libraries.get(id);
    if (!kernels) {
      const entry = this.modules.get(id);
      if (!entry?.kernels) return undefined;
      this.libraries.set(id, (kernels = instantiateLibrary(entry.module, this.memory, this.kernels, entry.kernels)));
      if (this.warmScratch !== undefined) warmKernels(kernels, this.warmScratch);
    }
    return kernels;
  }

  /** Every module, for a worker that starts now. */
  entries(): [number, ProgramEntry][] {
    return [...this.modules];
  }
}

/** Threads that have scratch for the job whose args block is at `args` (word 0). */
export function programSlots(buffer: ArrayBufferLike, args: number): number {
  return new Int32Array(buffer, args, 1)[0];
}
