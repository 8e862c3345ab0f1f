import { describe, expect, it } from 'vitest';
import { STALL_GROUP_SIZE, stallRequest } from './stall-gap.ts';

import type { CellParams } from '../../results/index.ts';

type StallParams = Parameters<typeof stallRequest>[0];
const cell: StallParams = {
  rate_per_s: 20,
  poll_interval_ms: null,
  burst: null,
  h2_clients_per_connection: null,
};

describe('what a stall is in a cell', () => {
  it('is a gap of factor times the update interval for push transports', () => {
    expect(stallRequest(cell, 3)).toEqual({ gapUs: 150_000, groupSize: STALL_GROUP_SIZE });
  });

  it("is measured from short polling's poll interval when that is longer than the update interval", () => {
    expect(stallRequest({ ...cell, poll_interval_ms: 250 }, 3).gapUs).toBe(750_000);
    // A poll interval shorter than the updates' leaves the update interval.
    expect(stallRequest({ ...cell, poll_interval_ms: 10 }, 3).gapUs).toBe(150_000);
  });

  it('is measured from the gap between bursts when updates come in bursts', () => {
    const burst: CellParams['burst'] = { size: 10, gap_ms: 0 };
    const bursts = { ...cell, burst };
    // 10 updates at 20/s: a burst every 500 ms.
    expect(stallRequest(bursts, 2).gapUs).toBe(1_000_000);
  });

  it('compares the clients of one shared HTTP/2 connection, or as many on their own', () => {
    expect(stallRequest({ ...cell, h2_clients_per_connection: 25 }, 3).groupSize).toBe(25);
    expect(stallRequest({ ...cell, h2_clients_per_connection: 1 }, 3).groupSize).toBe(
      STALL_GROUP_SIZE,
    );
  });
});
