#!/usr/bin/env node
// lanes-build: compiles an AssemblyScript file of user ops into a module
// lanes.load runs on every thread (docs/abi.md):
//
//   npx lanes-build my-ops.ts -o my-ops.wasm [--relaxed] [--text my-ops.wat]
//
// It compiles with lanes' own flags (imported shared memory, SIMD, threads,
// the stub runtime, -O3, no abort), against the lanes/assembly of this very
// package, then refuses a module lanes could not run safely (data segments,
// state, imports, exports that are not kernels), and records in a custom
// section, lanes-kinds, this lanes version and whether each reduction reads
// one array or two: the one fact a reduction's signature does not tell.
import { realpathSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendCustomSection, readModule } from '../dist/wasm/reader.js';
import { checkStateless, KINDS_SECTION, readAbi } from '../dist/ops/abi.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VERSION = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')).version;

const USAGE = `usage: lanes-build <ops.ts> [-o <ops.wasm>] [--relaxed] [--text <ops.wat>]

  -o, --out    the module to write (default: <ops>.wasm beside the source)
  --relaxed    build the relaxed-SIMD variant (madd is relaxed_madd); load both
               with lanes.load({ strict, relaxed }) to run the one lanes runs
  --text       also write the module as text`;

function fail(message, code = 1) {
  process.stderr.write(`lanes-build: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const args = { input: undefined, out: undefined, text: undefined, relaxed: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-o' || a === '--out') args.out = argv[++i];
    else if (a === '--text') args.text = argv[++i];
    else if (a === '--relaxed') args.relaxed = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else if (a.startsWith('-')) fail(`unknown option '${a}'\n${USAGE}`, 2);
    else if (args.input === undefined) args.input = a;
    else fail(`one source file at a time, got '${args.input}' and '${a}'\n${USAGE}`, 2);
  }
  if (args.input === undefined) fail(`no source file\n${USAGE}`, 2);
  if ((args.out === undefined && argv.includes('-o')) || (args.text === undefined && argv.includes('--text'))) fail(`an option lacks its file\n${USAGE}`, 2);
  args.out ??= args.input.replace(/\.ts$/, '') + '.wasm';
  return args;
}

/** The compiler flags lanes' own module is built with (asconfig.json), plus no exported memory. */
export function ascFlags(relaxed) {
  return [
    '--optimizeLevel', '3', '--shrinkLevel', '0', '--noAssert',
    '--runtime', 'stub', '--importMemory', '--sharedMemory', '--noExportMemory',
    '--maximumMemory', '65536', '--initialMemory', '0',
    '--enable', relaxed ? 'simd,threads,relaxed-simd' : 'simd,threads',
    '--use', 'abort=',
  ];
}

/** A lanes/assembly file that asc looks for in some node_modules: this package's own. */
const LANES_FILE = /[\\/]node_modules[\\/]lanes[\\/](assembly(?:[\\/][^\\/]+)*\.ts)$/;

async function compile(input, relaxed) {
  let asc;
  try {
    asc = await import('assemblyscript/asc');
  } catch {
    fail('needs the AssemblyScript compiler: npm install --save-dev assemblyscript');
  }
  const outputs = {};
  const stderr = [];
  const result = await asc.main([input, '--outFile', 'out.wasm', '--textFile', 'out.wat', ...ascFlags(relaxed)], {
    readFile: async (name, baseDir) => {
      // asc merges an asconfig.json it finds into any compile: not this one.
      if (path.basename(name) === 'asconfig.json') return null;
      const file = path.resolve(baseDir, name);
      const lanes = LANES_FILE.exec(file);
      try {
        return await readFile(lanes ? path.join(ROOT, lanes[1]) : file, 'utf8');
      } catch {
        return null;
      }
    },
    writeFile: (name, contents) => {
      outputs[name] = contents;
    },
    listFiles: () => [],
    stdout: { write: () => {} },
    stderr: { write: (text) => stderr.push(String(text)) },
  });
  if (result.error) fail(`${input} did not compile:\n${stderr.join('')}`);
  if (stderr.length) process.stderr.write(stderr.join(''));
  return { binary: outputs['out.wasm'], text: outputs['out.wat'] };
}

/**
 * Which reductions read b: each runs on the same a with three different b;
 * a one-array reduction (r<op>(a, b, n) that ignores b) gives the same bits
 * every time, a two-array one does not. That is exactly the fact the host
 * needs (the signatures are the same), taken from what the code does.
 * `binary` must run on this engine (for --relaxed on Node 20, the strict build).
 */
export function reductionKinds(binary, exports) {
  const memory = new WebAssembly.Memory({ initial: 8, maximum: 65536, shared: true });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(binary), { env: { memory } });
  const kinds = {};
  const n = 1001;
  const A = 65536, B = 196608;
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2;
  for (const name of exports) {
    const m = /^r[a-z][a-z0-9]*_(f32|f64)$/.exec(name);
    if (!m) continue;
    const View = m[1] === 'f32' ? Float32Array : Float64Array;
    const a = new View(memory.buffer, A, n), b = new View(memory.buffer, B, n);
    for (let i = 0; i < n; i++) a[i] = random();
    const results = [0, 1, 2].map((probe) => {
      for (let i = 0; i < n; i++) b[i] = probe === 2 ? 1.5 : random();
      return instance.exports[name](A, B, n);
    });
    kinds[name] = results.every((r) => Object.is(r, results[0])) ? 'sum' : 'dot';
  }
  return kinds;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { binary, text } = await compile(args.input, args.relaxed);
  let info;
  try {
    info = readModule(binary);
    checkStateless('build', info);
    const runnable = WebAssembly.validate(binary) ? binary : (await compile(args.input, false)).binary;
    const kinds = reductionKinds(runnable, info.exports.map((e) => e.name));
    const ops = readAbi('build', info, kinds);
    if (ops.length === 0) throw new Error(`${args.input} exports no kernels (see docs/abi.md)`);
    const section = new TextEncoder().encode(JSON.stringify({ lanes: VERSION, kinds }));
    await writeFile(args.out, appendCustomSection(binary, KINDS_SECTION, section));
    if (args.text) await writeFile(args.text, text);
    const summary = ops.map((op) => `${op.name} (${op.kind}: ${Object.keys(op.kernels).join(', ')})`).join(', ');
    process.stdout.write(`lanes-build: wrote ${args.out}: ${summary}\n`);
  } catch (error) {
    fail(String(error.message).replace(/^lanes\.build: /, ''));
  }
}

// Run as a command (npx lanes-build: argv[1] is a link to this file), not when imported.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) await main();
