import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerSide } from '../../server/server-side.ts';
import { isSteady } from './settle.ts';

/** One settle slice, ms: long enough that a slice's CPU rate is not mostly scheduling noise. */
const SLICE_MS = 500;

/**
 * Waits, under the cell's load, until the server's CPU rate is steady (two consecutive 500 ms
 * slices within the tolerance of settle.ts), at most `maxMs`; returns how long it waited, ms.
 * A server whose CPU cannot be read is given all of `maxMs` (a target has none: it is not settled).
 */
export async function settleServer(server: ServerSide, maxMs: number): Promise<number> {
  if (maxMs <= 0) return 0;
  const started = Date.now();
  const cpuUs = async () => {
    const sample = await server.sample();
    return sample ? sample.cpuUs - sample.spinUs : null;
  };
  const first = await cpuUs();
  if (first === null) {
    await sleep(maxMs);
    return maxMs;
  }
  let last: number = first;
  const rates: number[] = [];
  while (Date.now() - started + SLICE_MS <= maxMs) {
    const sliceStarted = Date.now();
    await sleep(SLICE_MS);
    const now: number = (await cpuUs()) ?? last;
    rates.push((now - last) / 1000 / ((Date.now() - sliceStarted) / 1000));
    last = now;
    const [previous, latest] = rates.slice(-2);
    if (previous !== undefined && latest !== undefined && isSteady(previous, latest)) break;
  }
  return Date.now() - started;
}
