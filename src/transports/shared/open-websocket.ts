import { WebSocket } from 'ws';
import { requestHeaders2, webSocketHeaders } from './header-profiles.ts';
import { openClientSocket } from './client-socket.ts';
import { openHttpConnection } from './http-connection.ts';
import { ANSWER_TIMEOUT_MS, noAnswerError, withDeadline } from './answer-deadline.ts';
import { clientWebSocketOnStream } from './extended-connect.ts';
import type { WireCounter } from '../../metrics/wire-counter.ts';
import type { ClientOptions } from '../transport.ts';

/**
 * Opens the feed's WebSocket over HTTP/1.1 (an upgrade): resolves at once with a socket that
 * emits `open` when the upgrade completes.
 */
function openOverHttp1(options: ClientOptions, path: string, wire: WireCounter): WebSocket {
  const { host, port, headerProfile, wsCompression, tlsCa } = options;
  const ws = new WebSocket(`${tlsCa !== undefined ? 'wss' : 'ws'}://${host}:${port}${path}`, {
    perMessageDeflate: wsCompression,
    // The driver reads only seq and ts; validating every payload's UTF-8 is work a measuring
    // client need not do (the server side still validates what it receives).
    skipUTF8Validation: true,
    headers: webSocketHeaders(headerProfile, `${host}:${port}`),
    // feedbench opens the socket itself, so that wire bytes are counted on the TCP socket
    // (under TLS, when there is TLS) from the first byte of the upgrade.
    createConnection: () => {
      const { socket, raw } = openClientSocket(options);
      wire.track(raw);
      return socket;
    },
  });
  // An upgrade that never answers is a hung connection. ws's own handshakeTimeout never fires on
  // a socket it did not open (seen: nothing after 13 s against a server that accepts and stays
  // silent), so the deadline is kept here: the opener hears of it as of any failed upgrade.
  const deadline = setTimeout(() => {
    if (ws.readyState !== WebSocket.CONNECTING) return;
    ws.emit('error', noAnswerError('the WebSocket upgrade', ANSWER_TIMEOUT_MS));
    ws.terminate();
  }, ANSWER_TIMEOUT_MS);
  deadline.unref();
  ws.once('open', () => clearTimeout(deadline));
  ws.once('close', () => clearTimeout(deadline));
  return ws;
}

/**
 * Opens the feed's WebSocket over HTTP/2 (RFC 8441): a CONNECT stream with `:protocol websocket`
 * on the client's HTTP/2 connection; resolves with an open socket once the server answers 200.
 */
async function openOverHttp2(
  options: ClientOptions,
  path: string,
  wire: WireCounter,
): Promise<WebSocket> {
  const connection = await openHttpConnection(options, wire);
  const h2 = connection.http2;
  if (!h2) throw new Error('not an HTTP/2 connection');
  // RFC 8441: a client may send an extended CONNECT only once the server's SETTINGS offered it.
  try {
    await h2.settled();
  } catch (error) {
    connection.close();
    throw error;
  }
  if (!h2.offersExtendedConnect) {
    connection.close();
    throw new Error(
      `${options.host}:${options.port} does not offer WebSocket over HTTP/2: its SETTINGS lack SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441)`,
    );
  }
  const scheme = options.tlsCa !== undefined ? 'https' : 'http';
  const headers: Record<string, string> = {
    ...requestHeaders2(
      options.headerProfile,
      'WebSocket',
      path,
      `${options.host}:${options.port}`,
      scheme,
    ),
    ':method': 'CONNECT',
    ':protocol': 'websocket',
    'sec-websocket-version': '13',
  };
  const stream = h2.session.request(headers, { endStream: false });
  const answered = new Promise<WebSocket>((resolve, reject) => {
    stream.once('response', (answer) => {
      const status = Number(answer[':status']);
      if (status !== 200) {
        stream.close();
        connection.close();
        reject(new Error(`${path} answered ${status} to the extended CONNECT`));
        return;
      }
      const ws = clientWebSocketOnStream(stream);
      // The socket's end is the connection's for this client (a shared one lives on for the
      // others).
      ws.once('close', () => connection.close());
      resolve(ws);
    });
    stream.once('error', reject);
    stream.once('close', () =>
      reject(
        new Error(`the CONNECT stream closed before an answer (RST_STREAM ${stream.rstCode})`),
      ),
    );
  });
  return withDeadline(answered, ANSWER_TIMEOUT_MS, 'the extended CONNECT', () =>
    connection.close(),
  );
}

/**
 * A WebSocket for one client at `path` (query included: the feed's `/ws`, or Socket.IO's), over
 * the HTTP version its options name. Over HTTP/1.1 the socket is returned before it opens (wait
 * for `open`); over HTTP/2 it is already open.
 */
export function openFeedWebSocket(
  options: ClientOptions,
  path: string,
  wire: WireCounter,
): Promise<WebSocket> {
  return options.http === '2'
    ? openOverHttp2(options, path, wire)
    : Promise.resolve(openOverHttp1(options, path, wire));
}
