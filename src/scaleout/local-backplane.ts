import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Publisher } from '../feed/publisher.ts';

/**
 * What one instance may have unread on the hub's socket before the hub drops it: an instance that
 * stops reading must not grow the hub (it then exits, as when it loses Redis).
 */
const MAX_FOLLOWER_BACKLOG_BYTES = 64 * 1024 * 1024;
/** The longest line either side accepts: an update or a publish (bodies are at most 64 KiB). */
const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Calls `onLine` for each newline-ended line of a socket; a line past MAX_LINE_BYTES ends the
 * socket.
 */
function readLines(socket: Socket, onLine: (line: string) => void): void {
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (piece: string) => {
    pending += piece;
    // One pass over the chunk, one copy of its unfinished tail: a history of thousands of lines
    // arrives in one piece, and slicing the rest after each line would copy it once per line.
    let start = 0;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
      onLine(pending.slice(start, nl));
      start = nl + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_BYTES)
      socket.destroy(new Error(`a line over ${MAX_LINE_BYTES} bytes`));
  });
}

/**
 * The hub of a feed shared on one host without Redis (scale-out, claim C5): the publisher
 * process's own feed, whose ring is the shared history and whose seqs are the only ones. Every
 * instance connects to its local socket, gets the retained history from the start and then each
 * update as it is published, one JSON line each; an instance's client publish is a line
 * `{"id", "data"}` answered `{"id", "seq"}` once the update has gone to every instance.
 */
export class LocalFeedHub {
  readonly #server: Server;
  readonly #followers = new Set<Socket>();

  constructor(private readonly publisher: Publisher) {
    this.#server = createServer((socket) => this.#follow(socket));
    publisher.onPublish((update) => {
      const line = `${update.json}\n`;
      for (const follower of this.#followers) this.#send(follower, line);
    });
  }

  /** Listens on a local socket path. */
  listen(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(path, () => resolve());
    });
  }

  #follow(socket: Socket): void {
    socket.on('error', () => {});
    const ring = this.publisher.ring;
    // The history first, from its start, then every update as it comes: any instance answers any
    // cursor.
    for (let seq = ring.first; seq <= ring.last && seq > 0; seq++) {
      const update = ring.get(seq);
      if (update) this.#send(socket, `${update.json}\n`);
    }
    this.#followers.add(socket);
    socket.once('close', () => this.#followers.delete(socket));
    readLines(socket, (line) => {
      const message = JSON.parse(line) as { id: number; data: string };
      // Published here, the update goes to every follower (this one included) before the answer.
      const seq = this.publisher.publishNow(message.data).seq;
      this.#send(socket, `${JSON.stringify({ id: message.id, seq })}\n`);
    });
  }

  #send(socket: Socket, line: string): void {
    if (socket.writableLength > MAX_FOLLOWER_BACKLOG_BYTES)
      socket.destroy(new Error('the instance stopped reading the shared feed'));
    else socket.write(line);
  }

  /** Closes the socket and every instance's connection. */
  close(): void {
    for (const follower of this.#followers) follower.destroy();
    this.#server.close();
  }
}

/**
 * One instance's link to a feed shared on this host (LocalFeedHub): it follows the hub's updates
 * from the start, in seq order, and sends its clients' publishes to the hub, which gives the seq.
 */
export class LocalBackplane {
  #socket: Socket | undefined;
  #nextId = 0;
  readonly #waiting = new Map<
    number,
    { resolve: (seq: number) => void; reject: (error: Error) => void }
  >();
  /**
   * Updates that came before `follow` was called (the history arrives as soon as the socket
   * connects).
   */
  #early: { seq: number; ts: number; data: string }[] | undefined = [];
  #onUpdate: (update: { seq: number; ts: number; data: string }) => void = (update) =>
    this.#early?.push(update);
  #onError: (error: Error) => void = () => {};
  #closed = false;

  constructor(private readonly path: string) {}

  /** Connects to the hub; rejects with a clear message when it cannot. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.path);
      socket.once('connect', () => {
        this.#socket = socket;
        resolve();
      });
      socket.once('error', (error) =>
        reject(new Error(`cannot reach the shared feed at ${this.path}: ${error.message}`)),
      );
      readLines(socket, (line) => this.#line(line));
      socket.once('close', () => {
        const lost = new Error("the shared feed's hub closed the connection");
        for (const { reject: fail } of this.#waiting.values()) fail(lost);
        this.#waiting.clear();
        if (!this.#closed) this.#onError(lost);
      });
    });
  }

  #line(line: string): void {
    const message = JSON.parse(line) as { seq: number; ts?: number; data?: string; id?: number };
    if (message.id !== undefined) {
      this.#waiting.get(message.id)?.resolve(message.seq);
      this.#waiting.delete(message.id);
    } else {
      // An update line carries ts and data; only an acknowledgement (with an id) has neither.
      this.#onUpdate({ seq: message.seq, ts: message.ts ?? 0, data: message.data ?? '' });
    }
  }

  /**
   * Publishes one update through the hub; resolves with its seq. The hub stamps it with its own
   * clock (`_ts` is the instance's: the same monotonic clock, on one host).
   */
  publish(data: string, _ts?: number): Promise<number> {
    const socket = this.#socket;
    if (!socket || socket.destroyed)
      return Promise.reject(new Error('the shared feed is not connected'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      socket.write(`${JSON.stringify({ id, data })}\n`);
    });
  }

  /** Calls `onUpdate` for every update, the hub's history first, in seq order. */
  follow(
    onUpdate: (update: { seq: number; ts: number; data: string }) => void,
    onError: (error: Error) => void,
  ): void {
    this.#onUpdate = onUpdate;
    this.#onError = onError;
    const early = this.#early ?? [];
    this.#early = undefined;
    for (const update of early) onUpdate(update);
  }

  /** Disconnects. */
  close(): void {
    this.#closed = true;
    this.#socket?.destroy();
  }
}
