import { nowUs } from '../../metrics/clock.ts';
import { PollingClient } from '../shared/poll-client-base.ts';
import type { ClientFactory, ClientOptions, ClientRecorder, FeedClient } from '../transport.ts';

/**
 * Short polling, client side. `fixed-period` polls every interval from a random phase (a poll still
 * in flight at a tick makes that tick skipped): latency model mean T/2 + d. `sleep-after-response`
 * waits the interval after each answer: mean about T/2 + RTT (docs/claims.md latency models).
 */
class ShortPollClient extends PollingClient implements FeedClient {
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ClientOptions, recorder: ClientRecorder) {
    super(options, recorder);
  }

  async connect(): Promise<void> {
    await this.poll('poll', true);
    // Clients are spread over the period, as independent users would be. Evenly spread phases
    // (set by the driver) rather than random ones: when the update period is a multiple of the
    // poll period each client sees the same delay every time, so N random phases would make
    // the latency distribution a sample of N, not of N x updates.
    // Phases are on the shared monotonic clock, not counted from this client's connect time, so
    // that clients connected one after another still end up evenly spread.
    const periodMs = this.options.pollIntervalMs;
    const phaseMs = this.options.pollPhaseMs ?? Math.random() * periodMs;
    const firstPollInMs =
      (((phaseMs - ((nowUs() / 1000) % periodMs)) % periodMs) + periodMs) % periodMs;
    if (this.options.pollMode === 'fixed-period') {
      this.#timer = setTimeout(() => {
        this.#timer = setInterval(this.#tick, periodMs);
        this.#tick();
      }, firstPollInMs);
    } else {
      this.#timer = setTimeout(this.#pollThenSleep, firstPollInMs);
    }
  }

  #tick = (): void => {
    if (this.closed || this.polling) return;
    this.poll('poll', false).catch(this.#onError);
  };

  #pollThenSleep = (): void => {
    if (this.closed) return;
    this.poll('poll', false)
      .catch(this.#onError)
      .finally(() => {
        if (this.closed) return;
        // An interval of 0 polls back to back (a load generator's closed loop): setTimeout(0) would
        // wait 1 ms.
        if (this.options.pollIntervalMs === 0) setImmediate(this.#pollThenSleep);
        else this.#timer = setTimeout(this.#pollThenSleep, this.options.pollIntervalMs);
      });
  };

  #onError = (error: Error): void => {
    if (!this.closed) this.recorder.error(error.message);
  };

  override close(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#timer);
    super.close();
  }
}

/** Makes a short-polling virtual client. */
export const createShortPollClient: ClientFactory = (options, recorder) =>
  new ShortPollClient(options, recorder);
