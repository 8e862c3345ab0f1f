import { Http2Connection } from '../transports/shared/http2-connection.ts';
import { transportNamed } from '../transports/registry.ts';
import type { ClientOptions, ClientRecorder } from '../transports/transport.ts';
import { targetPort } from '../run/target-http.ts';
import {
  NotApplicable,
  expectThat,
  marker,
  publish,
  type CaseContext,
  type ConformCase,
} from './case-kit.ts';

/** How long a case waits for something that should come promptly. */
const PROMPTLY_MS = 3_000;

const tlsOf = (ctx: CaseContext) =>
  ctx.target.url.protocol === 'https:' ? { tlsCa: ctx.target.ca ?? '' } : {};
const how = (ctx: CaseContext) =>
  ctx.target.url.protocol === 'https:' ? 'h2 by ALPN' : 'h2c with prior knowledge';

/** An HTTP/2 connection to the target, or NotApplicable: HTTP/2 is the one optional version. */
async function h2(ctx: CaseContext): Promise<Http2Connection> {
  try {
    return await Http2Connection.openSettled({
      host: ctx.target.url.hostname,
      port: targetPort(ctx.target.url),
      ...tlsOf(ctx),
    });
  } catch {
    throw new NotApplicable(
      `the target does not speak HTTP/2 (${how(ctx)}): cells over HTTP/2 cannot measure it`,
    );
  }
}

/** One of feedbench's own clients over HTTP/2, connected; the data strings it received. */
async function h2Client(
  ctx: CaseContext,
  transport: string,
): Promise<{
  received: string[];
  errors: string[];
  client: ReturnType<ReturnType<typeof transportNamed>['client']>;
}> {
  const received: string[] = [];
  const errors: string[] = [];
  const recorder: ClientRecorder = {
    update: (_s, _t, _b, _r, data) => received.push(String(data ?? '')),
    pollCompleted: () => {},
    connected: () => {},
    error: (m) => errors.push(m),
  };
  const options: ClientOptions = {
    host: ctx.target.url.hostname,
    port: targetPort(ctx.target.url),
    http: '2',
    headerProfile: 'minimal',
    pollIntervalMs: 100,
    pollMode: 'fixed-period',
    keepAlive: true,
    longPollTimeoutMs: 30_000,
    wsCompression: false,
    ...tlsOf(ctx),
  };
  const client = transportNamed(transport).client(options, recorder);
  await client.connect();
  return { received, errors, client };
}

/** Waits until `ready` holds, up to `timeoutMs`. */
async function until(ready: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!ready() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return ready();
}

/** HTTP/2, where the target offers it: the same endpoints, and WebSocket by RFC 8441. */
export const HTTP2_CASES: readonly ConformCase[] = [
  {
    id: '8.1',
    title:
      'Over HTTP/2 (h2 by ALPN over TLS, h2c with prior knowledge in the clear), GET /health answers 200',
    async run(ctx) {
      const connection = await h2(ctx);
      try {
        const status = await new Promise<number>((resolve, reject) => {
          let code = 0;
          connection.request({ ':path': '/health' }, undefined, {
            onHead: (s) => (code = s),
            onEnd: () => resolve(code),
            onError: reject,
          });
        });
        expectThat(
          status === 200,
          'status 200',
          () => String(status),
          `GET /health over HTTP/2 (${how(ctx)})`,
        );
      } finally {
        connection.close();
      }
    },
  },
  {
    id: '8.2',
    title: 'Over HTTP/2, an /sse stream carries an update published after it opens',
    transport: 'sse',
    async run(ctx) {
      (await h2(ctx)).close();
      const data = marker('8.2');
      const { received, errors, client } = await h2Client(ctx, 'sse');
      try {
        await publish(ctx, data);
        const arrived = await until(() => received.some((r) => r.includes(data)), PROMPTLY_MS);
        expectThat(
          arrived,
          `the update "${data}" on the stream`,
          () => errors.join('; ') || `${received.length} other updates`,
          `GET /sse over HTTP/2 (${how(ctx)})`,
        );
      } finally {
        client.close();
      }
    },
  },
  {
    id: '8.3',
    title:
      'Over HTTP/2, WebSocket by RFC 8441: SETTINGS_ENABLE_CONNECT_PROTOCOL = 1, and an echo frame comes back on the CONNECT stream',
    transport: 'websocket',
    async run(ctx) {
      const connection = await h2(ctx);
      const offers = connection.offersExtendedConnect;
      connection.close();
      expectThat(
        offers,
        "SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 in the server's SETTINGS",
        () => 'not offered',
        `the HTTP/2 connection preface (${how(ctx)})`,
      );
      const { errors, client } = await h2Client(ctx, 'websocket');
      try {
        let echoed = false;
        await Promise.race([
          client.send('echo', marker('8.3'), '83').then(() => (echoed = true)),
          new Promise((r) => setTimeout(r, PROMPTLY_MS)),
        ]);
        expectThat(
          echoed,
          'the echo frame back',
          () => errors.join('; ') || 'nothing',
          'CONNECT /ws (:protocol websocket), then an echo frame',
        );
      } finally {
        client.close();
      }
    },
  },
];
