import type { ServerResponse } from 'node:http';
import { PATHS, gapMessage, parseNonNegativeInt } from '../../protocol/feed-protocol.ts';
import type { EncodedUpdate } from '../../feed/update.ts';
import { answeringErrors } from '../shared/json-response.ts';
import { answerBacklog } from '../shared/answer-backlog.ts';
import {
  DISCONNECT_GRACE_MS,
  PushCursor,
  noSlowConsumerCounts,
  type PushSink,
} from '../shared/push-cursor.ts';
import type { ServerTransport, ServerTransportOptions } from '../transport.ts';

/** The event-stream form of one update: `id: <seq>`, `data: <update JSON>`, blank line. */
function sseFrame(update: EncodedUpdate): string {
  return `id: ${update.seq}\ndata: ${update.json}\n\n`;
}

/** An event stream as a push cursor writes to it. */
function streamSink(res: ServerResponse): PushSink {
  const backlog = answerBacklog(res);
  return {
    write: (update, frame) => res.write(frame ?? sseFrame(update)),
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
 * Server-Sent Events, server side: `GET /sse?since=N` (or `Last-Event-ID: N`, which wins) opens a
 * text/event-stream that carries every update after the cursor, then each new one as it is
 * published.
 */
export function sseServer({
  sseHeartbeatMs: heartbeatMs,
  sseDropEveryMs: dropEveryMs = 0,
  sseRetryMs: retryMs,
  slowConsumers,
}: ServerTransportOptions): ServerTransport {
  const streams = new Map<ServerResponse, PushCursor>();
  const counts = noSlowConsumerCounts();
  let heartbeat: NodeJS.Timeout | undefined;
  // The reconnect experiment: every stream ends at once, as when a proxy or a deploy cuts them.
  const drops =
    dropEveryMs > 0
      ? setInterval(() => [...streams.keys()].forEach((res) => res.end()), dropEveryMs).unref()
      : undefined;
  return {
    name: 'sse',
    mount(app, _servers, publisher) {
      app.get(PATHS.sse, (req, res) => {
        answeringErrors(() => {
          const lastEventId = parseNonNegativeInt(
            req.headers['last-event-id'],
            'Last-Event-ID',
            'bad_cursor',
          );
          const since =
            lastEventId ??
            parseNonNegativeInt(req.query.since, 'since', 'bad_cursor') ??
            publisher.ring.last;
          res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
          // The stream opens with its cursor as an id and no data: EventSource dispatches nothing
          // but keeps it as its Last-Event-ID, so a stream cut before its first update resumes
          // where it began instead of from "now" (which would lose what was published while it was
          // away). The head leaves with it at once (a stopped feed delays nothing), and so does
          // EventSource's reconnection time, if set. The backlog then goes out as the socket takes
          // it: a stream asking for the whole history holds no more than a socket buffer of it at a
          // time.
          res.write(`${retryMs === undefined ? '' : `retry: ${retryMs}\n`}id: ${since}\n\n`);
          const sink = streamSink(res);
          const cursor = new PushCursor(publisher.ring, sink, slowConsumers, counts, since);
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
      clearInterval(drops);
      for (const res of streams.keys()) res.destroy();
      streams.clear();
    },
  };
}
