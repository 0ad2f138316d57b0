// The shared memory and what lives in it: the module writes no byte when
// instantiated, exports exactly the kernels the op table names, and the
// host's allocator hands out aligned blocks that grow the memory on demand.
import loader from '@assemblyscript/loader';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as lanes from 'lanes';
import { describe, expect, it } from 'vitest';
import { Allocator, ALIGN } from '../dist/memory/allocator.js';
import { allKernelNames } from '../src/ops/registry.js';
import { random } from './support/data.js';
import { BUILDS } from './support/builds.js';
import { getRuntime } from './support/internals.js';

for (const { name: build, bytes: wasm, compiles } of BUILDS) {
describe(`the ${build} wasm module`, () => {
  it.skipIf(!compiles)('writes no byte of the memory it is instantiated over', () => {
    const module = new WebAssembly.Module(wasm);
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
    const bytes = new Uint8Array(memory.buffer).fill(0xee);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    expect(typeof instance.exports.heapBase).toBe('function');
    expect(bytes.every((b) => b === 0xee)).toBe(true);
  });

  it('has no data segments and imports only its memory', () => {
    if (compiles) {
      const module = new WebAssembly.Module(wasm);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    }
    // Section 11 is the data section: walk the sections and look for it.
    let p = 8;
    const leb = () => {
      let value = 0, shift = 0, byte;
      do (byte = wasm[p++]), (value |= (byte & 0x7f) << shift), (shift += 7);
      while (byte & 0x80);
      return value >>> 0;
    };
    const sections: number[] = [];
    while (p < wasm.length) {
      const id = wasm[p++];
      const length = leb();
      sections.push(id);
      p += length;
    }
    expect(sections).not.toContain(11);
  });

  it.skipIf(!compiles)('exports exactly the kernels the op table names, SIMD and scalar', () => {
    const module = new WebAssembly.Module(wasm);
    const exported = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
    const expected = [...allKernelNames(false), ...allKernelNames(true), 'heapBase', 'writeConstants'];
    expect([...exported].sort()).toEqual([...expected].sort());
  });

  it.skipIf(!compiles)('also instantiates through @assemblyscript/loader, and its kernels run', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const { exports } = loader.instantiateSync(wasm, { env: { memory } }) as unknown as {
      exports: { heapBase(): number; vadd_f64(a: number, b: number, o: number, n: number): void };
    };
    const base = exports.heapBase();
    const f64 = new Float64Array(memory.buffer, base, 6);
    f64.set([1, 2, 3, 10, 20, 30]);
    exports.vadd_f64(base, base + 24, base, 3);
    expect(Array.from(f64.subarray(0, 3))).toEqual([11, 22, 33]);
  });

  it.skipIf(!compiles)('writeConstants writes only its block, below heapBase', () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
    const bytes = new Uint8Array(memory.buffer).fill(0xee);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env: { memory } }).exports as {
      heapBase(): number;
      writeConstants(): void;
    };
    const base = exports.heapBase();
    exports.writeConstants();
    const changed = bytes.findIndex((b) => b !== 0xee);
    let last = -1;
    for (let i = bytes.length - 1; i >= 0; i--) if (bytes[i] !== 0xee) { last = i; break; }
    expect(changed).toBeGreaterThanOrEqual(0);
    expect(last).toBeLessThan(base);
    expect(base % 64).toBe(0);
  });
});
}

