import type { ServerResponse } from 'node:http';
import {
  LONG_POLL_TIMEOUT_MS,
  PATHS,
  ProtocolError,
  parseNonNegativeInt,
} from '../../protocol/feed-protocol.ts';
import { answeringErrors, sendJson } from '../shared/json-response.ts';
import { pollAnswer } from '../shared/poll-answer.ts';
import type { ServerTransport, ServerTransportOptions } from '../transport.ts';

interface HeldPoll {
  readonly res: ServerResponse;
  readonly since: number;
  readonly timer: NodeJS.Timeout;
}

/**
 * Long polling, server side: `GET /long-poll?since=N&timeout=MS` answers at once when something
 * is newer than N, else holds the request until an update comes or the timeout passes.
 */
export function longPollServer({ maxHeldLongPolls }: ServerTransportOptions): ServerTransport {
  const held = new Set<HeldPoll>();
  return {
    name: 'long-poll',
    mount(app, _servers, publisher) {
      app.get(PATHS.longPoll, (req, res) => {
        answeringErrors(() => {
          const since = parseNonNegativeInt(req.query.since, 'since', 'bad_cursor');
          const timeoutMs =
            parseNonNegativeInt(req.query.timeout, 'timeout', 'bad_timeout') ??
            LONG_POLL_TIMEOUT_MS.default;
          if (timeoutMs > LONG_POLL_TIMEOUT_MS.max)
            throw new ProtocolError(
              400,
              'bad_timeout',
              `timeout must be at most ${LONG_POLL_TIMEOUT_MS.max} ms, got ${timeoutMs}`,
            );
          if (since === undefined || since < publisher.ring.last) {
            sendJson(res, 200, pollAnswer(publisher, since));
            return;
          }
          if (held.size >= maxHeldLongPolls)
            throw new ProtocolError(
              503,
              'busy',
              `${maxHeldLongPolls} long polls are held already; ask again later`,
            );
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
