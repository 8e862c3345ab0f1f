import { makePayload } from './payload.ts';
import { UpdateRing } from './ring-buffer.ts';
import { RateSchedule, type BurstShape } from './schedule.ts';
import { encodeUpdate, type EncodedUpdate } from './update.ts';
import { TimerWaker, type Waker } from './precise-waker.ts';

/** Settings of the server's own publisher (docs/protocol.md `POST /feed`). */
export interface FeedSettings {
  /** Updates per second; 0 stops the publisher. */
  readonly rate: number;
  /** Payload size of each update in bytes. */
  readonly payloadBytes: number;
  /** Publish in bursts (rate stays the average); absent: evenly spaced. */
  readonly burst?: BurstShape;
}

/** Called once per published update, in sequence order. */
export type PublishListener = (update: EncodedUpdate) => void;

/**
 * Where updates are published when several server instances share one feed: it assigns the seq
 * and every instance receives the update back through `ingest` (scale-out, the Redis backplane).
 */
export type SharedFeedWriter = (data: string, ts: number) => Promise<number>;

/**
 * Publishes updates into a ring on a fixed schedule. Each update carries its *scheduled*
 * time, and a late timer publishes every overdue update at once: lateness is what a client
 * sees, so it lands in the delivery latency (coordinated-omission safe) and, separately, in
 * `lagUs` (actual minus scheduled publish time), which the server reports beside it.
 */
export class Publisher {
  readonly ring: UpdateRing;
  readonly #listeners: PublishListener[] = [];
  readonly #clock: () => number;
  #schedule: RateSchedule | undefined;
  #publishedInSchedule = 0;
  #payloadBytes = 0;
  #burst: BurstShape | undefined;
  readonly #recordLagUs: (lagUs: number) => void;
  #shared: SharedFeedWriter | undefined;
  readonly #waker: Waker;

  /**
   * @param ring where updates are kept for cursors.
   * @param clock monotonic µs; injectable for tests.
   * @param recordLagUs receives each scheduled publish's lag (actual minus scheduled, µs).
   * @param waker wakes the schedule at each due time: Node's timers unless given a precise one.
   */
  constructor(
    ring: UpdateRing,
    clock: () => number,
    recordLagUs: (lagUs: number) => void = () => {},
    waker: Waker = new TimerWaker(clock),
  ) {
    this.ring = ring;
    this.#clock = clock;
    this.#recordLagUs = recordLagUs;
    this.#waker = waker;
  }

  /** µs spent spinning on the clock for precise publish times so far (see PreciseWaker). */
  get spinUs(): number {
    return this.#waker.spinUs;
  }

  /** Registers a listener that fans an update out to connected clients. */
  onPublish(listener: PublishListener): void {
    this.#listeners.push(listener);
  }

  /** Current settings. */
  get settings(): FeedSettings {
    return {
      rate: this.#schedule?.ratePerSec ?? 0,
      payloadBytes: this.#payloadBytes,
      ...(this.#burst ? { burst: this.#burst } : {}),
    };
  }

  /** Starts (or restarts) the schedule from now; rate 0 stops it. */
  configure(settings: FeedSettings): void {
    this.stop();
    this.#payloadBytes = settings.payloadBytes;
    this.#burst = settings.burst;
    if (settings.rate <= 0) return;
    this.#schedule = new RateSchedule(this.#clock(), settings.rate, settings.burst);
    this.#publishedInSchedule = 0;
    this.#tick();
  }

  /** Stops the schedule; already published updates stay in the ring. */
  stop(): void {
    this.#waker.cancel();
    this.#schedule = undefined;
  }

  /** Publishes one update now, outside the schedule (chat messages, `POST /publish`). */
  publishNow(data: string): EncodedUpdate {
    return this.#emit(this.#clock(), data);
  }

  /**
   * Publishes for a client (`POST /publish`, a WebSocket publish frame) and resolves with the seq:
   * into this ring, or through the shared feed when the server is one of several instances.
   */
  async publishForClient(data: string): Promise<number> {
    if (this.#shared) return this.#shared(data, this.#clock());
    return this.publishNow(data).seq;
  }

  /**
   * Makes this publisher one instance of a shared feed: client publishes go to `writer`, updates
   * come in through `ingest`.
   */
  shareThrough(writer: SharedFeedWriter): void {
    this.#shared = writer;
  }

  /**
   * Takes an update published elsewhere (the shared feed) into the ring and fans it out. Updates
   * must come in seq order; one already held is ignored.
   */
  ingest(update: { seq: number; ts: number; data: string }): void {
    if (update.seq <= this.ring.last) return;
    if (this.ring.last === 0 && update.seq > 1) this.ring.continueAfter(update.seq - 1);
    const encoded = encodeUpdate(update);
    this.ring.push(encoded);
    for (const listener of this.#listeners) listener(encoded);
  }

  #emit(ts: number, data: string): EncodedUpdate {
    const update = encodeUpdate({ seq: this.ring.last + 1, ts, data });
    this.ring.push(update);
    for (const listener of this.#listeners) listener(update);
    return update;
  }

  #tick = (): void => {
    const schedule = this.#schedule;
    if (!schedule) return;
    const now = this.#clock();
    const due = schedule.dueCount(now);
    while (this.#publishedInSchedule < due) {
      const k = ++this.#publishedInSchedule;
      const ts = schedule.dueUs(k);
      this.#recordLagUs(now - ts);
      this.#emit(ts, makePayload(this.#payloadBytes, this.ring.last + 1));
    }
    this.#waker.at(schedule.dueUs(this.#publishedInSchedule + 1), this.#tick);
  };
}
