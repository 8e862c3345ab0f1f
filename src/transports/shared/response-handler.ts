/** What a caller hears about one response, on an HTTP/1.1 connection or an HTTP/2 stream. */
export interface ResponseHandler {
  /** The answer's status (its headers are the connection's business: length, chunking). */
  onHead?(status: number): void;
  onBody?(piece: Buffer): void;
  onEnd(): void;
  /** The connection failed or closed before the response ended. */
  onError(error: Error): void;
}
