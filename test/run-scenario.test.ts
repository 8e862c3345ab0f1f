import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../src/results/index.ts';
import { readResults } from '../src/results/index.ts';
import { runFeedbench } from './helpers/cli.ts';
import { machineLimits } from '../src/run/preflight.ts';

describe('feedbench run (server and driver processes, all four transports)', () => {
  it('writes a self-describing results file where every client got every update once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-run-'));
    const scenario = join(dir, 'tiny.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'tiny',
        transports: ['short-poll', 'long-poll', 'sse', 'websocket'],
        clients: 20,
        ratePerSec: 20,
        payloadBytes: 64,
        warmupMs: 500,
        durationMs: 1500,
        shortPoll: { intervalMs: 100 },
        http: ['1.1', '2'],
      }),
    );
    const run = runFeedbench([
      'run',
      scenario,
      '--out',
      dir,
      '--report',
      join(dir, 'index.html'),
      '--progress',
      'plain',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/websocket 20c 20\/s 64B/);
    const file = readdirSync(dir).find((f) => f.startsWith('tiny-') && f.endsWith('.json'))!;
    const results: ResultsFile = readResults(join(dir, file));
    expect(results.complete).toBe(true);
    expect(results.tool.name).toBe('feedbench');
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.scenario.name).toBe('tiny');
    expect(results.cells.map((c) => `${c.params.transport} ${c.params.http}`)).toEqual(
      ['short-poll', 'long-poll', 'sse', 'websocket'].flatMap((t) => [`${t} 1.1`, `${t} 2`]),
    );
    for (const cell of results.cells) {
      expect(cell.state, cell.reason ?? '').toBe('ok');
      const m = cell.metrics!;
      // 20 updates/s over a 1.5 s window, to each of 20 clients.
      expect(m.delivery.published).toBe(30 * 20);
      expect(m.delivery).toMatchObject({ delivered: 600, lost: 0, duplicated: 0, reordered: 0 });
      expect(m.latency_us!.count).toBe(600);
      expect(m.latency_us!.p50).toBeGreaterThan(0);
      expect(m.latency_us!.max).toBeLessThan(1_500_000);
      expect(m.wire.bytes_per_update).toBeGreaterThan(m.wire.payload_bytes_per_update!);
      expect(m.server.cpu_ms_per_1k_updates).toBeGreaterThan(0);
      expect(m.server.rss_bytes).toBeGreaterThan(0);
      expect(cell.histograms!.latency_us.length).toBeGreaterThan(0);
      const polling = cell.params.transport.endsWith('poll');
      expect(m.wire.requests > 0).toBe(polling);
      // The clients' and the server's sockets agree on the bytes (a poll in flight at the moment
      // aside).
      expect(Math.abs(m.wire.byte_check!.difference_share)).toBeLessThan(0.01);
      const split = m.wire.http2;
      if (cell.params.http === '1.1') expect(split).toBeNull();
      else {
        // Every byte of the window is a header block, data, framing or TLS (each rounded to 0.1 B).
        const parts =
          split!.header_block_bytes_per_update! +
          split!.data_bytes_per_update! +
          split!.framing_bytes_per_update! +
          split!.tls_bytes_per_update!;
        expect(Math.abs(parts - m.wire.bytes_per_update!)).toBeLessThan(0.3);
        expect(split!.first_request_header_bytes).toBeGreaterThan(0);
        // Header blocks per request in the window: for polls only (a stream or socket makes one,
        // before the window).
        expect(split!.request_header_bytes !== null).toBe(polling);
      }
    }
  });
});

