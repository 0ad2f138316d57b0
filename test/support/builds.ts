// The two builds of the kernel module, strict and relaxed, each runnable on
// its own, whichever one the runtime chose. An engine that does not validate
// relaxed SIMD (Node 20) cannot compile the relaxed build: tests of it skip
// there, and run on Node 24 and 26.
import { readFileSync } from 'node:fs';

export interface Build {
  name: 'strict' | 'relaxed';
  bytes: Buffer;
  /** Whether this engine can compile it. */
  compiles: boolean;
}

export const BUILDS: Build[] = (['strict', 'relaxed'] as const).map((name) => {
  const bytes = readFileSync(new URL(`../../build/${name === 'strict' ? 'lanes' : 'lanes-relaxed'}.wasm`, import.meta.url));
  return { name, bytes, compiles: WebAssembly.validate(bytes) };
});

type View = Float32Array | Float64Array;
type ElementKernel = (a: number, out: number, n: number) => void;
type BinaryKernel = (a: number, b: number, out: number, n: number) => void;

/** A build instantiated over a memory of its own, constants written: runs a unary kernel on a copy of x (binary: of x and y). */
export function runner(build: Build): (kernel: string, x: View, y?: View) => View {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
  const exports = new WebAssembly.Instance(new WebAssembly.Module(build.bytes), { env: { memory } }).exports as Record<string, unknown>;
  (exports.writeConstants as () => void)();
  const base = (exports.heapBase as () => number)();
  return (kernel, x, y) => {
    const bytes = x.byteLength;
    const stride = bytes + 64 - (bytes % 64);
    const need = base + 3 * stride;
    if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
    const View = x.constructor as Float32ArrayConstructor | Float64ArrayConstructor;
    const input = new View(memory.buffer, base, x.length);
    const out = new View(memory.buffer, base + stride, x.length);
    input.set(x);
    if (y) {
      const second = new View(memory.buffer, base + 2 * stride, x.length);
      second.set(y);
      (exports[kernel] as BinaryKernel)(input.byteOffset, second.byteOffset, out.byteOffset, x.length);
    } else {
      (exports[kernel] as ElementKernel)(input.byteOffset, out.byteOffset, x.length);
    }
    return out.slice();
  };
}
