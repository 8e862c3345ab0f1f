import { defineConfig } from 'vitest/config';

/**
 * Integration files that run one at a time, after the others. Run beside another file on these 2
 * cores they failed on clean clones, each for a timing its check depends on: Chromium's own byte
 * counts and the server's byte samples at a window's edges (the browser files), and a paused
 * client's resume racing the server's grace before it cuts a slow consumer (overload). Every file
 * that drives Chromium is here for a second reason: a file that makes network namespaces (agents,
 * loss) adds and removes interfaces in this host's namespace, Chromium takes that for a change of
 * network, and it closes its HTTP/2 connections and fails what was in flight on them with
 * net::ERR_NETWORK_CHANGED (the demo's four HTTP/2 lanes stopped so, beside the agents' file).
 */
const ALONE = [
  'test/browser-clients.test.ts',
  'test/browser-origins.test.ts',
  'test/report-browser.test.ts',
  'test/overload.test.ts',
  'test/http3.test.ts',
  'test/demo.test.ts',
  'test/sse-reconnect.test.ts',
  'test/chromium-launch.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Tests check behaviour, not CPU: a fresh server is not settled before its warm-up (a settle
    // per fresh server made the suite 100 s longer). Tests of the settle set settleMs themselves.
    env: { FEEDBENCH_SETTLE_MS: '0' },
    // Each file's temporary files in a folder of its own, removed after it.
    setupFiles: ['test/helpers/temp-root.ts'],
    projects: [
      {
        extends: true,
        // Pure and in-process tests (fake timers where time matters): every file at once.
        test: { name: 'unit', include: ['src/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // Tests that start processes, servers, Redis or HAProxy: two files at a time on this
        // 2-core machine (each file's children take the cores the other leaves).
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
