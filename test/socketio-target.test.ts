import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFeedbenchAsync } from './helpers/cli.ts';
import { cellsIn } from './helpers/results-in.ts';
import { startSocketIoApp, type SocketIoApp } from './helpers/socketio-app.ts';

describe('feedbench run --target URL --target-kind socket.io (a Socket.IO application)', () => {
  let app: SocketIoApp;
  beforeAll(async () => {
    app = await startSocketIoApp();
  });
  afterAll(() => app?.close());

  it("measures its long polling and WebSocket (from the start and upgraded) with its clock's offset applied, and rules out what Socket.IO lacks", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-socketio-target-'));
    const scenario = join(dir, 'sio.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'sio',
        transports: ['long-poll', 'sse', 'websocket'],
        websocket: { upgradeFromPolling: [false, true] },
        clients: 10,
        ratePerSec: 20,
        payloadBytes: 64,
        warmupMs: 500,
        durationMs: 1500,
      }),
    );
    const run = await runFeedbenchAsync([
      'run',
      scenario,
      '--target',
      app.url,
      '--target-kind',
      'socket.io',
      '--out',
      dir,
      '--no-report',
      '--progress',
      'none',
    ]);
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    const cells = cellsIn(dir, 'sio');
    const state = (c: (typeof cells)[number]) =>
      `${c.params.transport}${c.params.ws_upgrade_from_polling ? ' upgraded' : ''} on ${c.params.server}: ${c.state}`;
    expect(cells.map(state)).toEqual([
      'long-poll on socket.io: ok',
      'sse on socket.io: not-applicable',
      'websocket on socket.io: ok',
      'websocket upgraded on socket.io: ok',
    ]);
    expect(cells[1]!.reason).toMatch(/no Server-Sent Events/);
    // Each measured cell set the app's feed to its rate and payload, and stopped it after.
    expect(app.feeds.filter((f) => f.rate === 20 && f.payloadBytes === 64)).toHaveLength(3);
    expect(app.feeds.at(-1)).toEqual({ rate: 0, payloadBytes: 0 });
    for (const cell of cells) {
      if (cell.state !== 'ok') continue;
      const m = cell.metrics;
      // Due: the window's seqs, those the clients saw (a target has no window range), to each of
      // 10 clients. The app's setInterval is at most 20/s for 1.5 s, and drops ticks when its
      // event loop is late (a busy test machine): the count is bounded above, not fixed.
      expect(m.delivery.published, state(cell)).toBeGreaterThan(0);
      expect(m.delivery.published, state(cell)).toBeLessThanOrEqual(310);
      expect(m.delivery, state(cell)).toMatchObject({
        delivered: m.delivery.published,
        receiving_clients: 10,
        lost: 0,
        duplicated: 0,
      });
      expect(m.server.cpu_ms_per_1k_updates, state(cell)).toBeNull();
      expect(cell.external, state(cell)).toMatchObject({
        url: app.url,
        feed_control: true,
        clock: { clock: 'realtime', samples: 8 },
      });
      // The app stamps ts on the wall clock: without the offset applied, latency would be the
      // machine's uptime off. With it, loopback delivery is well under a second.
      const ext = cell.external!;
      expect(ext.applied_offset_us).toBe(ext.clock.offset_us);
      expect(m.latency_us!.count).toBe(m.delivery.delivered);
      expect(m.latency_us!.p50, state(cell)).toBeGreaterThan(-ext.clock.uncertainty_us - 2_000);
      expect(m.latency_us!.p99, state(cell)).toBeLessThan(1_000_000);
    }
  });

  it('refuses, before any cell, a Socket.IO application that does not acknowledge `clock`: exit 2 with the handler to add', async () => {
    const silent = await startSocketIoApp({ clock: false, feed: false });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'feedbench-socketio-target-'));
      const run = await runFeedbenchAsync([
        'run',
        '--quick',
        '--target',
        silent.url,
        '--target-kind',
        'socket.io',
        '--out',
        dir,
        '--no-report',
      ]);
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(2);
      expect(`${run.stdout}${run.stderr}`).toMatch(
        /did not acknowledge the `clock` event.*socket\.on\('clock'/,
      );
    } finally {
      await silent.close();
    }
  });

  it('refuses targetKind without a target, naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-socketio-target-'));
    const run = await runFeedbenchAsync([
      'run',
      '--quick',
      '--target-kind',
      'socket.io',
      '--out',
      dir,
    ]);
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(2);
    expect(`${run.stdout}${run.stderr}`).toContain(
      'targetKind: only with a target: it says what the target speaks',
    );
  });
});
