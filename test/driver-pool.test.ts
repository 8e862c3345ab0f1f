import { afterAll, describe, expect, it } from 'vitest';
import { runCell } from '../src/run/cell/run-cell.ts';
import { parseScenario } from '../src/run/scenario.ts';
import { SINGLE_CLIENT_CELL } from '../src/run/alternating-rounds.ts';
import { DriverPool } from '../src/run/cell/driver-pool.ts';

const CLIENTS = 100; // the fewest a driver measures its memory per connection for
const scenario = (extra: Record<string, unknown> = {}) =>
  parseScenario(
    {
      name: 'pool',
      transports: ['sse'],
      clients: CLIENTS,
      ratePerSec: 10,
      payloadBytes: 16,
      warmupMs: 300,
      durationMs: 1_000,
      ...extra,
    },
    'pool',
  );
const cell = (transport: 'sse' | 'websocket') => ({
  id: transport,
  params: {
    ...SINGLE_CLIENT_CELL,
    transport,
    ws_compression: transport === 'websocket' ? false : null,
    clients: CLIENTS,
    rate_per_s: 10,
    payload_bytes: 16,
    repetition: 1,
  },
});

describe('drivers kept between cells', () => {
  const pool = new DriverPool();
  afterAll(() => pool.close());

  it("reuses a finished cell's driver, reset: the next cell counts only its own clients and updates", async () => {
    const first = await runCell(cell('websocket'), scenario(), undefined, { drivers: pool });
    expect(first.state, first.reason ?? '').toBe('ok');
    expect(pool.size).toBe(1);
    const second = await runCell(cell('sse'), scenario(), undefined, { drivers: pool });
    expect(second.state, second.reason ?? '').toBe('ok');
    expect(pool.size).toBe(1);
    for (const c of [first, second]) {
      // 10 updates/s over a 1 s window to each of 100 clients: nothing carried over from the other
      // cell.
      expect(c.metrics!.delivery).toMatchObject({
        published: 10 * CLIENTS,
        delivered: 10 * CLIENTS,
        lost: 0,
        duplicated: 0,
      });
      expect(c.metrics!.latency_us!.count).toBe(10 * CLIENTS);
      expect(c.metrics!.driver.cpu_share).toBeGreaterThan(0);
    }
    // A fresh driver measures its memory per connection; a reused one's heap holds what the first
    // cell freed.
    expect(first.metrics!.driver.rss_bytes_per_conn).toBeGreaterThan(0);
    expect(second.metrics!.driver.rss_bytes_per_conn).toBeNull();
  });

  it('stops the driver of a cell that did not finish instead of keeping it', async () => {
    const timedOut = await runCell(cell('sse'), scenario({ cellTimeoutMs: 1_000 }), undefined, {
      drivers: pool,
    });
    expect(timedOut.state).toBe('errored');
    expect(timedOut.reason).toMatch(/did not finish within 1000 ms/);
    expect(pool.size).toBe(0);
  });
});
