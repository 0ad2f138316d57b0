// Runs a short ES module script in a fresh Node process, from the package
// root so that `import 'lanes'` resolves to this package.
import { spawnSync } from 'node:child_process';

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runScript(script: string, env: Record<string, string> = {}, timeoutMs = 20_000): ChildResult {
  const start = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('../..', import.meta.url),
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr, ms: performance.now() - start };
}
