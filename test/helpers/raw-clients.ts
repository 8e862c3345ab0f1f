import { connect, type Socket } from 'node:net';

/** A client on a raw TCP socket that keeps every byte it reads, and can stop and resume reading. */
export interface RawClient {
  readonly socket: Socket;
  /** Everything read so far, as latin1 text (frames and JSON are ASCII here). */
  text(): string;
  /** Resolves when the text read so far satisfies `done`, or rejects after `timeoutMs`. */
  waitFor(done: (text: string) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the server has closed the connection. */
  closed(): Promise<void>;
}

/**
 * Opens a TCP connection to the server at `port`, writes `request` and reads until the response
 * head has come; a client told to `pauseAfterHead` then stops reading, so the kernel buffers fill
 * and the server sees a consumer that never reads.
 */
export async function rawClient(
  port: number,
  request: string,
  pauseAfterHead = false,
): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let chunks = 0;
  let ended = false;
  const waiters = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    if (pauseAfterHead && ++chunks === 1) socket.pause();
    for (const wake of waiters) wake();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    ended = true;
    for (const wake of waiters) wake();
  });
  const text = (): string => received;
  const waitFor = (done: (text: string) => boolean, timeoutMs = 10_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `raw client: condition not met in ${timeoutMs} ms; read ${text().length} bytes`,
            ),
          ),
        timeoutMs,
      );
      const check = (): void => {
        if (!done(text()) && !ended) return;
        waiters.delete(check);
        clearTimeout(timer);
        if (done(text())) resolve();
        else
          reject(
            new Error(
              `raw client: closed before the condition was met; read ${text().length} bytes`,
            ),
          );
      };
      waiters.add(check);
      check();
    });
  socket.write(request);
  await waitFor((t) => t.includes('\r\n\r\n'));
  return {
    socket,
    text,
    waitFor,
    closed: () =>
      ended ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve())),
  };
}

/** A WebSocket upgrade request for `path`, written by hand. */
export const webSocketUpgrade = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

/** A plain GET request for `path`. */
export const plainGet = (path: string, extraHeaders = ''): string =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extraHeaders}\r\n`;
