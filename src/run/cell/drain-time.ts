import { meanRttUs } from '../../netem/profiles.ts';
import { profileOfCell } from '../cell-network.ts';
import type { Cell } from '../cells.ts';

/**
 * EventSource's reconnection time when the server sends no `retry:` (Chromium's and Firefox's
 * default), ms.
 */
const EVENTSOURCE_DEFAULT_RETRY_MS = 3_000;

/**
 * Extra time after the window for late arrivals: a poll interval twice over, a few RTTs, and two
 * seconds; where the server cuts streams, one reconnect more (a client away at the window's end
 * gets its updates when it is back: late, not lost).
 */
export function drainMs(cell: Cell): number {
  const p = cell.params;
  const reconnect = p.sse_drop_every_ms ? (p.sse_retry_ms ?? EVENTSOURCE_DEFAULT_RETRY_MS) : 0;
  return (
    2_000 + 2 * (p.poll_interval_ms ?? 0) + (4 * meanRttUs(profileOfCell(p))) / 1000 + reconnect
  );
}
