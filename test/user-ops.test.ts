// User ops: the example (examples/user-op/ops.ts) built with lanes-build,
// loaded with lanes.load, checked against JavaScript on 1 and 2 threads, with
// the behaviour of built-in ops (out, numbers, errors, promises, faults); and
// the checks lanes-build and lanes.load make of a module.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as lanes from 'lanes';
import * as lanesAsync from 'lanes/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { getRuntime } from './support/internals.js';
import { binaryOp, tinyModule } from './support/tiny-wasm.js';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url);
const BUILD = path.join(ROOT.pathname, 'bin/lanes-build.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'lanes-user-ops-'));
const wasm = path.join(dir, 'ops.wasm');

/** Runs lanes-build; resolves to its exit code and output. */
async function build(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BUILD, ...args], { cwd: ROOT.pathname });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** Writes an AssemblyScript source into the temp folder and builds it. */
function buildSource(file: string, source: string): Promise<{ code: number; out: string }> {
  writeFileSync(path.join(dir, file), source);
  return build([path.join(dir, file), '-o', path.join(dir, file.replace(/\.ts$/, '.wasm'))]);
}

const HEADER = 'import { map, FromArray, add } from "lanes/assembly";\n@final @unmanaged class Add2 { @inline apply<T, V>(a: V, b: V): V { return add<T, V>(a, b); } }\n';
const KERNEL = 'export function vadd2_f32(a: usize, b: usize, out: usize, n: i32): void { map<f32, Add2, FromArray>(a, b, 0, out, n); }\n';

let refused: { data: { code: number; out: string }; exported: { code: number; out: string } };
let ops: Record<string, lanes.UserOp>;
/** add2: a + b with only the float32 array ∘ array kernel (no number form, no float64). */
let add2: { code: number; out: string };

beforeAll(async () => {
  // Four compiles at once: the example, add2, and two modules lanes-build must refuse.
  const [example, plain, data, exported] = await Promise.all([
    build(['examples/user-op/ops.ts', '-o', wasm]),
    buildSource('add2.ts', HEADER + KERNEL),
    buildSource('data.ts', HEADER + KERNEL + 'export function vlabel_f32(a: usize, out: usize, n: i32): void { store<u8>(out, <u8>"abc".length); }\n'),
    buildSource('exported.ts', HEADER + KERNEL + 'export function helper(x: i32): i32 { return x + 1; }\n'),
  ]);
  expect(example.code, example.out).toBe(0);
  add2 = plain;
  refused = { data, exported };
  ops = await lanes.load(wasm);
}, 120_000);

/** The JS reference of logaddexp, in float64. */
const logaddexp = (x: number, y: number) => (x === y ? x + Math.LN2 : Math.max(x, y) + Math.log1p(Math.exp(-Math.abs(x - y))));
const EPS = { float32: 2 ** -23, float64: 2 ** -52 };

/** Worst error of `got` against the reference, in ε·(|max| + log1p term); specials must match exactly. */
function worstError(dtype: 'float32' | 'float64', xs: ArrayLike<number>, ys: ArrayLike<number>, got: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < xs.length; i++) {
    const want = logaddexp(xs[i], ys[i]);
    const fwant = dtype === 'float32' ? Math.fround(want) : want;
    if (!Number.isFinite(want)) {
      if (!Object.is(got[i], fwant)) return Infinity;
      continue;
    }
    const scale = Math.abs(Math.max(xs[i], ys[i])) + Math.log1p(Math.exp(-Math.abs(xs[i] - ys[i])));
    worst = Math.max(worst, Math.abs(got[i] - want) / (scale * EPS[dtype]));
  }
  return worst;
}

function inputs(n: number, dtype: 'float32' | 'float64', seed: number) {
  const a = lanes.empty(n, dtype), b = lanes.empty(n, dtype);
  for (let i = 0; i < n; i++) {
    a[i] = Math.sin(i * 1.3 + seed) * 60;
    b[i] = Math.cos(i * 0.7 + seed) * (i % 3 === 0 ? 1 : 60);
  }
  return { a, b };
}

