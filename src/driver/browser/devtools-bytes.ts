import type { BrowserContext, Page } from 'playwright-core';
import { TimedByteLog } from '../../metrics/timed-byte-log.ts';

/** A WebSocket frame as the DevTools protocol reports it. */
interface DevtoolsFrame {
  opcode: number;
  payloadData: string;
}

/** A CDP MonotonicTime (seconds on the system's monotonic clock, as `nowUs` reads it) in µs. */
const atUs = (timestampS: number): number => Math.round(timestampS * 1e6);

/**
 * The bytes of one RFC 6455 frame: its payload (text as UTF-8; binary comes base64-encoded) and
 * its header (2 bytes, 2 or 8 more for a long payload, 4 for the mask a client adds).
 */
export function webSocketFrameBytes(frame: DevtoolsFrame, masked: boolean): number {
  const payload =
    frame.opcode === 1
      ? Buffer.byteLength(frame.payloadData, 'utf8')
      : Buffer.from(frame.payloadData, 'base64').length;
  const extended = payload < 126 ? 0 : payload < 65_536 ? 2 : 8;
  return payload + 2 + extended + (masked ? 4 : 0);
}

/**
 * The browser's own account of a page's bytes, from the DevTools protocol's network events, each
 * at the time Chromium stamped it: for HTTP, what it received (`encodedDataLength`: headers and
 * body as they came, before decompression, without TLS; an answer's total at `loadingFinished`,
 * a stream's as its chunks arrive); for WebSocket, every frame each way and the handshake.
 * Chromium does not say what an HTTP request sent, so HTTP's sent bytes are not counted.
 */
export async function countDevtoolsBytes(
  context: BrowserContext,
  page: Page,
): Promise<TimedByteLog> {
  const log = new TimedByteLog();
  const cdp = await context.newCDPSession(page);
  // Bytes counted so far of each answer still arriving (bounded by the page's open requests).
  const counted = new Map<string, number>();
  const received = (requestId: string, timestamp: number, bytes: number) => {
    counted.set(requestId, (counted.get(requestId) ?? 0) + bytes);
    if (bytes > 0) log.add(atUs(timestamp), bytes, 0);
  };
  cdp.on('Network.responseReceived', (e) =>
    received(e.requestId, e.timestamp, e.response.encodedDataLength),
  );
  cdp.on('Network.dataReceived', (e) => received(e.requestId, e.timestamp, e.encodedDataLength));
  cdp.on('Network.loadingFinished', (e) => {
    // The answer's total is exact; its chunks' counts may have come in lumps or not at all.
    const rest = e.encodedDataLength - (counted.get(e.requestId) ?? 0);
    counted.delete(e.requestId);
    if (rest > 0) log.add(atUs(e.timestamp), rest, 0);
  });
  cdp.on('Network.loadingFailed', (e) => counted.delete(e.requestId));
  cdp.on('Network.webSocketHandshakeResponseReceived', (e) =>
    log.add(
      atUs(e.timestamp),
      e.response.headersText?.length ?? 0,
      e.response.requestHeadersText?.length ?? 0,
    ),
  );
  cdp.on('Network.webSocketFrameReceived', (e) =>
    log.add(atUs(e.timestamp), webSocketFrameBytes(e.response, false), 0),
  );
  cdp.on('Network.webSocketFrameSent', (e) =>
    log.add(atUs(e.timestamp), 0, webSocketFrameBytes(e.response, true)),
  );
  await cdp.send('Network.enable');
  return log;
}
