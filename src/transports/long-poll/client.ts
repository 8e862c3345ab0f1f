import { ANSWER_TIMEOUT_MS } from '../shared/answer-deadline.ts';
import { PollingClient } from '../shared/poll-client-base.ts';
import { afterArrivals } from '../shared/turn-queue.ts';
import { createSocketIoClient } from '../shared/socketio/socketio-client.ts';
import type { ClientFactory, ClientOptions, ClientRecorder, FeedClient } from '../transport.ts';

/** Long polling, client side: asks again as soon as each answer arrives. */
class LongPollClient extends PollingClient implements FeedClient {
  constructor(options: ClientOptions, recorder: ClientRecorder) {
    super(options, recorder);
  }

  async connect(): Promise<void> {
    await this.poll('long-poll', true);
    this.#loop();
  }

  /**
   * A held poll answers within its hold; only the first poll (no cursor) answers at once. The next
   * poll goes out after the answers that arrived with this one were read (turn-queue.ts).
   */
  protected override answerTimeoutMs(initial: boolean): number {
    return initial ? ANSWER_TIMEOUT_MS : this.options.longPollTimeoutMs + ANSWER_TIMEOUT_MS;
  }

  #loop = (): void => {
    if (this.closed) return;
    this.poll('long-poll', false).then(
      () => afterArrivals(this.#loop),
      (error: Error) => {
        if (this.closed) return;
        this.recorder.error(error.message);
        // Back off a little so a refusing server is not hammered in a tight loop.
        setTimeout(this.#loop, 100);
      },
    );
  };
}

/** Makes a long-polling virtual client. */
export const createLongPollClient: ClientFactory = (options, recorder) =>
  options.dialect === 'socket.io'
    ? createSocketIoClient(options, recorder, 'polling')
    : new LongPollClient(options, recorder);
