import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../src/results/index.ts';
import { runArgs, runFeedbench } from './helpers/cli.ts';

describe('the transports on Socket.IO', () => {
  it('delivers every update once by long polling (HTTP/1.1 and h2c), by WebSocket, and by WebSocket upgraded from polling', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-socketio-test-'));
    const scenario = join(dir, 'socketio.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'socketio',
        server: 'socket.io',
        transports: ['short-poll', 'long-poll', 'websocket'],
        websocket: { upgradeFromPolling: [false, true] },
        http: ['1.1', '2'],
        clients: 10,
        ratePerSec: 20,
        payloadBytes: 64,
        warmupMs: 500,
        durationMs: 1500,
      }),
    );
    const run = runFeedbench(runArgs(scenario, dir));
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const file = readdirSync(dir).find((f) => f.startsWith('socketio-') && f.endsWith('.json'))!;
    const cells = readResults(join(dir, file)).cells;
    const state = (c: (typeof cells)[number]) =>
      `${c.params.transport} ${c.params.http}${c.params.ws_upgrade_from_polling ? ' upgraded' : ''}: ${c.state}`;
    expect(cells.map(state)).toEqual([
      'short-poll 1.1: not-applicable',
      'short-poll 2: not-applicable',
      'long-poll 1.1: ok',
      'long-poll 2: ok',
      'websocket 1.1: ok',
      'websocket 1.1 upgraded: ok',
      'websocket 2: not-applicable',
      'websocket 2 upgraded: not-applicable',
    ]);
    for (const cell of cells) {
      if (cell.state !== 'ok') continue;
      const m = cell.metrics;
      // 20 updates/s over a 1.5 s window, to each of 10 clients.
      expect(m.delivery, state(cell)).toMatchObject({ delivered: 300, lost: 0, duplicated: 0 });
      expect(m.errors.count, state(cell)).toBe(0);
      // Engine.IO's sessions, as the server counts them.
      expect(m.server.connections, state(cell)).toBe(10);
      expect(m.connect_us!.count, state(cell)).toBe(10);
      expect(m.wire.handshake_bytes, state(cell)).toBeGreaterThan(0);
      // An update is an event (`42["update",...]`): more than the update's own JSON.
      expect(m.wire.bytes_per_update, state(cell)).toBeGreaterThan(
        m.wire.payload_bytes_per_update!,
      );
    }
    const [polling, , direct, upgraded] = cells.filter((c) => c.state === 'ok');
    if (polling?.state === 'ok')
      expect(polling.metrics.wire.requests_per_update).toBeGreaterThan(0);
    // The upgrade's handshake is the polling handshake and the WebSocket's together.
    if (direct?.state === 'ok' && upgraded?.state === 'ok')
      expect(upgraded.metrics.wire.handshake_bytes).toBeGreaterThan(
        direct.metrics.wire.handshake_bytes!,
      );
  });
});
