import { makePayload } from './payload.ts';
import { UpdateRing } from './ring-buffer.ts';
import { RateSchedule, type BurstShape } from './schedule.ts';
import { encodeUpdate, type EncodedUpdate } from './update.ts';

/** Settings of the server's own publisher (PROTOCOL.md `POST /feed`). */
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
  #timer: NodeJS.Timeout | undefined;
  readonly #recordLagUs: (lagUs: number) => void;

  /**
   * @param ring where updates are kept for cursors.
   * @param clock monotonic µs; injectable for tests.
   * @param recordLagUs receives each scheduled publish's lag (actual minus scheduled, µs).
   */
  constructor(ring: UpdateRing, clock: () => number, recordLagUs: (lagUs: number) => void = () => {}) {
    this.ring = ring;
    this.#clock = clock;
    this.#recordLagUs = recordLagUs;
  }

  /** Registers a listener that fans an update out to connected clients. */
  onPublish(listener: PublishListener): void {
    this.#listeners.push(listener);
  }

  /** Current settings. */
  get settings(): FeedSettings {
    return { rate: this.#schedule?.ratePerSec ?? 0, payloadBytes: this.#payloadBytes, ...(this.#burst ? { burst: this.#burst } : {}) };
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
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#schedule = undefined;
  }

  /** Publishes one update now, outside the schedule (chat messages, `POST /publish`). */
  publishNow(data: string): EncodedUpdate {
    return this.#emit(this.#clock(), data);
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
    const nextDelayMs = (schedule.dueUs(this.#publishedInSchedule + 1) - this.#clock()) / 1000;
    this.#timer = setTimeout(this.#tick, Math.max(0, nextDelayMs));
  };
}
