import WebSocket from 'ws';
import { expectThat, type CaseContext } from './case-kit.ts';
import { Waiters } from './waiters.ts';
import { rawDataText } from '../transports/websocket/raw-data-text.ts';

/** A WebSocket of a case: what it received and how it closed. */
export interface CaseSocket {
  readonly ws: WebSocket;
  /** Text frames as they came (at most 1,000: a case reads a few, never a whole feed). */
  readonly frames: string[];
  /** ms to the open, or the failure. */
  readonly opened: Promise<{ ms: number } | { error: string }>;
  closed: { code: number; reason: string } | null;
  until(ready: () => boolean, timeoutMs: number): Promise<boolean>;
}

/** Opens a WebSocket to a path of the target (wss:// for an https:// target, trusting its CA). */
function openSocket(ctx: CaseContext, path: string): CaseSocket {
  const url = new URL(path, ctx.target.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url, {
    ...(ctx.target.ca ? { ca: ctx.target.ca } : {}),
    handshakeTimeout: 5_000,
  });
  const startMs = performance.now();
  const waiters = new Waiters();
  const socket: CaseSocket = {
    ws,
    frames: [],
    closed: null,
    opened: new Promise((resolve) => {
      ws.once('open', () => resolve({ ms: performance.now() - startMs }));
      ws.once('error', (error) => resolve({ error: error.message }));
      ws.once('unexpected-response', (_req, res) =>
        resolve({ error: `the upgrade was answered ${res.statusCode}` }),
      );
    }),
    until: (ready, timeoutMs) => waiters.until(ready, timeoutMs),
  };
  ws.on('message', (data) => {
    if (socket.frames.length < 1_000) socket.frames.push(rawDataText(data));
    waiters.wake();
  });
  ws.on('close', (code, reason) => {
    socket.closed = { code, reason: reason.toString() };
    waiters.wake();
  });
  ws.on('error', () => {});
  return socket;
}

/** Opens a socket for a case, fails the case when it does not open, and always closes it. */
export async function withSocket(
  ctx: CaseContext,
  path: string,
  body: (socket: CaseSocket, request: string) => Promise<void>,
): Promise<void> {
  const socket = openSocket(ctx, path);
  const request = `GET ${path} (WebSocket upgrade)`;
  try {
    const opened = await socket.opened;
    expectThat(
      'ms' in opened,
      'the upgrade (101)',
      () => ('error' in opened ? opened.error : ''),
      request,
    );
    await body(socket, request);
  } finally {
    socket.ws.terminate();
  }
}