describe('the example op', () => {
  it('exports logaddexp (binary) and sumsq (a one-array reduction)', () => {
    expect(Object.keys(ops).sort()).toEqual(['logaddexp', 'sumsq']);
    expect(ops.logaddexp.name).toBe('logaddexp');
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`logaddexp ${dtype}: within 4 ε·(|max| + log1p(e^-|a-b|)) of JS, at every size`, () => {
      lanes.configure({ threads: 1 });
      for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 1001, 100_003]) {
        const { a, b } = inputs(n, dtype, n);
        expect(worstError(dtype, a, b, ops.logaddexp(a, b)), `n = ${n}`).toBeLessThanOrEqual(4);
      }
    });

    it(`logaddexp ${dtype}: special values`, () => {
      const xs = [0, -0, Infinity, -Infinity, Infinity, -Infinity, NaN, 1, 5, -800, 1e30, -1e30, 3];
      const ys = [0, 0, Infinity, -Infinity, 1, 1, 2, NaN, -Infinity, -800.5, 1e30, 2, 3];
      const got = ops.logaddexp(lanes.from(xs, dtype), lanes.from(ys, dtype));
      const a = lanes.from(xs, dtype), b = lanes.from(ys, dtype);
      for (let i = 0; i < xs.length; i++) {
        const want = logaddexp(a[i], b[i]);
        if (!Number.isFinite(want)) expect(got[i], `${xs[i]}, ${ys[i]}`).toBe(want);
        else expect(Math.abs(got[i] - want), `${xs[i]}, ${ys[i]}`).toBeLessThanOrEqual(4 * EPS[dtype] * Math.max(1, Math.abs(want)));
      }
    });

    it(`logaddexp ${dtype}: the same bits on 1, 2 and 3 threads`, async () => {
      const { a, b } = inputs(400_003, dtype, 7);
      const results = [];
      for (const threads of [1, 2, 3]) {
        lanes.configure({ threads });
        await getRuntime().pool.ready();
        results.push(ops.logaddexp(a, b));
      }
      expect(Buffer.compare(Buffer.from(results[0].buffer, results[0].byteOffset, results[0].byteLength), Buffer.from(results[1].buffer, results[1].byteOffset, results[1].byteLength))).toBe(0);
      expect(Buffer.compare(Buffer.from(results[0].buffer, results[0].byteOffset, results[0].byteLength), Buffer.from(results[2].buffer, results[2].byteOffset, results[2].byteLength))).toBe(0);
    });

    it(`logaddexp ${dtype}: numbers on either side, out, aliasing, foreign arrays`, () => {
      lanes.configure({ threads: 2 });
      const { a } = inputs(20_001, dtype, 3);
      const filled = lanes.empty(a.length, dtype).fill(2.5);
      const right = ops.logaddexp(a, filled);
      expect(ops.logaddexp(a, 2.5)).toEqual(right);
      expect(ops.logaddexp(2.5, a)).toEqual(right);
      const out = lanes.empty(a.length, dtype);
      expect(ops.logaddexp(a, filled, out)).toBe(out);
      expect(out).toEqual(right);
      const copy = lanes.from(a);
      expect(ops.logaddexp(copy, filled, copy)).toBe(copy);
      expect(copy).toEqual(right);
      expect(ops.logaddexp(Array.from(a), Array.from(filled))).toEqual(dtype === 'float64' ? right : ops.logaddexp(lanes.from(a, 'float64'), 2.5));
    });

    it(`sumsq ${dtype}: Σ a², the same on 1 and 2 threads`, async () => {
      const { a } = inputs(300_001, dtype, 5);
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] * a[i];
      lanes.configure({ threads: 1 });
      const one = ops.sumsq(a);
      lanes.configure({ threads: 2 });
      await getRuntime().pool.ready();
      expect(ops.sumsq(a)).toBe(one);
      expect(Math.abs(one - s)).toBeLessThanOrEqual(1e-6 * s);
      expect(ops.sumsq([])).toBe(0);
      expect(ops.sumsq([3])).toBe(9);
    });
  }

  it('validates operands with the built-in ops’ messages', () => {
    const f32 = lanes.from([1, 2], 'float32'), f64 = lanes.from([1, 2], 'float64');
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return `${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
      return 'no error';
    };
    const cases: [() => unknown, () => unknown][] = [
      [() => ops.logaddexp(f32, f64), () => lanes.add(f32, f64)],
      [() => ops.logaddexp(f32, lanes.from([1], 'float32')), () => lanes.add(f32, lanes.from([1], 'float32'))],
      [() => ops.logaddexp('x' as never, f32), () => lanes.add('x' as never, f32)],
      [() => ops.logaddexp(1, 2), () => lanes.add(1, 2)],
      [() => ops.logaddexp(f32, f32, f64 as never), () => lanes.add(f32, f32, f64 as never)],
      [() => ops.sumsq(1 as never), () => lanes.sum(1 as never)],
    ];
    for (const [mine, builtIn] of cases) {
      const expected = message(builtIn).replace(/lanes\.(add|sum):/, (_, op) => `lanes.${op === 'add' ? 'logaddexp' : 'sumsq'}:`);
      expect(message(mine)).toBe(expected);
    }
  });

  it('has promise twins that take a signal', async () => {
    const asyncOps = await lanesAsync.load(wasm, { cost: { float32: 3, float64: 5 } });
    lanes.configure({ threads: 2 });
    const { a, b } = inputs(200_001, 'float64', 9);
    const pending = asyncOps.logaddexp(a, b);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual(ops.logaddexp(a, b));
    expect(await asyncOps.sumsq(a)).toBe(ops.sumsq(a));
    await expect(asyncOps.logaddexp(a, b, { signal: AbortSignal.abort() })).rejects.toThrow(/aborted/);
  });

  it('loads bytes, a path, a file: URL and { strict, relaxed }', async () => {
    const bytes = readFileSync(wasm);
    for (const source of [bytes, new Uint8Array(bytes).buffer, wasm, new URL(`file://${wasm}`), { strict: wasm }]) {
      const loaded = await lanes.load(source as never, { cost: { float32: 3, float64: 5 } });
      expect(loaded.logaddexp([0], [0])[0]).toBe(Math.LN2);
    }
  });

  it('runs as examples/user-op/run.mjs', async () => {
    const { stdout } = await run(process.execPath, ['examples/user-op/run.mjs', wasm], { cwd: ROOT.pathname, env: { ...process.env, LANES_THREADS: '2' } });
    expect(stdout).toMatch(/float32: logaddexp within .* 0 differences/);
    expect(stdout).toMatch(/float64: logaddexp within .* 0 differences/);
  });
});

