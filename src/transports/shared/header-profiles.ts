import { readFileSync } from 'node:fs';

/**
 * Which request headers a polling or SSE client sends. `minimal` is what Node's http client sends
 * (Host, Connection); `browser` is what Chromium 156 sends (data/chromium-request-headers.json,
 * captured on loopback, no cookie). docs/claims.md: the headers decide polling's overhead.
 */
export type HeaderProfile = 'minimal' | 'browser';

/** The browser APIs whose captured headers the `browser` profile replays. */
export type BrowserApi = 'fetch' | 'EventSource' | 'WebSocket';

interface CapturedRequest {
  api: string;
  headers: [string, string][];
}

let captured: CapturedRequest[] | undefined;

function capturedHeaders(api: BrowserApi): [string, string][] {
  captured ??= (
    JSON.parse(
      readFileSync(new URL('../../../data/chromium-request-headers.json', import.meta.url), 'utf8'),
    ) as { requests: CapturedRequest[] }
  ).requests;
  const request = captured.find((r) => r.api === api);
  if (!request) throw new Error(`no captured ${api} request in data/chromium-request-headers.json`);
  return request.headers;
}

/**
 * Headers the browser sends that the WebSocket library sets itself (key, version, upgrade,
 * extensions).
 */
const WS_LIBRARY_HEADERS = new Set([
  'host',
  'connection',
  'upgrade',
  'sec-websocket-version',
  'sec-websocket-key',
  'sec-websocket-extensions',
]);

/**
 * The request line and headers of a GET, or of a POST when `jsonBody` is given (then followed by
 * the body), ready to write to a socket.
 * @param api which browser API's headers the `browser` profile uses.
 * @param keepAlive false sends `Connection: close` (a new connection per request).
 */
export function requestHead(
  profile: HeaderProfile,
  api: 'fetch' | 'EventSource',
  path: string,
  authority: string,
  keepAlive: boolean,
  jsonBody?: string,
): string {
  const connection = keepAlive ? 'keep-alive' : 'close';
  let head = `${jsonBody === undefined ? 'GET' : 'POST'} ${path} HTTP/1.1\r\n`;
  if (profile === 'minimal') {
    head += `Host: ${authority}\r\n`;
    if (api === 'EventSource') head += 'Accept: text/event-stream\r\n';
    head += `Connection: ${connection}\r\n`;
  } else {
    for (const [name, value] of capturedHeaders(api)) {
      const lower = name.toLowerCase();
      if (lower === 'host') head += `${name}: ${authority}\r\n`;
      else if (lower === 'connection') head += `${name}: ${connection}\r\n`;
      else if (lower === 'referer') head += `${name}: http://${authority}/\r\n`;
      else head += `${name}: ${value}\r\n`;
    }
    // A browser's fetch() POST also names its origin (captured GETs do not carry it).
    if (jsonBody !== undefined) head += `Origin: http://${authority}\r\n`;
  }
  if (jsonBody === undefined) return `${head}\r\n`;
  return `${head}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(jsonBody)}\r\n\r\n${jsonBody}`;
}

/** Extra headers for a WebSocket upgrade under a profile (the library adds its own). */
export function webSocketHeaders(
  profile: HeaderProfile,
  authority: string,
): Record<string, string> {
  if (profile === 'minimal') return {};
  const headers: Record<string, string> = {};
  for (const [name, value] of capturedHeaders('WebSocket')) {
    const lower = name.toLowerCase();
    if (WS_LIBRARY_HEADERS.has(lower)) continue;
    headers[name] = lower === 'origin' ? `http://${authority}` : value;
  }
  return headers;
}

/**
 * Headers that name the HTTP/1.1 connection itself; HTTP/2 forbids them (RFC 9113 section 8.2.2).
 */
const CONNECTION_SPECIFIC = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The headers of a GET (or of a POST when `jsonBody` is given) in HTTP/2 form: pseudo-headers
 * first, lower-case names, no connection-specific fields, as Chromium sends the same request over
 * HTTP/2. HPACK then encodes them; what goes on the wire is counted there.
 */
export function requestHeaders2(
  profile: HeaderProfile,
  api: BrowserApi,
  path: string,
  authority: string,
  scheme: 'http' | 'https',
  jsonBody?: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    ':method': jsonBody === undefined ? 'GET' : 'POST',
    ':authority': authority,
    ':scheme': scheme,
    ':path': path,
  };
  if (profile === 'minimal') {
    if (api === 'EventSource') headers.accept = 'text/event-stream';
  } else {
    for (const [name, value] of capturedHeaders(api)) {
      const lower = name.toLowerCase();
      if (CONNECTION_SPECIFIC.has(lower) || (api === 'WebSocket' && WS_LIBRARY_HEADERS.has(lower)))
        continue;
      headers[lower] =
        lower === 'referer' || lower === 'origin'
          ? `${scheme}://${authority}${lower === 'referer' ? '/' : ''}`
          : value;
    }
    if (jsonBody !== undefined) headers.origin = `${scheme}://${authority}`;
  }
  if (jsonBody !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(jsonBody));
  }
  return headers;
}
