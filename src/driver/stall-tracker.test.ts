import { describe, expect, it } from 'vitest';
import { SHARED_END_US, StallTracker, mergeStallCounts } from './stall-tracker.ts';

describe('stalls', () => {
  it('are the gaps between one client’s deliveries longer than the threshold', () => {
    const t = new StallTracker(150_000, 10);
    for (const at of [0, 50_000, 100_000, 400_000, 450_000, 500_000]) t.arrival(0, at);
    // Client 1 never waits longer than the threshold itself (exactly it is not a stall).
    for (const at of [0, 150_000, 300_000]) t.arrival(1, at);
    expect(t.counts()).toMatchObject({
      threshold_us: 150_000,
      count: 1,
      longest_us: 300_000,
      clients: 1,
      shared: 0,
      compared: 1,
    });
  });

  it('are shared when clients of one group resume together, as one connection’s clients do', () => {
    const t = new StallTracker(150_000, 10);
    // Clients 0-2 (one group) all resume at 1.0 s, within SHARED_END_US; client 12 (the next
    // group) resumes then too, but has no one of its own group to share with.
    for (const client of [0, 1, 2, 12]) {
      t.arrival(client, 0);
      t.arrival(client, 1_000_000 + client * 1_000);
    }
    // Client 3 stalls in the same group, ending far from the others: its own.
    t.arrival(3, 0);
    t.arrival(3, 1_000_000 + 5 * SHARED_END_US);
    expect(t.counts()).toMatchObject({ count: 5, clients: 5, shared: 3, compared: 5 });
  });

  it('merge over drivers: counts summed, the longest of all', () => {
    const a = new StallTracker(100_000, 10);
    a.arrival(0, 0);
    a.arrival(0, 250_000);
    const b = new StallTracker(100_000, 10);
    b.arrival(0, 0);
    b.arrival(0, 700_000);
    b.arrival(1, 0);
    b.arrival(1, 705_000);
    expect(mergeStallCounts([a.counts(), b.counts()])).toEqual({
      threshold_us: 100_000,
      count: 3,
      longest_us: 705_000,
      clients: 3,
      group_size: 10,
      shared: 2,
      compared: 3,
    });
    expect(mergeStallCounts([])).toBeNull();
  });
});
