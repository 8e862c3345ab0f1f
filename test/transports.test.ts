import { afterEach, describe, expect, it } from 'vitest';
import {
  createFeedServer,
  DEFAULT_SERVER_OPTIONS,
  type FeedServer,
} from '../src/server/feed-server.ts';
import { transportNamed } from '../src/transports/registry.ts';
import { TRANSPORTS } from '../src/protocol/feed-protocol.ts';
import type { ClientOptions, ClientRecorder, FeedClient } from '../src/transports/transport.ts';
import { nowUs } from '../src/metrics/clock.ts';
import { waitFor } from './helpers/cli.ts';
import { selfSignedCertificate } from '../src/server/tls-certificate.ts';
import { chatMessageData, readChatStamp } from '../src/protocol/chat-stamp.ts';
import { createUpstreamOnlyClient } from '../src/transports/shared/http-upstream.ts';
import { SharedHttp2Connection } from '../src/transports/shared/http2-share.ts';

/** Records what one client saw, for exact assertions. */
class SeqRecorder implements ClientRecorder {
  seqs: number[] = [];
  latenciesUs: number[] = [];
  errors: string[] = [];
  polls = 0;
  connects = 0;
  received: (string | Buffer | undefined)[] = [];
  update(seq: number, ts: number, _bytes: number, recvUs: number, received?: string | Buffer) {
    this.seqs.push(seq);
    this.latenciesUs.push(recvUs - ts);
    this.received.push(received);
  }
  pollCompleted() {
    this.polls++;
  }
  connected() {
    this.connects++;
  }
  error(message: string) {
    this.errors.push(message);
  }
}

const CASES = TRANSPORTS.flatMap((transport) =>
  (['1.1', '2'] as const).flatMap((http) => [
    { transport, tls: false, http, shared: false },
    { transport, tls: true, http, shared: false },
  ]),
).concat(
  TRANSPORTS.map((transport) => ({ transport, tls: false, http: '2' as const, shared: true })),
);

describe.each(CASES)(
  '$transport on loopback (TLS: $tls, HTTP/$http, clients sharing a connection: $shared)',
  ({ transport, tls, http, shared }) => {
    let server: FeedServer;
    const clients: FeedClient[] = [];
    afterEach(async () => {
      for (const c of clients.splice(0)) c.close();
      await server?.close();
    });

    it('delivers all K updates to each of N clients exactly once and in order', async () => {
      const certificate = tls ? selfSignedCertificate() : undefined;
      server = createFeedServer({
        ...DEFAULT_SERVER_OPTIONS,
        ...(certificate ? { tls: certificate } : {}),
      });
      const port = await server.listen(0, '127.0.0.1');
      const options: ClientOptions = {
        host: '127.0.0.1',
        port,
        http,
        headerProfile: 'browser',
        pollIntervalMs: 20,
        pollMode: 'fixed-period',
        keepAlive: true,
        longPollTimeoutMs: 5_000,
        wsCompression: false,
        ...(certificate ? { tlsCa: certificate.cert } : {}),
      };
      const N = 8;
      const K = 40;
      const recorders = Array.from({ length: N }, () => new SeqRecorder());
      // Shared: all N clients as streams of one HTTP/2 connection, as tabs of one browser.
      const share = shared ? new SharedHttp2Connection() : undefined;
      for (const r of recorders) {
        const client = transportNamed(transport).client(
          { ...options, ...(share ? { sharedHttp2: share } : {}) },
          r,
        );
        clients.push(client);
        await client.connect();
      }
      const startUs = nowUs();
      for (let i = 0; i < K; i++) {
        server.publisher.publishNow(`update ${i}`);
        if (i % 5 === 4) await new Promise((r) => setTimeout(r, 5)); // bursts as well as spaced updates
      }
      await waitFor(
        () => recorders.every((r) => r.seqs.length >= K),
        5_000,
        'every client to receive every update',
      );
      await new Promise((r) => setTimeout(r, 60)); // a duplicate would arrive by now
      const elapsedUs = nowUs() - startUs;
      const expected = Array.from({ length: K }, (_, i) => i + 1);
      for (const r of recorders) {
        expect(r.seqs).toEqual(expected);
        expect(r.errors).toEqual([]);
        expect(r.connects).toBe(1);
        for (const latency of r.latenciesUs) {
          expect(latency).toBeGreaterThan(0);
          expect(latency).toBeLessThan(elapsedUs);
        }
      }
      if (transport === 'short-poll' || transport === 'long-poll')
        expect(recorders[0]!.polls).toBeGreaterThan(0);
      // One TCP connection per client, or one for all when they share (the upstream opens none
      // here).
      expect(server.openConnections()).toBe(shared ? 1 : N);
    });
  },
);

