import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createFeedServer,
  DEFAULT_SERVER_OPTIONS,
  type FeedServer,
} from '../src/server/feed-server.ts';
import { transportNamed } from '../src/transports/registry.ts';
import type { ClientRecorder, FeedClient } from '../src/transports/transport.ts';
import { readResults } from '../src/results/index.ts';
import { waitFor, runFeedbench } from './helpers/cli.ts';
import { canRunChromium } from './helpers/chromium.ts';

/** The seqs one client received and the drops it reported. */
function recording(): ClientRecorder & { seqs: number[]; errors: string[] } {
  const seqs: number[] = [];
  const errors: string[] = [];
  return {
    seqs,
    errors,
    update: (seq) => seqs.push(seq),
    pollCompleted: () => {},
    connected: () => {},
    error: (m) => errors.push(m),
  };
}

describe('SSE when the server drops streams (sse.dropEveryMs, sse.retryMs)', () => {
  let server: FeedServer | undefined;
  let client: FeedClient | undefined;
  afterEach(async () => {
    client?.close();
    await server?.close();
  });

  it('opens every stream with its cursor as an id (and the retry: asked for), so a stream cut before its first update resumes where it began', async () => {
    server = createFeedServer({ ...DEFAULT_SERVER_OPTIONS, sseDropEveryMs: 300, sseRetryMs: 50 });
    const port = await server.listen(0, '127.0.0.1');
    const response = await fetch(`http://127.0.0.1:${port}/sse`);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('retry: 50\nid: 0\n\n');
    await reader.cancel();

    const recorder = recording();
    client = transportNamed('sse').client(
      {
        host: '127.0.0.1',
        port,
        http: '1.1',
        headerProfile: 'minimal',
        pollIntervalMs: 100,
        pollMode: 'fixed-period',
        keepAlive: true,
        longPollTimeoutMs: 5_000,
        wsCompression: false,
        reconnect: { initialDelayMs: 100, maxDelayMs: 200, maxAttempts: 20 },
      },
      recorder,
    );
    await client.connect();
    // Nothing is published until the first drop has passed: the client comes back with
    // Last-Event-ID 0.
    await new Promise((r) => setTimeout(r, 400));
    for (let i = 0; i < 40; i++) {
      await server.publisher.publishForClient(`update ${i}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    await waitFor(() => recorder.seqs.length >= 40, 5_000, 'all 40 updates');
    expect(recorder.seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(recorder.errors.length).toBeGreaterThanOrEqual(3);
    expect(recorder.errors.every((e) => e === 'the server ended the event stream')).toBe(true);
  });

  it("feedbench's client remembers an id sent without data and resumes after it, as EventSource does", async () => {
    const lastEventIds: (string | undefined)[] = [];
    const raw = createServer((req, res) => {
      lastEventIds.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('id: 7\n\n');
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const recorder = recording();
    client = transportNamed('sse').client(
      {
        host: '127.0.0.1',
        port: (raw.address() as AddressInfo).port,
        http: '1.1',
        headerProfile: 'minimal',
        pollIntervalMs: 100,
        pollMode: 'fixed-period',
        keepAlive: true,
        longPollTimeoutMs: 5_000,
        wsCompression: false,
        reconnect: { initialDelayMs: 10, maxDelayMs: 10, maxAttempts: 3 },
      },
      recorder,
    );
    await client.connect();
    await waitFor(() => lastEventIds.length >= 2, 5_000, 'a reconnect');
    client.close();
    raw.closeAllConnections();
    await new Promise((r) => raw.close(r));
    expect(lastEventIds.slice(0, 2)).toEqual([undefined, '7']);
    expect(recorder.seqs).toEqual([]);
  });
});

describe.runIf(canRunChromium)(
  "the reconnect experiment: EventSource in Chromium against feedbench's client",
  () => {
    it("both come back with every update; EventSource waits its reconnection time (the server's retry:), and says so in the tail", () => {
      const dir = mkdtempSync(join(tmpdir(), 'feedbench-reconnect-'));
      const scenario = join(dir, 'reconnect.json');
      writeFileSync(
        scenario,
        JSON.stringify({
          name: 'reconnect',
          transports: ['sse'],
          clients: 1,
          ratePerSec: 20,
          payloadBytes: 64,
          warmupMs: 500,
          durationMs: 2_500,
          clientKind: ['node', 'browser'],
          sse: { dropEveryMs: 1_000, retryMs: 400 },
          saturation: { cpuShare: 10, eventLoopP99Ms: 10_000 },
        }),
      );
      const run = runFeedbench(
        ['run', scenario, '--out', dir, '--no-report', '--progress', 'none'],
        120_000,
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const cells = readResults(
        join(
          dir,
          readdirSync(dir).find((f) => f.startsWith('reconnect-'))!,
        ),
      ).cells;
      for (const cell of cells) {
        expect(cell.state).toBe('ok');
        if (cell.state !== 'ok') continue;
        expect(cell.params).toMatchObject({ sse_drop_every_ms: 1_000, sse_retry_ms: 400 });
        expect(cell.metrics.delivery).toMatchObject({
          published: 50,
          delivered: 50,
          lost: 0,
          duplicated: 0,
        });
        expect(cell.metrics.errors.count, cell.params.client_kind).toBeGreaterThanOrEqual(2);
      }
      // Chromium waits the 400 ms it was told before each reconnect: its worst update waited about
      // that long.
      const browser = cells.find((c) => c.params.client_kind === 'browser')!;
      expect(browser.state === 'ok' && browser.metrics.latency_us!.max).toBeGreaterThan(300_000);
    }, 180_000);
  },
);
