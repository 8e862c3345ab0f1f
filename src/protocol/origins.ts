import type { IncomingHttpHeaders } from 'node:http';
import { ProtocolError } from './feed-protocol.ts';

/** The value of an allowed-origins list that stands for the server's own origin. */
export const SELF_ORIGIN = 'self';

/**
 * Whether a request's `Origin` may reach the feed under an allowed-origins list (docs/protocol.md
 * "Origins"): no list, or no Origin header (not a browser, or a same-origin GET, which browsers
 * send without one), passes; otherwise the origin must be listed, `self` meaning the request's
 * own origin (its scheme and Host).
 */
export function originAllowed(
  headers: IncomingHttpHeaders,
  allowed: readonly string[] | undefined,
  secure: boolean,
): boolean {
  const origin = headers.origin;
  if (!allowed || origin === undefined) return true;
  const host = headers.host ?? headers[':authority'];
  const own = typeof host === 'string' ? `${secure ? 'https' : 'http'}://${host}` : undefined;
  return allowed.some((entry) => (entry === SELF_ORIGIN ? origin === own : origin === entry));
}

/** The refusal of a request from an origin the list does not name. */
export function originRefusal(origin: string | undefined): ProtocolError {
  return new ProtocolError(
    403,
    'origin_not_allowed',
    `origin ${JSON.stringify(origin ?? '')} is not allowed to use this feed`,
  );
}

/**
 * Whether a request arrived over TLS: its socket is a TLS one (HTTP/1.1), or its `:scheme` says so
 * (HTTP/2).
 */
export function arrivedSecure(headers: IncomingHttpHeaders, socket: unknown): boolean {
  return (
    headers[':scheme'] === 'https' ||
    (typeof socket === 'object' && socket !== null && 'encrypted' in socket)
  );
}
