// Writes a generated source file, or with --check on the command line only
// compares it and sets the exit code: shared by the table generators.
import { readFileSync, writeFileSync } from 'node:fs';

/** Writes `text` to `path` (relative to the repository root), or checks it under --check. */
export function writeGenerated(path, text, tool) {
  const file = new URL(`../${path}`, import.meta.url);
  if (!process.argv.includes('--check')) return writeFileSync(file, text);
  const same = readFileSync(file, 'utf8') === text;
  console.log(same ? `${path} is up to date` : `${path} differs: run node ${tool}`);
  process.exitCode = same ? 0 : 1;
}
