import { SharedResource } from '../../process/shared-resource.ts';
import type { Http2Connection } from './http2-connection.ts';

/**
 * Several virtual clients on one HTTP/2 connection, as tabs of one browser or a proxy's upstream
 * share one: the first to ask opens it (and counts its bytes), the last to let go closes it; one
 * that closed is opened again by the next to ask.
 */
export class SharedHttp2Connection extends SharedResource<Http2Connection> {
  constructor() {
    super((connection) => connection.close());
  }

  /** The shared connection, opened (again, if it closed) by `open`, with one more user. */
  override acquire(open: () => Promise<Http2Connection>): Promise<Http2Connection> {
    return super.acquire(open, (connection) => !connection.closed);
  }
}
