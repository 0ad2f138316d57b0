// The README's "Write your own op", as a new user follows it: lanes packed
// with npm pack, installed with assemblyscript in a new folder, the README's
// op built with npx lanes-build and its script run. npm installs from its
// cache when it can (npm ci put assemblyscript there), so this runs offline
// on a machine that has installed lanes' own dependencies.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const exec = promisify(execFile);
// npm's own settings from the environment are the caller's: under
// `npm exec --package=node@24 -- node …` (how CI runs the suite on Node 24)
// they hold npm_config_package=node@24, which a child `npm exec` would try to
// install. A new user's shell has none of them.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
const run = (file: string, args: string[], options: { cwd: string }) => exec(file, args, { ...options, env });
const ROOT = new URL('..', import.meta.url).pathname;
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const files = Object.fromEntries([...readme.matchAll(/<!-- file: (\S+) -->\n```\w+\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

it('a new project installs the packed package, builds the README op and runs it', async () => {
  expect(Object.keys(files)).toEqual(['my-ops.ts', 'main.mjs']);
  const dir = mkdtempSync(path.join(tmpdir(), 'lanes-pack-'));
  const { stdout: packed } = await run(npm, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT });
  const tgz = path.join(dir, packed.trim().split('\n').pop()!);
  const app = path.join(dir, 'app');
  mkdirSync(app);
  const asc = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/assemblyscript/package.json'), 'utf8')).version;
  await run(npm, ['init', '-y'], { cwd: app });
  await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', tgz, `assemblyscript@${asc}`], { cwd: app });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(app, name), text);
  const built = await run(npm, ['exec', '--no', '--', 'lanes-build', 'my-ops.ts', '-o', 'my-ops.wasm'], { cwd: app });
  expect(built.stdout).toContain('lanes-build: wrote my-ops.wasm: relu (unary: f32, f64), axpy (binary: f64), sumsq (sum: f64)');
  const { stdout } = await run(process.execPath, ['main.mjs'], { cwd: app });
  const printed = stdout.replace(/\s+/g, ' ');
  for (const [, comment] of files['main.mjs'].matchAll(/console\.log\([^;]*;\s*\/\/ (.*)$/gm)) {
    expect(printed).toContain(comment.replace(/ \(.*\)$/, '').replace(/\s+/g, ' '));
  }
}, 180_000);
