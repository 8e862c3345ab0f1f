import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        // Pure and in-process tests (fake timers where time matters): every file at once.
        test: { name: 'unit', include: ['src/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // Tests that start processes, servers, Chromium, Redis or HAProxy: two files at a time on
        // this 2-core machine (each file's children take the cores the other leaves). None of them
        // asserts a speed: what timing they check has a bound a busy machine keeps.
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
