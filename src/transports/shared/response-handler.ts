/** What a caller hears about one response, on an HTTP/1.1 connection or an HTTP/2 stream. */
export interface ResponseHandler {
  onHead?(status: number, headers: Map<string, string>): void;
  onBody?(piece: Buffer): void;
  onEnd(): void;
  /** The connection failed or closed before the response ended. */
  onError(error: Error): void;
}
