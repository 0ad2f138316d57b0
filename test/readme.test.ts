// The README's examples run as written, in a fresh process, and print what
// their comments say.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REDUCTIONS, REGISTRY } from '../src/ops/registry.js';
import { runScript } from './support/child.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('README examples', () => {
  it('there are examples', () => expect(examples.length).toBeGreaterThanOrEqual(2));

  examples.forEach((code, i) => {
    it(`example ${i + 1} runs and prints what its comments say`, () => {
      const run = runScript(code);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const printed = run.stdout.replace(/\s+/g, ' ');
      // Each `console.log(...); // value` comment: the value must appear (… ends a prefix).
      for (const [, comment] of code.matchAll(/console\.log\([^;]*;\s*\/\/ (.*)$/gm)) {
        for (const part of comment.split('…').map((p) => p.trim()).filter(Boolean)) {
          expect(printed).toContain(part.replace(/\s+/g, ' ').replace(/^\[ /, '[ '));
        }
      }
    });
  });
});

describe("README's API table", () => {
  const api = readme.slice(readme.indexOf('## API'), readme.indexOf('### Two builds'));
  const listed = new Set([...api.matchAll(/`(\w+)\(/g)].map((m) => m[1]));

  it('lists every row of the op table, its reductions too', () => {
    const names = [...REGISTRY, ...REDUCTIONS].map((row) => row.name);
    expect(names.filter((name) => !listed.has(name))).toEqual([]);
  });
});
