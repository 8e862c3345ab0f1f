import type { ServerResponse } from 'node:http';
import { PATHS, gapMessage, parseNonNegativeInt } from '../../protocol/feed-protocol.ts';
import type { EncodedUpdate } from '../../feed/update.ts';
import { answeringErrors } from '../shared/json-response.ts';
import { answerBacklog } from '../shared/answer-backlog.ts';
import { DISCONNECT_GRACE_MS, PushCursor, noSlowConsumerCounts, type PushSink } from '../shared/push-cursor.ts';
import type { ServerTransport, ServerTransportOptions } from '../transport.ts';

/** The event-stream form of one update: `id: <seq>`, `data: <update JSON>`, blank line. */
function sseFrame(update: EncodedUpdate): string {
  return `id: ${update.seq}\ndata: ${update.json}\n\n`;
}

/** An event stream as a push cursor writes to it; `wrote` turns true at its first write. */
function streamSink(res: ServerResponse): PushSink & { readonly wrote: boolean } {
  let wrote = false;
  const backlog = answerBacklog(res);
  return {
    get wrote() {
      return wrote;
    },
    write: (update, frame) => {
      wrote = true;
      res.write(frame ?? sseFrame(update));
    },
    writeGap: (from, to) => res.write(`event: gap\ndata: ${gapMessage(from, to)}\n\n`),
    queuedBytes: backlog.queuedBytes,
    full: backlog.full,
    onceDrained: (callback) => res.once('drain', callback),
    disconnect: () => {
      // The stream ends (the client may reconnect with Last-Event-ID); one that cannot even take
      // its end is cut.
      res.end();
      setTimeout(() => res.destroy(), DISCONNECT_GRACE_MS).unref();
    },
  };
}

/**
 * Server-Sent Events, server side: `GET /sse?since=N` (or `Last-Event-ID: N`, which wins) opens
 * a text/event-stream that carries every update after the cursor, then each new one as it is published.
 */
export function sseServer({ sseHeartbeatMs: heartbeatMs, slowConsumers }: ServerTransportOptions): ServerTransport {
  const streams = new Map<ServerResponse, PushCursor>();
  const counts = noSlowConsumerCounts();
  let heartbeat: NodeJS.Timeout | undefined;
  return {
    name: 'sse',
    mount(app, _servers, publisher) {
      app.get(PATHS.sse, (req, res) => {
        answeringErrors(() => {
          const lastEventId = parseNonNegativeInt(req.get('last-event-id'), 'Last-Event-ID', 'bad_cursor');
          const since = lastEventId ?? parseNonNegativeInt(req.query.since, 'since', 'bad_cursor') ?? publisher.ring.last;
          res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
          // The backlog goes out as the socket takes it: a stream asking for the whole history holds
          // no more than a socket buffer of it at a time. Headers leave with its first write, so
          // the client is usable after one read; with no backlog they leave alone.
          const sink = streamSink(res);
          const cursor = new PushCursor(publisher.ring, sink, slowConsumers, counts, since);
          if (!sink.wrote) res.flushHeaders();
          streams.set(res, cursor);
          res.once('close', () => {
            cursor.end();
            streams.delete(res);
          });
        }, res);
      });
      publisher.onPublish((update) => {
        // fairness: the frame is encoded once per update and the same bytes go to every stream,
        // as the WebSocket side does with its frame payload.
        if (streams.size === 0) return;
        const frame = Buffer.from(sseFrame(update));
        for (const cursor of streams.values()) cursor.published(update, frame);
      });
      if (heartbeatMs > 0) {
        heartbeat = setInterval(() => {
          for (const res of streams.keys()) if (!answerBacklog(res).full()) res.write(':\n\n');
        }, heartbeatMs);
        heartbeat.unref();
      }
    },
    heldConnections: () => streams.size,
    slowConsumerCounts: () => counts,
    close() {
      clearInterval(heartbeat);
      for (const res of streams.keys()) res.destroy();
      streams.clear();
    },
  };
}
