import type { ServerResponse } from 'node:http';
import { LONG_POLL_TIMEOUT_MS, PATHS, ProtocolError, parseNonNegativeInt } from '../protocol/feed-protocol.ts';
import { answeringErrors, sendJson } from './json-response.ts';
import { PollingClient } from './poll-client-base.ts';
import { pollAnswer } from './short-poll.ts';
import type { ClientFactory, ClientOptions, ClientRecorder, FeedClient, ServerTransport } from './transport.ts';

interface HeldPoll {
  readonly res: ServerResponse;
  readonly since: number;
  readonly timer: NodeJS.Timeout;
}

/**
 * Long polling, server side: `GET /long-poll?since=N&timeout=MS` answers at once when something
 * is newer than N, else holds the request until an update comes or the timeout passes.
 */
export function longPollServer(): ServerTransport {
  const held = new Set<HeldPoll>();
  return {
    name: 'long-poll',
    mount(app, _httpServer, publisher) {
      app.get(PATHS.longPoll, (req, res) => {
        answeringErrors(() => {
          const since = parseNonNegativeInt(req.query.since, 'since', 'bad_cursor');
          const timeoutMs = parseNonNegativeInt(req.query.timeout, 'timeout', 'bad_timeout') ?? LONG_POLL_TIMEOUT_MS.default;
          if (timeoutMs > LONG_POLL_TIMEOUT_MS.max) throw new ProtocolError(400, 'bad_timeout', `timeout must be at most ${LONG_POLL_TIMEOUT_MS.max} ms, got ${timeoutMs}`);
          if (since === undefined || since < publisher.ring.last) {
            sendJson(res, 200, pollAnswer(publisher, since));
            return;
          }
          const poll: HeldPoll = {
            res,
            since,
            timer: setTimeout(() => {
              held.delete(poll);
              sendJson(res, 200, pollAnswer(publisher, since));
            }, timeoutMs),
          };
          held.add(poll);
          res.once('close', () => {
            clearTimeout(poll.timer);
            held.delete(poll);
          });
        }, res);
      });
      publisher.onPublish(() => {
        for (const poll of held) {
          clearTimeout(poll.timer);
          sendJson(poll.res, 200, pollAnswer(publisher, poll.since));
        }
        held.clear();
      });
    },
    heldConnections: () => held.size,
    close() {
      for (const poll of held) {
        clearTimeout(poll.timer);
        poll.res.destroy();
      }
      held.clear();
    },
  };
}

/** Long polling, client side: asks again as soon as each answer arrives. */
class LongPollClient extends PollingClient implements FeedClient {
  constructor(options: ClientOptions, recorder: ClientRecorder) {
    super(options, recorder);
  }

  async connect(): Promise<void> {
    await this.poll(PATHS.longPoll, true);
    this.#loop();
  }

  #loop = (): void => {
    if (this.closed) return;
    this.poll(`${PATHS.longPoll}?since=${this.cursor}&timeout=${this.options.longPollTimeoutMs}`, false).then(this.#loop, (error: Error) => {
      if (this.closed) return;
      this.recorder.error(error.message);
      // Back off a little so a refusing server is not hammered in a tight loop.
      setTimeout(this.#loop, 100);
    });
  };
}

/** Makes a long-polling virtual client. */
export const createLongPollClient: ClientFactory = (options, recorder) => new LongPollClient(options, recorder);