describe.each(
  TRANSPORTS.flatMap((transport) => (['1.1', '2'] as const).map((http) => ({ transport, http }))),
)('$transport upstream over HTTP/$http (chat and echo)', ({ transport, http }) => {
  let server: FeedServer;
  const clients: FeedClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
  });

  it.each([true, false])(
    'publishes from a client to every client and echoes back to the sender (keep-alive: %s)',
    async (keepAlive) => {
      server = createFeedServer(DEFAULT_SERVER_OPTIONS);
      const port = await server.listen(0, '127.0.0.1');
      const options: ClientOptions = {
        host: '127.0.0.1',
        port,
        http,
        headerProfile: 'minimal',
        pollIntervalMs: 20,
        pollMode: 'fixed-period',
        keepAlive,
        longPollTimeoutMs: 5_000,
        wsCompression: false,
      };
      const recorders = Array.from({ length: 3 }, () => new SeqRecorder());
      for (const r of recorders) {
        const client = transportNamed(transport).client(options, r);
        clients.push(client);
        await client.connect();
      }
      const M = 6;
      for (let k = 0; k < M; k++) {
        // Sent one after another from different clients; each resolves on its acknowledgement.
        await clients[k % 3]!.send(
          'publish',
          chatMessageData({ sentUs: 1000 + k, sender: k % 3 }, 64),
          `m${k}`,
        );
      }
      await clients[0]!.send('echo', 'How are you?', 'e1');
      await waitFor(
        () => recorders.every((r) => r.seqs.length >= M),
        5_000,
        'every client to receive every chat message',
      );
      for (const r of recorders) {
        expect(r.seqs).toEqual([1, 2, 3, 4, 5, 6]);
        // Every client reads each sender's stamp back from what it received.
        expect(r.received.map((x) => readChatStamp(x!))).toEqual(
          Array.from({ length: M }, (_, k) => ({ sentUs: 1000 + k, sender: k % 3 })),
        );
        expect(r.errors).toEqual([]);
      }
    },
  );
});

describe('HTTP upstream-only client', () => {
  it('echoes many messages in order on one connection, queueing sends behind the one in flight', async () => {
    const server = createFeedServer(DEFAULT_SERVER_OPTIONS);
    const port = await server.listen(0, '127.0.0.1');
    const recorder = new SeqRecorder();
    const client = createUpstreamOnlyClient(
      {
        host: '127.0.0.1',
        port,
        http: '1.1',
        headerProfile: 'browser',
        pollIntervalMs: 0,
        pollMode: 'fixed-period',
        keepAlive: true,
        longPollTimeoutMs: 0,
        wsCompression: false,
      },
      recorder,
    );
    try {
      await client.connect();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => client.send('echo', `How are you? ${i}`, String(i))),
      );
      expect(recorder.connects).toBe(1);
      expect(recorder.seqs).toEqual([]); // no feed: nothing published
      await expect(client.send('publish', 'x'.repeat(70_000), 'big')).rejects.toThrow(
        /answered 413/,
      );
    } finally {
      client.close();
      await server.close();
    }
  });
});