// Loaded ops are callable by name in fused expressions, with the same bits
// as composing the calls (elementwise), and loaded reductions reduce a whole
// expression, block by block, the same for any thread count.
describe('loaded ops in fused expressions', () => {
  const N = 70_001; // past the example's cutoffs: the pool runs it
  const inputs = (dtype: 'float32' | 'float64') => {
    const a = lanes.empty(N, dtype), b = lanes.empty(N, dtype);
    for (let i = 0; i < N; i++) (a[i] = Math.sin(i) * 3), (b[i] = Math.cos(i * 0.7) * 2);
    return { a, b };
  };
  // Expressions call the ops loaded last under each name (other tests load
  // the example again, some as its relaxed build): load it once more here.
  let current: Record<string, lanes.UserOp>;
  beforeAll(async () => {
    current = await lanes.load(wasm);
  });
  const same = (x: ArrayLike<number>, y: ArrayLike<number>) => {
    expect(x.length).toBe(y.length);
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) expect([i, x[i]]).toEqual([i, y[i]]);
  };

  for (const threads of [1, 2]) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`elementwise, ${dtype}, ${threads} thread${threads > 1 ? 's' : ''}: the bits of the composed calls`, () => {
        lanes.configure({ threads });
        const { a, b } = inputs(dtype);
        const { logaddexp } = current;
        same(lanes.evaluate('logaddexp(a, b) * 2 - 1', { a, b }) as Float32Array, lanes.sub(lanes.mul(logaddexp(a, b), 2), 1));
        same(lanes.evaluate('logaddexp(a, 0.25)', { a }) as Float32Array, logaddexp(a, 0.25));
        same(lanes.evaluate('logaddexp(-0.5, a)', { a }) as Float32Array, logaddexp(-0.5, a));
        same(lanes.evaluate('exp(logaddexp(a, -b))', { a, b }) as Float32Array, lanes.exp(logaddexp(a, lanes.neg(b))));
        const both = logaddexp(a, b);
        same(lanes.evaluate('where(a > b, logaddexp(a, b), a)', { a, b }) as Float32Array, a.map((x, i) => (x > b[i] ? both[i] : x)));
        // Constants fold through the loaded kernel, in the dtype.
        const folded = logaddexp(lanes.from([1], dtype), lanes.from([2], dtype))[0];
        same(lanes.evaluate('logaddexp(1, 2) + a', { a }) as Float32Array, lanes.add(a, folded));
      });
    }
  }

  it('a loaded reduction: of variables, the op itself; of an expression, block by block, the same on 1, 2 and 3 threads', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const { a, b } = inputs(dtype);
      const seen: number[] = [];
      for (const threads of [1, 2, 3]) {
        lanes.configure({ threads });
        expect(lanes.evaluate('sumsq(a)', { a })).toBe(current.sumsq(a));
        seen.push(lanes.evaluate('sumsq(a * 2 - b)', { a, b }) as number);
      }
      expect(new Set(seen).size).toBe(1);
      // Both are sums of the same positive terms, each within lanes' bound for
      // its dtype (float32: 18·2⁻²⁴ of the sum, README), but in other blocks.
      const composed = current.sumsq(lanes.sub(lanes.mul(a, 2), b));
      expect(Math.abs(seen[0] - composed) / composed).toBeLessThan(dtype === 'float32' ? 2 * 18 * 2 ** -24 : 1e-12);
    }
    lanes.configure({ threads: 1 });
  });

  it('a loaded op without a number form gets the number broadcast, as its call does', async () => {
    expect(add2.code, add2.out).toBe(0);
    await lanes.load(path.join(dir, 'add2.wasm'));
    const { a, b } = inputs('float32');
    same(lanes.evaluate('add2(a, 1.5) * b', { a, b }) as Float32Array, lanes.mul(lanes.add(a, 1.5), b));
    same(lanes.evaluate('add2(0.75, a)', { a }) as Float32Array, lanes.add(a, 0.75));
  });

  it('a dtype the module has no kernel for is a TypeError naming the export', async () => {
    await lanes.load(path.join(dir, 'add2.wasm'));
    const { a, b } = inputs('float64');
    expect(() => lanes.evaluate('add2(a, b)', { a, b })).toThrow(new TypeError("lanes.evaluate: add2() has no float64 kernel in its loaded module (vadd2_f64); it takes only the dtypes the module exports kernels for"));
  });

  it("the language's own names stay its own; unknown names suggest loaded ones", async () => {
    // A loaded 'neg' whose kernel writes nothing: expressions must not call it.
    await lanes.load(tinyModule({ functions: [{ name: 'vneg_f32', params: ['i32', 'i32', 'i32'] }] }));
    const { a } = inputs('float32');
    same(lanes.evaluate('neg(a)', { a }) as Float32Array, lanes.neg(a));
    expect(() => lanes.evaluate('logaddexq(a, a)', { a })).toThrow(/unknown function 'logaddexq'.*logaddexp/);
  });
});

