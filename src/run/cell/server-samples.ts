import { setTimeout as sleep } from 'node:timers/promises';
import { nowUs } from '../../metrics/clock.ts';
import type { ServerSample } from '../../server/server-messages.ts';
import type { Cell } from '../cells.ts';
import type { Rig } from './cell-rig.ts';

/** Sleeps until `us` on the monotonic clock (at once when it has passed). */
export async function sleepUntilUs(us: number): Promise<void> {
  const ms = (us - nowUs()) / 1000;
  if (ms > 0) await sleep(ms);
}

/**
 * Browser clients' bytes are the server's count between two samples taken half an update period
 * before the window's edges, so that the span holds exactly the window's publishes (a publish due
 * at an edge would race a sample taken at it). 0: no such samples (feedbench's own clients count
 * their bytes on their sockets, at the edges, on their own clock).
 */
export function byteSampleLeadUs(cell: Cell): number {
  return cell.params.client_kind === 'browser'
    ? Math.min(250_000, 500_000 / cell.params.rate_per_s)
    : 0;
}

/** A server sample taken at `us` on the monotonic clock. */
export async function sampleAt(rig: Rig, us: number): Promise<ServerSample | null> {
  await sleepUntilUs(us);
  return rig.server.sample();
}

/** How long after the feed stops the byte check waits for what is in flight to land. */
const SETTLE_MS = 50;

/**
 * The byte check: every byte of the cell's connections from their opening, as the clients and
 * the server counted them since `before` (its sample before they opened: a kept server counted
 * earlier cells' bytes too), once the feed has stopped and settled (polls still going may leave
 * a request or two in flight). Null without a server of feedbench's own, or one that does not
 * count its bytes.
 */
export async function byteCheck(
  rig: Rig,
  before: ServerSample | null,
): Promise<{ client_bytes: number; server_bytes: number } | null> {
  await sleep(SETTLE_MS);
  const [client, server] = await Promise.all([rig.driver.wireTotal(), rig.server.sample()]);
  const total = (s: ServerSample) => (s.wireBytes ? s.wireBytes.read + s.wireBytes.written : 0);
  return server?.wireBytes
    ? { client_bytes: client, server_bytes: total(server) - (before ? total(before) : 0) }
    : null;
}
