import { PATHS, parseNonNegativeInt } from '../../protocol/feed-protocol.ts';
import { answeringErrors, sendJson } from '../shared/json-response.ts';
import { pollAnswer } from '../shared/poll-answer.ts';
import type { ServerTransport } from '../transport.ts';

/** Short polling, server side: `GET /poll?since=N` answers at once with what is newer. */
export function shortPollServer(): ServerTransport {
  return {
    name: 'short-poll',
    mount(app, _servers, publisher) {
      app.get(PATHS.poll, (req, res) => {
        answeringErrors(() => {
          const since = parseNonNegativeInt(req.query.since, 'since', 'bad_cursor');
          sendJson(res, 200, pollAnswer(publisher, since));
        }, res);
      });
    },
    heldConnections: () => 0,
    close() {},
  };
}
