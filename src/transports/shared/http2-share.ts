import { SharedResource } from '../../process/shared-resource.ts';
import type { Http2Connection } from './http2-connection.ts';

/**
 * Several virtual clients on one HTTP/2 connection, as tabs of one browser or a proxy's upstream
 * share one: the first to ask opens it (and counts its bytes), the last to let go closes it; one
 * that closed is opened again by the next to ask.
 */
export class SharedHttp2Connection {
  readonly #share = new SharedResource<Http2Connection>((c) => c.close());

  /** The shared connection, opened (again, if it closed) by `open`, with one more user. */
  async acquire(open: () => Promise<Http2Connection>): Promise<{ connection: Http2Connection }> {
    return { connection: await this.#share.acquire(open, (c) => !c.closed) };
  }

  /** One user fewer; the last one closes the connection. */
  release(): void {
    this.#share.release();
  }
}
