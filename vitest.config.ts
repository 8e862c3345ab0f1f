import { defineConfig } from 'vitest/config';

/**
 * Integration files that run alone, after the others: they kill processes on a timer (the
 * failover) or drive Chromium pages whose own CPU is part of what they check, so another file
 * beside them would change what they see.
 */
const ALONE = [
  'test/scale-out.test.ts',
  'test/browser-clients.test.ts',
  'test/report-browser.test.ts',
  'test/sse-reconnect.test.ts',
];

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
        // Tests that start processes, servers, Redis or HAProxy: two files at a time on this
        // 2-core machine (each file's own children take the cores the other leaves).
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ALONE,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration-alone',
          include: ALONE,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
