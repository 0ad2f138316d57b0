#!/usr/bin/env node
// Compiles lanes' two wasm modules, asconfig.json's targets strict and
// relaxed, from assembly/ (after tools/gen-kernels.mjs has written
// assembly/kernels.ts). Run by `npm run build:wasm`. Each compile is one
// single-threaded asc process of about 90 s on this project's 2-core
// machines (half of it asc's own compile, half binaryen's -O3), and the two
// share nothing, so they run side by side: the build takes one compile's time.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const asc = join(dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json')), 'bin', 'asc.js');

function compile(target) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [asc, 'assembly/index.ts', '--target', target], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`asc --target ${target} failed (${signal ?? `exit code ${code}`})`))));
  });
}

const targets = Object.keys(JSON.parse(readFileSync(new URL('../asconfig.json', import.meta.url), 'utf8')).targets);
const results = await Promise.allSettled(targets.map(compile));
const failed = results.filter((r) => r.status === 'rejected');
for (const f of failed) console.error(f.reason.message);
process.exitCode = failed.length ? 1 : 0;
