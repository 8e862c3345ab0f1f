import type { ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { PATHS, gapMessage, parseNonNegativeInt } from '../protocol/feed-protocol.ts';
import type { EncodedUpdate } from '../feed/update.ts';
import { answeringErrors } from './json-response.ts';
import { Http1Connection } from './http1-connection.ts';
import { requestHead } from './header-profiles.ts';
import { SseParser } from './sse-parser.ts';
import type { ClientFactory, ClientOptions, ClientRecorder, FeedClient, ServerTransport, UpstreamKind } from './transport.ts';
import { HttpUpstream } from './http-upstream.ts';
import { Reconnector } from './reconnect-policy.ts';
import { WireCounter } from '../metrics/wire-counter.ts';
import { nowUs } from '../metrics/clock.ts';

/** The event-stream form of one update: `id: <seq>`, `data: <update JSON>`, blank line. */
function sseFrame(update: EncodedUpdate): string {
  return `id: ${update.seq}\ndata: ${update.json}\n\n`;
}

/**
 * Server-Sent Events, server side: `GET /sse?since=N` (or `Last-Event-ID: N`, which wins) opens
 * a text/event-stream that carries every update after the cursor, then each new one as it is published.
 */
export function sseServer(heartbeatMs: number): ServerTransport {
  const streams = new Set<ServerResponse>();
  let heartbeat: NodeJS.Timeout | undefined;
  return {
    name: 'sse',
    mount(app, _httpServer, publisher) {
      app.get(PATHS.sse, (req, res) => {
        answeringErrors(() => {
          const lastEventId = parseNonNegativeInt(req.get('last-event-id'), 'Last-Event-ID', 'bad_cursor');
          const since = lastEventId ?? parseNonNegativeInt(req.query.since, 'since', 'bad_cursor') ?? publisher.ring.last;
          res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
          const backlog = publisher.ring.since(since);
          let first = backlog.gap ? `event: gap\ndata: ${gapMessage(backlog.gap.from, backlog.gap.to)}\n\n` : '';
          for (const update of backlog.updates) first += sseFrame(update);
          // Headers and backlog leave in one write so the client is usable after one read.
          if (first) res.write(first);
          else res.flushHeaders();
          streams.add(res);
          res.once('close', () => streams.delete(res));
        }, res);
      });
      publisher.onPublish((update) => {
        // fairness: the frame is encoded once per update and the same bytes go to every stream,
        // as the WebSocket side does with its frame payload.
        const frame = Buffer.from(sseFrame(update));
        for (const res of streams) res.write(frame);
      });
      if (heartbeatMs > 0) {
        heartbeat = setInterval(() => {
          for (const res of streams) res.write(':\n\n');
        }, heartbeatMs);
        heartbeat.unref();
      }
    },
    heldConnections: () => streams.size,
    close() {
      clearInterval(heartbeat);
      for (const res of streams) res.destroy();
      streams.clear();
    },
  };
}

/** Server-Sent Events, client side: one stream, parsed as the WHATWG EventSource does. */
class SseClient implements FeedClient {
  readonly wire = new WireCounter();
  #connection: Http1Connection | undefined;
  #upstream: HttpUpstream | undefined;
  #closed = false;
  /** The last event id received: a reconnect resumes after it (`Last-Event-ID`). */
  #lastEventId: number | undefined;
  readonly #reconnector: Reconnector;

  constructor(private readonly options: ClientOptions, private readonly recorder: ClientRecorder) {
    this.#reconnector = new Reconnector(options.reconnect, { isClosed: () => this.#closed, reopen: () => this.#open(false), report: (m) => recorder.error(m) });
  }

  /** SSE is one-way: upstream goes as a POST on a second connection, opened at the first send. */
  send(kind: UpstreamKind, data: string, id: string): Promise<void> {
    this.#upstream ??= new HttpUpstream(this.options, this.wire);
    return this.#upstream.send(kind, data, id);
  }

  connect(): Promise<void> {
    return this.#open(true);
  }

  async #open(first: boolean): Promise<void> {
    const { host, port, headerProfile } = this.options;
    const startUs = nowUs();
    let up = false;
    const connection = await Http1Connection.open(this.options, (error) => {
      // A failure before the stream was up is the caller's (connect rejects, or the reconnect retries).
      if (up) this.#reconnector.dropped(error?.message ?? 'the server closed the event stream');
    });
    if (this.#closed) {
      connection.close();
      return;
    }
    this.#connection = connection;
    this.wire.track(connection.raw);
    const decoder = new StringDecoder('utf8');
    const parser = new SseParser((event) => {
      const recvUs = nowUs();
      if (event.event === 'gap') {
        const gap = JSON.parse(event.data) as { from: number; to: number };
        this.recorder.gap(gap.from, gap.to);
      } else if (event.event === 'message') {
        const update = JSON.parse(event.data) as { seq: number; ts: number };
        this.#lastEventId = update.seq;
        this.recorder.update(update.seq, update.ts, Buffer.byteLength(event.data), recvUs, event.data);
      }
    });
    await new Promise<void>((resolve, reject) => {
      let head = requestHead(headerProfile, 'EventSource', PATHS.sse, `${host}:${port}`, true);
      // As EventSource does on a reconnect: resume after the last event received.
      if (this.#lastEventId !== undefined) head = `${head.slice(0, -2)}Last-Event-ID: ${this.#lastEventId}\r\n\r\n`;
      connection.send(head, {
        onHead: (status) => {
          if (status !== 200) {
            reject(new Error(`${PATHS.sse} answered ${status}`));
            connection.close();
            return;
          }
          up = true;
          this.#reconnector.connected();
          const { down, up: sent } = this.wire.totals();
          if (first) this.recorder.connected(nowUs() - startUs, down + sent);
          resolve();
        },
        onBody: (piece) => parser.push(decoder.write(piece)),
        onEnd: () => {},
        onError: reject,
      });
    });
  }

  close(): void {
    this.#closed = true;
    this.#connection?.close();
    this.#upstream?.close();
  }
}

/** Makes an SSE virtual client. */
export const createSseClient: ClientFactory = (options, recorder) => new SseClient(options, recorder);
