import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

/** What a streamed answer has not sent yet, on either HTTP version. */
export interface AnswerBacklog {
  /** Bytes written to the answer and not yet taken by the network. */
  readonly queuedBytes: () => number;
  /** True when a writer should wait for `drain`. */
  readonly full: () => boolean;
}

/**
 * The backlog of one streamed answer. Over HTTP/1.1 it is the answer's buffer plus its socket's;
 * over HTTP/2 it is the stream's own buffer, which fills when the client's flow-control window
 * for that stream is spent (the connection is shared with other streams, so its socket's buffer
 * is not this answer's).
 */
export function answerBacklog(res: ServerResponse | Http2ServerResponse): AnswerBacklog {
  if ('stream' in res && res.stream) {
    const stream = res.stream;
    return { queuedBytes: () => stream.writableLength, full: () => stream.writableNeedDrain };
  }
  const answer = res as ServerResponse;
  return {
    queuedBytes: () => answer.writableLength + (answer.socket?.writableLength ?? 0),
    full: () => answer.writableNeedDrain,
  };
}
