// The task examples in examples/ run as written and print what their comments say.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const EXAMPLES = ['tasks-map.mjs', 'tasks-imap.mjs', 'tasks-scatter-gather.mjs', 'tasks-js-vs-lanes.mjs'];

describe('task examples', () => {
  for (const name of EXAMPLES) {
    it(`${name} runs and prints what its comments say`, () => {
      const file = new URL(`../examples/${name}`, import.meta.url);
      const run = spawnSync(process.execPath, [file.pathname], { encoding: 'utf8', timeout: 30_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const printed = run.stdout.replace(/\s+/g, ' ');
      const code = readFileSync(file, 'utf8');
      const expected = [...code.matchAll(/console\.log\([^;]*;\s*\/\/ (.*)$/gm)].map((m) => m[1]);
      expect(expected.length + (name === 'tasks-js-vs-lanes.mjs' ? 1 : 0)).toBeGreaterThan(0);
      for (const value of expected) expect(printed).toContain(value.replace(/\s+/g, ' '));
      if (name === 'tasks-js-vs-lanes.mjs') {
        const lines = run.stdout.trim().split('\n');
        expect(lines).toHaveLength(4);
        expect(lines.every((l) => l.includes('mean exp = 1.717423'))).toBe(true);
      }
    });
  }
});