describe('feedbench run with a suite: chat, echo and a capacity ladder', () => {
  it('counts every upstream message and its deliveries exactly, and stops a ladder at its first failing step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-suite-'));
    const suite = join(dir, 'suite.json');
    writeFileSync(
      suite,
      JSON.stringify({
        name: 'suite',
        payloadBytes: 64,
        warmupMs: 500,
        durationMs: 1500,
        parts: [
          {
            name: 'chat',
            workload: 'chat',
            transports: ['short-poll', 'long-poll', 'sse', 'websocket'],
            clients: 5,
            ratePerSec: 20,
            shortPoll: { intervalMs: 100 },
          },
          {
            name: 'echo',
            workload: 'echo',
            transports: ['short-poll', 'websocket'],
            clients: 1,
            ratePerSec: 50,
          },
          // 1 µs is a target no step can meet: the ladder must stop at its first step.
          {
            name: 'ladder',
            transports: ['websocket'],
            clients: [2, 4],
            ratePerSec: 20,
            capacity: { p99TargetMs: 0.001 },
          },
        ],
      }),
    );
    const run = runFeedbench([
      'run',
      suite,
      '--out',
      dir,
      '--report',
      join(dir, 'index.html'),
      '--progress',
      'none',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const results = (part: string) =>
      readResults(
        join(
          dir,
          readdirSync(dir).find((f) => f.startsWith(`suite-${part}-`))!,
        ),
      );

    const chat = results('chat');
    expect(chat.cells.map((c) => c.params.workload)).toEqual(['chat', 'chat', 'chat', 'chat']);
    for (const cell of chat.cells) {
      expect(cell.state, cell.reason ?? '').toBe('ok');
      const m = cell.metrics!;
      // 20 messages/s in a 1.5 s window, sent by the clients in turn: 30 messages, each to 5
      // clients.
      expect(m.upstream).toMatchObject({ sent: 30, answered: 30, failed: 0 });
      expect(m.upstream!.ack_latency_us!.count).toBe(30);
      // Delivery counts the messages the server published inside the window (by its `ts`);
      // upstream counts those due inside it. On a busy machine the last one due can be published
      // a moment after the window closed, so 29 or 30 of them, each to 5 clients, every one
      // delivered once.
      expect([145, 150]).toContain(m.delivery.published);
      expect(m.delivery).toMatchObject({
        delivered: m.delivery.published,
        lost: 0,
        duplicated: 0,
        reordered: 0,
      });
      // Timed at every client but the sender.
      expect(m.latency_us!.count).toBe((m.delivery.published / 5) * 4);
      // An HTTP transport's message is a POST, counted with the polls (those answered while the
      // window was open: the edge may move one either way); WebSocket's is a frame.
      if (cell.params.transport === 'sse') expect([29, 30, 31]).toContain(m.wire.requests);
      if (cell.params.transport === 'websocket') expect(m.wire.requests).toBe(0);
    }

    const echo = results('echo');
    expect(echo.cells.map((c) => c.params.transport)).toEqual(['short-poll', 'websocket']);
    for (const cell of echo.cells) {
      expect(cell.state, cell.reason ?? '').toBe('ok');
      expect(cell.metrics!.delivery).toMatchObject({ published: 75, delivered: 75, lost: 0 });
      expect(cell.metrics!.latency_us!.count).toBe(75);
      expect(cell.metrics!.wire.bytes_per_update).toBeGreaterThan(2 * 12);
      // Echo over HTTP is one POST per answered echo; over WebSocket, none.
      expect(cell.metrics!.wire.requests_per_update).toBe(
        cell.params.transport === 'websocket' ? 0 : 1,
      );
    }

    const ladder = results('ladder');
    expect(ladder.cells.map((c) => c.params.clients)).toEqual([2]);
    expect(ladder.capacity).toHaveLength(1);
    expect(ladder.capacity![0]).toMatchObject({
      transport: 'websocket',
      capacity_clients: 0,
      interval: [0, 2],
      lower_bound: false,
    });
    expect(ladder.capacity![0]!.steps[0]!.reason).toMatch(/over the 0.001 ms target/);
    expect(run.stdout).toContain('capacity: most clients with p99 under 0.001 ms');
  });
});

describe('feedbench validate / run with a bad scenario', () => {
  it('lists every problem as field: what is wrong, and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-bad-'));
    const scenario = join(dir, 'bad.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'x',
        transports: ['websocket', 'pigeon'],
        clients: 0,
        ratePerSec: 5,
        payloadBytes: 'big',
        typo: 1,
      }),
    );
    for (const command of ['validate', 'run']) {
      const r = runFeedbench([command, scenario]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('4 problems');
      expect(r.stderr).toContain('transports.1: Invalid option');
      expect(r.stderr).toContain('clients: Too small');
      expect(r.stderr).toContain(
        'payloadBytes: must be an integer from 0 to 60000, or a non-empty list of them',
      );
      expect(r.stderr).toContain('(top level): Unrecognized key: "typo"');
      expect(r.stderr).not.toContain('    at '); // no stack trace for a user's mistake
    }
  });

  it('says so when the file is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-bad-'));
    writeFileSync(join(dir, 'broken.json'), '{"name": ');
    const broken = runFeedbench(['validate', join(dir, 'broken.json')]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('(file): not valid JSON');
    const missing = runFeedbench(['validate', join(dir, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('(file): cannot read it (ENOENT)');
  });

  // Where one process may hold 100,200 files the cell fits, and nothing is there to refuse.
  it.skipIf(machineLimits().openFiles.soft > 100_200)(
    'refuses before any process starts a cell this machine cannot hold, saying what to change',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'feedbench-big-'));
      writeFileSync(
        join(dir, 'big.json'),
        JSON.stringify({
          name: 'big',
          transports: ['websocket'],
          clients: 100_000,
          ratePerSec: 1,
          payloadBytes: 16,
        }),
      );
      const r = runFeedbench(['run', join(dir, 'big.json'), '--out', dir]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        /cells\.0 \(websocket 100000c 1\/s 16B\): each server process would hold 100200 open files, over its limit of \d+: set scaleOut\.instances to at least \d+/,
      );
      expect(readdirSync(dir)).toEqual(['big.json']);
    },
  );
});
