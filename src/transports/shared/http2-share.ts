import type { Http2Connection } from './http2-connection.ts';

/**
 * Several virtual clients on one HTTP/2 connection, as tabs of one browser or a proxy's upstream
 * share one: the first to ask opens it (and counts its bytes), the last to let go closes it.
 */
export class SharedHttp2Connection {
  #connection: Promise<Http2Connection> | undefined;
  #users = 0;

  /** The shared connection, opened (again, if it closed) by `open`, with one more user. */
  async acquire(open: () => Promise<Http2Connection>): Promise<{ connection: Http2Connection }> {
    const current = this.#connection && (await this.#connection.catch(() => undefined));
    if (!current || current.closed) {
      this.#connection = open();
    }
    const connection = await this.#connection!;
    this.#users++;
    return { connection };
  }

  /** One user fewer; the last one closes the connection. */
  release(): void {
    this.#users = Math.max(0, this.#users - 1);
    if (this.#users > 0) return;
    const connection = this.#connection;
    this.#connection = undefined;
    void connection?.then((c) => c.close(), () => {});
  }
}
