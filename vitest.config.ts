import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import the built package as users do ('lanes', 'lanes/promises'):
// the workers it starts need the compiled JS in dist/.
const dist = (file: string) => fileURLToPath(new URL(`./dist/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^lanes$/, replacement: dist('index.js') },
      { find: /^lanes\/promises$/, replacement: dist('promises.js') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
