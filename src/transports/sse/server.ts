import type { ServerResponse } from 'node:http';
import { PATHS, gapMessage, parseNonNegativeInt } from '../../protocol/feed-protocol.ts';
import type { EncodedUpdate } from '../../feed/update.ts';
import { answeringErrors } from '../shared/json-response.ts';
import type { ServerTransport, ServerTransportOptions } from '../transport.ts';

/** The event-stream form of one update: `id: <seq>`, `data: <update JSON>`, blank line. */
function sseFrame(update: EncodedUpdate): string {
  return `id: ${update.seq}\ndata: ${update.json}\n\n`;
}

/**
 * Server-Sent Events, server side: `GET /sse?since=N` (or `Last-Event-ID: N`, which wins) opens
 * a text/event-stream that carries every update after the cursor, then each new one as it is published.
 */
export function sseServer({ sseHeartbeatMs: heartbeatMs }: ServerTransportOptions): ServerTransport {
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
