import { POLL_ANSWER_BOUNDS, pollBody } from '../../protocol/feed-protocol.ts';
import type { Publisher } from '../../feed/publisher.ts';

/**
 * The answer to a poll with cursor `since` (or without one: `last` only), at most
 * POLL_ANSWER_BOUNDS of it with `"more": true` when more follow. Shared with long polling.
 */
export function pollAnswer(publisher: Publisher, since: number | undefined): string {
  const ring = publisher.ring;
  if (since === undefined) return pollBody([], ring.last);
  const result = ring.since(since, POLL_ANSWER_BOUNDS);
  return pollBody(
    result.updates.map((u) => u.json),
    result.last,
    result.gap,
    result.more,
  );
}
