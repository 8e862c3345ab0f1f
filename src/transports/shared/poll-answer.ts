import { pollBody } from '../../protocol/feed-protocol.ts';
import type { Publisher } from '../../feed/publisher.ts';

/** The answer to a poll with cursor `since` (or without one: `last` only). Shared with long polling. */
export function pollAnswer(publisher: Publisher, since: number | undefined): string {
  const ring = publisher.ring;
  if (since === undefined) return pollBody([], ring.last);
  const result = ring.since(since);
  return pollBody(result.updates.map((u) => u.json), result.last, result.gap);
}
