import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import the built package as users do ('lanes', 'lanes/promises'):
// the workers it starts need the compiled JS in dist/.
const dist = (file: string) => fileURLToPath(new URL(`./dist/${file}`, import.meta.url));

// Two groups, one after the other. First the files whose work is compute on
// fixed data (the ULP sweeps, the op and fuzz checks), two at a time: on two
// cores that takes about a quarter off the suite. Then the rest, one file at
// a time: those kill workers, close pools, time out or start child
// processes, and a replacement worker that instantiates the module while
// another file holds both cores has taken over 10 s.
const COMPUTE = ['abi', 'atan2', 'errors', 'exhaustive', 'exp', 'expr', 'expr-errors', 'fuzz', 'heap', 'hypot', 'load', 'ops', 'overlap', 'pack', 'position', 'pow', 'reductions', 'stats', 'ulp'].map((name) => `test/${name}.test.ts`);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^lanes$/, replacement: dist('index.js') },
      { find: /^lanes\/promises$/, replacement: dist('promises.js') },
    ],
  },
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'compute', include: COMPUTE, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'pool', include: ['test/**/*.test.ts'], exclude: COMPUTE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
