import { Redis } from 'ioredis';

/** Redis keys of one shared feed: the seq counter and the stream that is its history. */
export interface FeedKeys {
  readonly seq: string;
  readonly stream: string;
}

/** The keys of a feed named `name` (one per cell, so runs sharing a Redis never mix). */
export function feedKeys(name: string): FeedKeys {
  return { seq: `feedbench:${name}:seq`, stream: `feedbench:${name}:updates` };
}

// Assigns the next seq and appends the update under the stream id `<seq>-0`, atomically: every
// writer (the scheduled publisher, any instance taking a client's publish) gets a distinct seq,
// and the stream's order is seq order. MAXLEN bounds the shared history like a ring.
const PUBLISH_SCRIPT = `
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], seq .. '-0', 'ts', ARGV[1], 'data', ARGV[2])
return seq`;

/**
 * One process's link to a feed shared through Redis (scale-out, claim C5): the publisher writes
 * each update once; every server instance follows the stream from the start, so its own ring
 * holds the shared history and it can answer any cursor, and fans each update out to its clients.
 */
export class RedisBackplane {
  readonly #writer: Redis;
  #reader: Redis | undefined;
  #closed = false;

  constructor(
    private readonly url: string,
    private readonly keys: FeedKeys,
    private readonly historySize: number,
  ) {
    this.#writer = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: false,
    });
    // Failures reach the caller through the commands' promises; without a listener ioredis also
    // prints them.
    this.#writer.on('error', () => {});
  }

  /** Connects the writer; rejects with a clear message when Redis cannot be reached. */
  async connect(): Promise<void> {
    try {
      await this.#writer.connect();
      await this.#writer.ping();
    } catch (error) {
      this.#writer.disconnect();
      throw new Error(`cannot reach Redis at ${this.url}: ${(error as Error).message}`);
    }
  }

  /** Publishes one update; resolves with the seq it was given. */
  async publish(data: string, ts: number): Promise<number> {
    return Number(
      await this.#writer.eval(
        PUBLISH_SCRIPT,
        2,
        this.keys.seq,
        this.keys.stream,
        String(Math.round(ts)),
        data,
        String(this.historySize),
      ),
    );
  }

  /**
   * Follows the stream from its beginning, calling `onUpdate` for every update in seq order,
   * until `close`. A blocking XREAD on a connection of its own, so writes never wait behind it.
   */
  follow(
    onUpdate: (update: { seq: number; ts: number; data: string }) => void,
    onError: (error: Error) => void,
  ): void {
    const reader = this.#writer.duplicate({ lazyConnect: false, enableOfflineQueue: true });
    this.#reader = reader;
    reader.on('error', () => {}); // a broken read ends the loop below, which reports it
    let lastId = '0-0';
    const loop = async () => {
      while (!this.#closed) {
        const batch = await reader.xread(
          'COUNT',
          1000,
          'BLOCK',
          0,
          'STREAMS',
          this.keys.stream,
          lastId,
        );
        for (const [, entries] of batch ?? []) {
          for (const [id, fields] of entries) {
            lastId = id;
            const seq = Number(id.slice(0, id.indexOf('-')));
            onUpdate({
              seq,
              ts: Number(fields[fields.indexOf('ts') + 1]),
              data: fields[fields.indexOf('data') + 1] ?? '',
            });
          }
        }
      }
    };
    loop().catch((error: Error) => {
      if (!this.#closed) onError(error);
    });
  }

  /** Redis's own CPU so far (user + system, µs), from INFO: the backplane's cost. */
  async redisCpuUs(): Promise<number> {
    const info = await this.#writer.info('cpu');
    const field = (name: string) =>
      Number(new RegExp(`(?:^|\\n)${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
    return Math.round((field('used_cpu_sys') + field('used_cpu_user')) * 1e6);
  }

  /** Deletes the feed's keys (a Redis shared with other work keeps nothing of ours). */
  async deleteFeed(): Promise<void> {
    await this.#writer.del(this.keys.seq, this.keys.stream);
  }

  /** Stops following and disconnects. */
  close(): void {
    this.#closed = true;
    this.#reader?.disconnect();
    this.#writer.disconnect();
  }
}
