import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs pure src/ and panels/ code in Node; `e2e` drives real
// Chromium and Firefox ESR with the built extension (scripts/test.mjs builds first).
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx', 'src/**/*.test.ts', 'panels/**/*.test.tsx', 'panels/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Browsers are heavy: one file at a time keeps the 2-core machines steady.
          fileParallelism: false,
        },
      },
    ],
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
