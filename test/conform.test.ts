import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFeedServer,
  DEFAULT_SERVER_OPTIONS,
  type FeedServer,
} from '../src/server/feed-server.ts';
import { selfSignedCertificate } from '../src/server/tls-certificate.ts';
import { runConformance } from '../src/conform/conform.ts';
import { readConformance } from '../src/results/index.ts';
import { startFeedbench } from './helpers/cli.ts';
import { almostRightServer } from './helpers/almost-right-server.ts';

describe('feedbench conform', () => {
  let own: FeedServer;
  let ownPort: number;
  beforeAll(async () => {
    own = createFeedServer(DEFAULT_SERVER_OPTIONS);
    ownPort = await own.listen(0, '127.0.0.1');
  });
  afterAll(() => own.close());

  it("passes feedbench's own server on every case, HTTP/2 (h2c) included", async () => {
    const report = await runConformance({ url: new URL(`http://127.0.0.1:${ownPort}`) });
    const notPassed = report.cases
      .filter((c) => c.state !== 'pass')
      .map((c) => `${c.id} ${c.state}: ${c.expected ?? c.reason} / ${c.got}`);
    expect(notPassed).toEqual([]);
    expect(report.cases.length).toBeGreaterThanOrEqual(38);
    expect(report.summary).toEqual({ passed: report.cases.length, failed: 0, not_applicable: 0 });
  }, 120_000);

  it('passes the node-http server (the same transports on bare node:http) on every case', async () => {
    const bare = createFeedServer({ ...DEFAULT_SERVER_OPTIONS, framework: 'none' });
    const port = await bare.listen(0, '127.0.0.1');
    try {
      const report = await runConformance({ url: new URL(`http://127.0.0.1:${port}`) });
      expect(report.cases.filter((c) => c.state !== 'pass').map((c) => c.id)).toEqual([]);
      expect(report.summary.passed).toBe(report.cases.length);
    } finally {
      await bare.close();
    }
  }, 120_000);

  it('passes it over TLS too (h2 by ALPN), trusting the certificate it is given', async () => {
    const certificate = selfSignedCertificate();
    const server = createFeedServer({ ...DEFAULT_SERVER_OPTIONS, tls: certificate });
    const port = await server.listen(0, '127.0.0.1');
    try {
      const report = await runConformance(
        { url: new URL(`https://127.0.0.1:${port}`), ca: certificate.cert },
        { quick: true },
      );
      expect(
        report.cases.filter((c) => c.state !== 'pass').map((c) => `${c.id} ${c.got ?? c.reason}`),
      ).toEqual([]);
      expect(report.cases.map((c) => c.id)).toEqual([
        '1.1',
        '1.3',
        '2.1',
        '2.2',
        '3.1',
        '3.2',
        '4.1',
        '4.2',
        '5.1',
        '5.2',
      ]);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('fails an almost-right server on exactly what it gets wrong, with expected vs got and the request; what it does not serve does not apply', async () => {
    const broken = almostRightServer();
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    try {
      const report = await runConformance({
        url: new URL(`http://127.0.0.1:${(broken.address() as AddressInfo).port}`),
      });
      const failed = Object.fromEntries(
        report.cases.filter((c) => c.state === 'fail').map((c) => [c.id, c]),
      );
      expect(Object.keys(failed).sort()).toEqual([
        '2.3',
        '2.4',
        '3.1',
        '3.4',
        '3.5',
        '6.2',
        '6.3',
        '7.1',
        '7.2',
        '7.3',
      ]);
      expect(failed['3.1']).toMatchObject({
        expected: '{"updates": [], "last": <integer>} within 1000 ms',
        request: 'GET /long-poll',
      });
      expect(failed['3.1']!.got).toMatch(/after \d+ ms/);
      expect(failed['2.3']).toMatchObject({
        expected: 'status 400',
        request: 'GET /poll?since=abc',
      });
      expect(failed['7.2']).toMatchObject({
        expected: 'a JSON object',
        got: '"not found"',
        request: 'GET /no-such-endpoint',
      });
      const notApplicable = report.cases.filter((c) => c.state === 'not-applicable');
      expect(
        notApplicable.filter((c) => c.id.startsWith('4.') || c.id.startsWith('5.')).length,
      ).toBe(12);
      expect(notApplicable.find((c) => c.id === '4.1')!.reason).toBe(
        'the target does not serve sse (its /health lists short-poll, long-poll)',
      );
      expect(notApplicable.find((c) => c.id === '8.1')!.reason).toMatch(/does not speak HTTP\/2/);
    } finally {
      broken.close();
    }
  }, 120_000);

  it("makes run --target refuse a target that gets a quick case its cells need wrong, with the case's text, before any cell", async () => {
    const broken = almostRightServer();
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-conform-run-'));
    try {
      // Asynchronous: the target answers from this process.
      const child = startFeedbench([
        'run',
        '--quick',
        '--transports',
        'long-poll',
        '--target',
        `http://127.0.0.1:${(broken.address() as AddressInfo).port}`,
        '--out',
        dir,
        '--no-report',
      ]);
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const status = await new Promise<number | null>((r) => child.once('exit', r));
      expect(status).toBe(2);
      expect(stderr).toContain("gets 1 of the feed protocol's quick cases wrong");
      expect(stderr).toContain(
        '3.1 GET /long-poll without since answers at once like /poll, even when nothing is published',
      );
      expect(stderr).toContain('request:  GET /long-poll');
    } finally {
      broken.close();
    }
  }, 60_000);

  it('prints the table, writes the JSON and exits 0 for a conforming server, from the command line', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'feedbench-conform-')), 'conform.json');
    const child = startFeedbench([
      'conform',
      `http://127.0.0.1:${ownPort}`,
      '--quick',
      '--out',
      out,
    ]);
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    const status = await new Promise<number | null>((r) => child.once('exit', r));
    expect(status).toBe(0);
    expect(stdout).toMatch(/^1\.1\s+pass\s+GET \/health answers/m);
    expect(stdout).toContain('10 passed, 0 failed, 0 not applicable');
    expect(readConformance(out).summary).toEqual({ passed: 10, failed: 0, not_applicable: 0 });
  }, 60_000);
});
