import { RateSchedule } from '../feed/schedule.ts';
import { makePayload } from '../feed/payload.ts';
import { nowUs } from '../metrics/clock.ts';
import { chatMessageData } from '../protocol/chat-stamp.ts';
import type { FeedClient } from '../transports/transport.ts';
import type { UpstreamPlan } from './driver-messages.ts';
import type { CellRecorder } from './cell-recorder.ts';
import { required } from '../metrics/required.ts';

/** The article's echo message, padded to the cell's message size. */
export function echoMessageData(bytes: number, seed: number): string {
  const words = 'How are you?';
  return bytes <= words.length ? words : `${words} ${makePayload(bytes - words.length - 1, seed)}`;
}

/**
 * Sends a cell's upstream messages on schedule (open loop: the k-th message is due at a fixed
 * time whatever happened to the ones before). Each is timed from the moment it is handed to its
 * client: a message queued behind a slow answer (HTTP sends one request at a time) carries its
 * wait in its figure, while the driver's timer granularity (about 1 ms) does not, because an echo
 * round trip is far shorter than that. The scheduled time decides the window it counts in.
 * Bounded: nothing is scheduled at or after `endUs`.
 */
export class UpstreamLoad {
  readonly #schedule: RateSchedule;
  #sent = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly clients: readonly FeedClient[],
    private readonly recorder: CellRecorder,
    private readonly plan: UpstreamPlan,
  ) {
    this.#schedule = new RateSchedule(plan.startUs, plan.ratePerSec);
  }

  /** Starts sending; returns at once. */
  start(): void {
    this.#tick();
  }

  /** Stops scheduling more messages (answers to those sent are still recorded). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #tick(): void {
    if (this.#stopped || this.clients.length === 0) return;
    const due = this.#schedule.dueCount(nowUs());
    while (this.#sent < due) {
      const k = ++this.#sent;
      const dueUs = this.#schedule.dueUs(k);
      if (dueUs >= this.plan.endUs) {
        this.stop();
        return;
      }
      this.#send(k, dueUs);
    }
    const nextUs = this.#schedule.dueUs(this.#sent + 1);
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, (nextUs - nowUs()) / 1000));
  }

  #send(k: number, dueUs: number): void {
    const sender = (k - 1) % this.clients.length;
    const { kind, payloadBytes } = this.plan;
    const sentUs = nowUs();
    const data =
      kind === 'publish'
        ? chatMessageData({ sentUs, sender: this.plan.firstIndex + sender }, payloadBytes)
        : echoMessageData(payloadBytes, k);
    const done = this.recorder.upstreamSent(dueUs, sentUs, Buffer.byteLength(data));
    required(this.clients[sender], `upstream sender ${sender}`)
      .send(kind, data, String(k))
      .then(
        () => done(nowUs(), null),
        (error: Error) => done(nowUs(), error.message),
      );
  }
}
