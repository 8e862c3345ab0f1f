import { decodePayload, encodePayload, type Packet } from 'engine.io-parser';
import { openHttpConnection, type HttpConnection } from '../http-connection.ts';
import type { WireCounter } from '../../../metrics/wire-counter.ts';
import type { ClientOptions } from '../../transport.ts';

/** An answer's status and text. */
interface TextAnswer {
  readonly status: number;
  readonly text: string;
}

/** Sends one request and resolves with its whole answer. */
function requestText(
  connection: HttpConnection,
  path: string,
  headTimeoutMs: number,
  body?: string,
): Promise<TextAnswer> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    let status = 0;
    connection.request(
      { api: 'fetch', path, headTimeoutMs, ...(body === undefined ? {} : { jsonBody: body }) },
      {
        onHead: (s) => (status = s),
        onBody: (piece) => pieces.push(piece),
        onEnd: () => resolve({ status, text: Buffer.concat(pieces).toString('utf8') }),
        onError: reject,
      },
    );
  });
}

/**
 * Engine.IO's HTTP long-polling transport (protocol 4), client side: GETs that the server holds
 * until it has packets, and POSTs that carry the client's, at most one of each in flight, as the
 * protocol requires. Over HTTP/1.1 the POSTs go on a connection of their own, as a browser's
 * would beside a held GET.
 */
export class EnginePolling {
  #gets: HttpConnection | undefined;
  #posts: HttpConnection | undefined;
  #path: string;
  readonly #outbox: Packet[] = [];
  #posting = false;
  #getting: Promise<void> | undefined;
  #paused = false;
  #closed = false;

  /**
   * @param basePath the Engine.IO path with `EIO=4&transport=polling`
   * @param onPackets what each answer carried, when it arrived
   * @param holdMs how long the server may hold a GET (its ping interval and time-out, once known)
   */
  constructor(
    private readonly options: ClientOptions,
    private readonly wire: WireCounter,
    basePath: string,
    private readonly onPackets: (packets: Packet[]) => void,
    private readonly onError: (error: Error) => void,
    private readonly holdMs: () => number,
  ) {
    this.#path = basePath;
  }

  /** The handshake: the first GET, answered at once with the `open` packet; returns its data. */
  async handshake(): Promise<string> {
    this.#gets = await openHttpConnection(this.options, this.wire);
    const answer = await this.#get();
    const [open, ...rest] = answer;
    if (open?.type !== 'open' || typeof open.data !== 'string')
      throw new Error(`Engine.IO's handshake answered no open packet (${open?.type ?? 'nothing'})`);
    const { sid } = JSON.parse(open.data) as { sid: string };
    this.#path += `&sid=${encodeURIComponent(sid)}`;
    if (rest.length > 0) this.onPackets(rest);
    return open.data;
  }

  /** Polls in a loop from now on, until paused or closed. */
  start(): void {
    const loop = async (): Promise<void> => {
      while (!this.#paused && !this.#closed) this.onPackets(await this.#get());
    };
    this.#getting = loop().catch((error: Error) => {
      if (!this.#closed) this.onError(error);
    });
  }

  /** Queues a packet; those queued go in one POST (a payload), after any POST in flight. */
  send(packet: Packet): void {
    this.#outbox.push(packet);
    void this.#flush();
  }

  /** Stops polling: resolves once the GET in flight has been answered (the upgrade's pause). */
  async pause(): Promise<void> {
    this.#paused = true;
    await this.#getting;
  }

  /** Closes both connections. */
  close(): void {
    this.#closed = true;
    this.#gets?.close();
    // Over HTTP/2 the POSTs share the GETs' connection: it is let go once.
    if (this.#posts !== this.#gets) this.#posts?.close();
  }

  async #get(): Promise<Packet[]> {
    const connection = this.#gets;
    if (!connection) throw new Error('Engine.IO polling before its handshake');
    const answer = await requestText(connection, this.#path, this.holdMs());
    if (answer.status !== 200)
      throw new Error(`Engine.IO's GET answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    return decodePayload(answer.text);
  }

  async #flush(): Promise<void> {
    if (this.#posting || this.#outbox.length === 0 || this.#closed) return;
    this.#posting = true;
    try {
      const payload = await new Promise<string>((resolve) =>
        encodePayload(this.#outbox.splice(0), resolve),
      );
      // HTTP/2 multiplexes the POST on the GETs' connection, as a browser does.
      if (this.options.http === '2') this.#posts = this.#gets;
      if (!this.#posts || this.#posts.closed)
        this.#posts = await openHttpConnection(this.options, this.wire);
      const answer = await requestText(this.#posts, this.#path, this.holdMs(), payload);
      if (answer.status !== 200)
        throw new Error(`Engine.IO's POST answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    } catch (error) {
      if (!this.#closed) this.onError(error as Error);
    } finally {
      this.#posting = false;
    }
    void this.#flush();
  }
}
