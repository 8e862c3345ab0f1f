import { ProtocolError } from '../../protocol/feed-protocol.ts';

/**
 * What a JSON answer needs of a response, on HTTP/1.1 (`ServerResponse`) or HTTP/2
 * (`Http2ServerResponse`).
 */
export interface JsonAnswerable {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(body: string): unknown;
}

/**
 * Writes a JSON answer with explicit Content-Type and Content-Length.
 * fairness: every HTTP transport answers through this one function, so their headers match.
 */
export function sendJson(res: JsonAnswerable, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Answers a protocol error with its status and `{"error", "message"}` body. */
export function sendProtocolError(res: JsonAnswerable, error: ProtocolError): void {
  sendJson(res, error.status, JSON.stringify(error.toBody()));
}

/** Runs a handler and turns a thrown ProtocolError into its 4xx answer. */
export function answeringErrors(handler: () => void, res: JsonAnswerable): void {
  try {
    handler();
  } catch (error) {
    if (error instanceof ProtocolError) sendProtocolError(res, error);
    else throw error;
  }
}
