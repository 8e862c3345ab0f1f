/**
 * An answer's header by its lower-case name (a response header a client needs: nchan's cursor is
 * `Last-Modified` and `Etag`); valid only during the `onHead` call.
 */
export type HeaderReader = (name: string) => string | undefined;

/** What a caller hears about one response, on an HTTP/1.1 connection or an HTTP/2 stream. */
export interface ResponseHandler {
  /** The answer's status, and its headers for those who ask (framing is the connection's). */
  onHead?(status: number, header: HeaderReader): void;
  onBody?(piece: Buffer): void;
  onEnd(): void;
  /** The connection failed or closed before the response ended. */
  onError(error: Error): void;
}
