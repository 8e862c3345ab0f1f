/**
 * Micro-benchmarks of the hot paths (tinybench): what the driver does per received update and
 * what the server does per published update. Prints a table; figures are for reading, not for
 * asserting (a shared machine's timings are no test).
 *
 *   npm run bench:hot
 */
import { Bench } from 'tinybench';
import { encodeUpdate } from '../feed/update.ts';
import { makePayload } from '../feed/payload.ts';
import { pollBody } from '../protocol/feed-protocol.ts';
import { createHistogram, recordValue } from '../metrics/histogram.ts';
import { DeliveryTracker } from '../driver/delivery-tracker.ts';
import { SseParser } from '../transports/sse/sse-parser.ts';
import { ResponseParser } from '../transports/shared/http1-response-parser.ts';
import { readUpdateHead } from '../transports/shared/update-head.ts';
import { required } from '../metrics/required.ts';

const update = encodeUpdate({ seq: 123_456, ts: 1_732_460_000_123_456, data: makePayload(128, 7) });
const frame = Buffer.from(update.json);
const sseChunk = `id: ${update.seq}\ndata: ${update.json}\n\n`;
const tenUpdates = Array.from(
  { length: 10 },
  (_, i) =>
    encodeUpdate({ seq: i + 1, ts: 1_732_460_000_000_000 + i, data: makePayload(128, i) }).json,
);
const pollResponse = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(pollBody(tenUpdates, 10))}\r\nDate: Tue, 24 Nov 2026 16:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=130\r\n\r\n${pollBody(tenUpdates, 10)}`,
);
const histogram = createHistogram();
const tracker = new DeliveryTracker();
let seq = 0;
let sink = 0;
const sse = new SseParser((e) => (sink += e.data.length));
const http = new ResponseParser({
  onHead: () => {},
  onBody: (b) => (sink += b.length),
  onEnd: () => sink++,
});

const bench = new Bench({ time: 500 });
bench
  .add('driver: parse a WebSocket frame (JSON.parse, 128 B payload)', () => {
    sink += (JSON.parse(frame.toString()) as { seq: number }).seq;
  })
  .add('driver: read seq and ts from a WebSocket frame (fast path)', () => {
    sink += required(readUpdateHead(frame), "the frame's update head").seq;
  })
  .add('driver: record one latency (HDR histogram)', () => {
    recordValue(histogram, 1234 + (seq & 1023));
  })
  .add('driver: delivery accounting of one in-order seq', () => {
    tracker.record(++seq);
  })
  .add('driver: parse one SSE event', () => {
    sse.push(sseChunk);
  })
  .add('driver: parse one poll response of 10 updates (HTTP/1.1)', () => {
    http.push(pollResponse);
  })
  .add('server: encode one update as JSON', () => {
    sink += encodeUpdate({ seq: 1, ts: 1_732_460_000_123_456, data: update.data }).json.length;
  })
  .add('server: build a poll body of 10 updates', () => {
    sink += pollBody(tenUpdates, 10).length;
  })
  .add('server: SSE frame bytes for one update', () => {
    sink += Buffer.from(`id: ${update.seq}\ndata: ${update.json}\n\n`).length;
  });

await bench.run();
console.table(
  bench.tasks.map((t) => {
    const r = t.result as
      { throughput?: { mean: number }; latency?: { mean: number; p99?: number } } | undefined;
    return {
      task: t.name,
      'ops/s': Math.round(r?.throughput?.mean ?? 0).toLocaleString('en'),
      'mean ns': Math.round((r?.latency?.mean ?? 0) * 1e6),
      'p99 ns': Math.round((r?.latency?.p99 ?? 0) * 1e6),
    };
  }),
);
if (sink === -1) console.log(sink); // keeps the work observable so it is not optimised away