describe('the allocator', () => {
  it('aligns every block to 64 bytes and reuses freed space', () => {
    let end = 4096;
    const heap = new Allocator(100, end, 1 << 20, (want) => (end = Math.max(want, end * 2)));
    const next = random(3);
    const live: number[] = [];
    for (let i = 0; i < 20000; i++) {
      if (live.length && next() < 0.5) heap.free(live.splice(Math.floor(next() * live.length), 1)[0]);
      else live.push(heap.alloc(Math.floor(next() * 5000)));
      expect(live.every((p) => p % ALIGN === 0 && p >= 128)).toBe(true);
    }
    const sorted = [...live].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(heap.blockAt(sorted[i - 1])!.start + heap.blockAt(sorted[i - 1])!.size).toBeLessThanOrEqual(sorted[i]);
    for (const p of live) heap.free(p);
    expect(heap.inUse).toBe(0);
    // Everything coalesced: the whole heap is one block again.
    const whole = heap.alloc(end - 128);
    expect(whole).toBe(128);
  });

  it('keeps its high-water mark flat over alloc/free cycles', () => {
    let end = 1 << 16;
    const heap = new Allocator(0, end, 1 << 30, (want) => (end = Math.max(want, end * 2)));
    const next = random(5);
    const live: number[] = [];
    let markAfterWarmup = 0;
    for (let i = 0; i < 200_000; i++) {
      if (live.length > 50 || (live.length && next() < 0.5)) heap.free(live.splice(Math.floor(next() * live.length), 1)[0]);
      else live.push(heap.alloc(1 + Math.floor(next() ** 3 * 100_000)));
      if (i === 20_000) markAfterWarmup = heap.highWater;
    }
    expect(heap.highWater).toBeLessThanOrEqual(markAfterWarmup * 1.5);
  });

  it('refuses beyond its limit with a RangeError, and keeps working', () => {
    const heap = new Allocator(0, 1024, 1 << 16, () => false);
    expect(() => heap.alloc(4096)).toThrow(RangeError);
    expect(heap.alloc(512)).toBe(0);
  });
});

describe('lanes arrays', () => {
  it('are plain typed arrays over the shared memory', () => {
    const a = lanes.empty(10, 'float32');
    expect(a).toBeInstanceOf(Float32Array);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(a.byteOffset % 64).toBe(0);
    const b = lanes.from([1, 2, 3]);
    expect(b).toBeInstanceOf(Float64Array);
    const c = lanes.from(new Float32Array([1.5, 2.5]), 'float64');
    expect(Array.from(c)).toEqual([1.5, 2.5]);
    expect(lanes.from(b)).not.toBe(b); // from always copies
  });

  it('survive the memory growing under them', () => {
    const rt = getRuntime();
    const a = lanes.from([1, 2, 3]);
    const size = rt.memory.byteLength;
    const big = lanes.empty(size / 4, 'float32'); // forces a grow
    expect(rt.memory.byteLength).toBeGreaterThan(size);
    big.fill(2);
    expect(lanes.sum(big)).toBe(size / 2);
    expect(Array.from(lanes.mul(a, 2))).toEqual([2, 4, 6]);
    lanes.free(big);
  });

  it('work above 2 GiB, where wasm pointers turn negative as i32', () => {
    const rt = getRuntime();
    const low = lanes.empty(2 ** 31 / 8, 'float64'); // 2 GiB, never touched
    const a = lanes.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a.byteOffset).toBeGreaterThan(2 ** 31);
    expect(Array.from(lanes.add(a, a))).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(lanes.sum(a)).toBe(45);
    expect(lanes.exp(a)[0]).toBe(Math.E);
    lanes.free(low);
    lanes.free(a);
    expect(rt.allocator.blockAt(a.byteOffset)).toBeUndefined();
  });

  it('are released when collected, if never freed', () => {
    const script = `
      import * as lanes from 'lanes';
      import { getRuntime } from './dist/dispatch/runtime.js';
      const rt = getRuntime();
      const before = rt.allocator.inUse;
      for (let i = 0; i < 100; i++) lanes.empty(1e5);
      const held = rt.allocator.inUse - before;
      await new Promise((r) => setTimeout(r, 10));
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 10));
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 10));
      console.log(JSON.stringify({ held, after: rt.allocator.inUse - before }));
    `;
    const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const { held, after } = JSON.parse(run.stdout);
    expect(held).toBeGreaterThan(100 * 8e5 - 1);
    expect(after).toBe(0);
  });
});
