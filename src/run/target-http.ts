import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Http2Connection } from '../transports/shared/http2-connection.ts';

/** How long one request to a target may take. */
const REQUEST_TIMEOUT_MS = 5_000;

/**
 * How feedbench reaches a target: its origin, and for https the CA to trust (absent: the system's).
 */
export interface TargetAddress {
  readonly url: URL;
  readonly ca?: string;
}

/** A target's answer: status and body text. */
export interface TargetAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * A target's whole answer: with its headers and how long it took, from sending to the end of the
 * body.
 */
export interface TargetExchange extends TargetAnswer {
  readonly headers: IncomingHttpHeaders;
  readonly ms: number;
}

/** One request to a target, beyond a path. */
export interface TargetRequest {
  readonly method?: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** The port a target URL names, or its scheme's default. */
export const targetPort = (url: URL): number =>
  Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/**
 * One HTTP/1.1 request to a target (http, or https trusting `ca`); rejects with the cause's code
 * or message when the target cannot be reached.
 */
export function requestTarget(
  target: TargetAddress,
  path: string,
  method: 'GET' | 'POST' = 'GET',
  body?: string,
): Promise<TargetAnswer> {
  return exchangeWithTarget(target, path, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });
}

/**
 * Sends one request and calls back with the answer's head as soon as it arrives (a stream's body
 * may never end); the request's socket closes when the caller destroys it.
 */
export function openTargetRequest(
  target: TargetAddress,
  path: string,
  req: TargetRequest,
  onHead: (res: IncomingMessage) => void,
  onError: (error: Error) => void,
): { destroy(): void } {
  const url = new URL(path, target.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = req.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const sent = request(
    url,
    {
      method: req.method ?? 'GET',
      timeout: timeoutMs,
      agent: false,
      ...(target.ca ? { ca: target.ca } : {}),
      headers: { ...req.headers },
    },
    onHead,
  );
  sent.on('timeout', () => sent.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  sent.on('error', (error: NodeJS.ErrnoException) =>
    onError(new Error(error.code ?? error.message)),
  );
  sent.end(req.body);
  return { destroy: () => sent.destroy() };
}

/** One whole exchange with a target: status, headers, body text and time taken. */
export function exchangeWithTarget(
  target: TargetAddress,
  path: string,
  req: TargetRequest = {},
): Promise<TargetExchange> {
  const startMs = performance.now();
  return new Promise((resolve, reject) => {
    openTargetRequest(
      target,
      path,
      req,
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text,
            headers: res.headers,
            ms: performance.now() - startMs,
          }),
        );
        res.on('error', reject);
      },
      reject,
    );
  });
}

/**
 * What a target lacks for HTTP/2 cells, each in a sentence (null: nothing): `refused` when it does
 * not speak it as a scenario with `http: "2"` needs (h2 by ALPN for https, h2c with prior
 * knowledge for http, `GET /health` answered over it), `noWebSocket` when it does but offers no
 * WebSocket over it (SETTINGS_ENABLE_CONNECT_PROTOCOL, RFC 8441).
 */
export interface Http2Support {
  readonly refused: string | null;
  readonly noWebSocket: string | null;
}

/** Finds out what `target` lacks for HTTP/2 cells (see `Http2Support`). */
export async function http2Support(target: TargetAddress): Promise<Http2Support> {
  const { url } = target;
  const refused = (why: string): Http2Support => ({ refused: why, noWebSocket: null });
  let connection: Http2Connection;
  try {
    connection = await Http2Connection.openSettled({
      host: url.hostname,
      port: targetPort(url),
      ...(url.protocol === 'https:' ? { tlsCa: target.ca ?? '' } : {}),
    });
  } catch (error) {
    return refused(
      `${url.origin} refused HTTP/2 (http: "2" uses ${url.protocol === 'https:' ? 'h2 by ALPN' : 'h2c with prior knowledge'}): ${(error as Error).message}`,
    );
  }
  try {
    const status = await new Promise<number>((resolve, reject) => {
      let code = 0;
      connection.request({ ':path': '/health' }, undefined, {
        onHead: (s) => (code = s),
        onEnd: () => resolve(code),
        onError: reject,
      });
    });
    if (status !== 200)
      return refused(`${url.origin} answered GET /health over HTTP/2 with ${status}, not 200`);
    return {
      refused: null,
      noWebSocket: connection.offersExtendedConnect
        ? null
        : `${url.origin} speaks HTTP/2 but does not offer WebSocket over it: its SETTINGS lack SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441)`,
    };
  } catch (error) {
    return refused(
      `${url.origin} did not answer GET /health over HTTP/2: ${(error as Error).message}`,
    );
  } finally {
    connection.close();
  }
}