describe('lanes-build', () => {
  it('records the lanes version and each reduction’s kind in the lanes-kinds section', () => {
    const module = new WebAssembly.Module(readFileSync(wasm));
    const [section] = WebAssembly.Module.customSections(module, 'lanes-kinds');
    const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
    expect(JSON.parse(new TextDecoder().decode(section))).toEqual({ lanes: version, kinds: { rsumsq_f32: 'sum', rsumsq_f64: 'sum' } });
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
  });

  it('refuses a module with data segments', () => {
    expect(refused.data.code).toBe(1);
    expect(refused.data.out).toMatch(/^lanes-build: the module has 1 data segment\(s\) \(static data: a string/m);
  });

  it('refuses a module that exports anything but kernels', () => {
    expect(refused.exported.code).toBe(1);
    expect(refused.exported.out).toMatch(/^lanes-build: export 'helper' is not a kernel name: kernels are v<op>_<dtype>\(a, b, out, n\)/m);
  });
});

describe('lanes.load checks the module', () => {
  const f32Binary = ['i32', 'i32', 'i32', 'i32'] as const;
  const cases: [string, Parameters<typeof tinyModule>[0], RegExp][] = [
    ['an export that is no kernel', { functions: [...binaryOp('ok'), { name: 'helper', params: ['i32'] }] }, /^lanes\.load: export 'helper' is not a kernel name/],
    ['a kernel of the wrong signature', { functions: [{ name: 'vbad_f32', params: ['i32', 'i32'] }] }, /^lanes\.load: export 'vbad_f32' is \(i32, i32\) -> void, but a binary kernel v<op>_<dtype>\(a, b, out, n\) must be \(i32, i32, i32, i32\) -> void$/],
    ['a number form of the wrong dtype', { functions: [...binaryOp('ok'), { name: 'vokc_f32', params: ['i32', 'f64', 'i32', 'i32'] }] }, /^lanes\.load: export 'vokc_f32' is \(i32, f64, i32, i32\) -> void, but an array ∘ number kernel v<op>c_f32\(a, c, out, n\) must be \(i32, f32, i32, i32\) -> void$/],
    ['a number form without its op', { functions: [{ name: 'vlonec_f32', params: ['i32', 'f32', 'i32', 'i32'] }] }, /^lanes\.load: export 'vlonec_f32' is an array ∘ number kernel, but the module has no binary kernel vlone_f32/],
    ['a reduction without the lanes-kinds section', { functions: [{ name: 'rthing_f32', params: ['i32', 'i32', 'i32'], result: 'f64' }] }, /^lanes\.load: export 'rthing_f32' is a reduction, and nothing says whether it reads one array or two/],
    ['one op of two kinds', { functions: [...binaryOp('mixed'), { name: 'vmixed_f64', params: ['i32', 'i32', 'i32'] }] }, /^lanes\.load: export 'vmixed_f64' makes 'mixed' a unary op, but 'vmixed_f32' makes it binary$/],
    ['a data segment', { functions: binaryOp('ok'), data: true }, /^lanes\.load: the module has 1 data segment\(s\)/],
    ['a mutable global', { functions: binaryOp('ok'), mutableGlobal: true }, /^lanes\.load: the module has 1 mutable global\(s\)/],
    ['an import besides the memory', { functions: binaryOp('ok'), extraImport: true }, /^lanes\.load: the module imports function 'env\.seed'/],
    ['another version of lanes', { functions: binaryOp('ok'), custom: { 'lanes-kinds': '{"lanes":"0.0.1","kinds":{}}' } }, /^lanes\.load: the module was built with lanes 0\.0\.1, and this is lanes /],
  ];
  for (const [what, spec, message] of cases) {
    it(`refuses ${what}, naming it`, async () => {
      await expect(lanes.load(tinyModule(spec))).rejects.toThrow(message);
    });
  }
  void f32Binary;

  it('refuses bytes that are no module', async () => {
    await expect(lanes.load(new Uint8Array([1, 2, 3]))).rejects.toThrow(/^lanes\.load: the source is not a WebAssembly module/);
  });

  it('takes only the dtypes a module has kernels for', async () => {
    const only32 = await lanes.load(tinyModule({ functions: binaryOp('half') }), { cost: { float32: 1 } });
    expect(() => only32.half(lanes.from([1], 'float64'), [2])).toThrow("lanes.half: the loaded module has no float64 kernel (vhalf_f64); its half takes only the dtypes it exports kernels for");
    expect(only32.half(lanes.from([1], 'float32'), 2)).toBeInstanceOf(Float32Array); // no vhalfc: through a filled array
  });

  it('fails a call whose kernel traps, naming the kernel, on 1 and 2 threads', async () => {
    const boom = await lanes.load(tinyModule({ functions: binaryOp('boom', true) }), { cost: { float32: 1 } });
    const a = lanes.empty(200_000, 'float32').fill(1);
    for (const threads of [1, 2]) {
      lanes.configure({ threads });
      await getRuntime().pool.ready();
      expect(() => boom.boom(a, a)).toThrow(/^lanes: kernel vboom_f32 failed: RuntimeError: unreachable/);
      expect(ops.logaddexp([0], [0])[0]).toBe(Math.LN2); // the pool goes on
    }
  });
});
