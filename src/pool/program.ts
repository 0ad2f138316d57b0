// Program jobs: a wasm module made at run time (src/expr generates one per
// fused expression) that every thread instantiates over the same memory,
// beside the kernel module. The pool knows such a module only by id: the
// caller loads it (compiled once), and the supervisor posts it to every
// worker, which instantiates it the first time a job names it. A program's
// imports are env.memory and kernels of the kernel module, named
// k.<pool kernel index>, so it can call them with no JS in between.
//
// A program exports run(args, start, length, thread) -> f64: the chunk
// [start, start + length) of the job whose arguments are at byte `args`; a
// reduction returns the chunk's partial. The args block starts with the
// number of threads that have scratch for the job (see src/expr/kernel.ts).
import type { Kernel } from '../wasm/module.js';

export type ProgramRun = (args: number, start: number, length: number, thread: number) => number;

/** Runs chunk `i` (elements [start, start + length)); a reduction returns the chunk's partial. */
export type ProgramKernel = (start: number, length: number) => number;

/** Instantiates a program over `memory`, its kernel imports taken from this thread's `kernels` by index. */
export function instantiateProgram(module: WebAssembly.Module, memory: WebAssembly.Memory, kernels: readonly Kernel[]): ProgramRun {
  const k: Record<string, Kernel> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    if (entry.module !== 'k') continue;
    const kernel = kernels[Number(entry.name)];
    if (kernel === undefined) throw new Error(`lanes: a program imports kernel ${entry.name}, which the pool does not have`);
    k[entry.name] = kernel;
  }
  const instance = new WebAssembly.Instance(module, { env: { memory }, k });
  return instance.exports.run as ProgramRun;
}

/** The programs one thread knows: compiled modules by id, instantiated on first use. */
export class Programs {
  private readonly modules = new Map<number, WebAssembly.Module>();
  private readonly runs = new Map<number, ProgramRun>();

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly kernels: readonly Kernel[],
  ) {}

  add(id: number, module: WebAssembly.Module): void {
    this.modules.set(id, module);
  }

  remove(id: number): void {
    this.modules.delete(id);
    this.runs.delete(id);
  }

  has(id: number): boolean {
    return this.modules.has(id);
  }

  get(id: number): ProgramRun | undefined {
    let run = this.runs.get(id);
    if (!run) {
      const module = this.modules.get(id);
      if (!module) return undefined;
      this.runs.set(id, (run = instantiateProgram(module, this.memory, this.kernels)));
    }
    return run;
  }

  /** Every module, for a worker that starts now. */
  entries(): [number, WebAssembly.Module][] {
    return [...this.modules];
  }
}

/** Threads that have scratch for the job whose args block is at `args` (word 0). */
export function programSlots(buffer: ArrayBufferLike, args: number): number {
  return new Int32Array(buffer, args, 1)[0];
}
