import { describe, expect, it } from 'vitest';
import { expandCells, notApplicableReason } from './cells.ts';
import { parseScenarios } from './scenario.ts';
import type { Http2Support } from './target-http.ts';

const scenario = (fields: object) =>
  parseScenarios(
    { name: 's', clients: 10, ratePerSec: 5, payloadBytes: 16, ...fields },
    'test',
  )[0]!;

describe('expanding a scenario into cells', () => {
  it('makes a cell per server, feedbench first and by default; the raw TCP floor stays on feedbench', () => {
    const cells = expandCells(
      scenario({
        transports: ['sse'],
        server: ['feedbench', 'node-http'],
        rawTcpReference: true,
      }),
    );
    expect(cells.map((c) => `${c.params.transport} ${c.params.server}`)).toEqual([
      'sse feedbench',
      'sse node-http',
      'raw-tcp feedbench',
    ]);
    expect(expandCells(scenario({ transports: ['sse'] }))[0]!.params.server).toBe('feedbench');
  });

  it('leaves node-http out against a target, with the reason', () => {
    const [own, bare] = expandCells(
      scenario({ transports: ['sse'], server: ['feedbench', 'node-http'] }),
    );
    const target = { target: 'http://127.0.0.1:1' };
    expect(notApplicableReason(own!.params, target)).toBeNull();
    expect(notApplicableReason(bare!.params, target)).toMatch(
      /target is a server feedbench did not start/,
    );
    expect(notApplicableReason(bare!.params)).toBeNull();
  });

  it('crosses loads with each transport variant and interleaves repetitions', () => {
    const cells = expandCells(
      scenario({
        transports: ['short-poll', 'websocket'],
        clients: [10, 20],
        shortPoll: { intervalMs: [100, 1000] },
        repetitions: 2,
      }),
    );
    // short polling: 2 loads x 2 intervals; WebSocket: 2 loads; all twice
    expect(cells).toHaveLength((2 * 2 + 2) * 2);
    expect(cells.slice(0, 6).every((c) => c.params.repetition === 1)).toBe(true);
    expect(cells.slice(6).every((c) => c.params.repetition === 2)).toBe(true);
    expect(cells[0]!.params).toMatchObject({
      transport: 'short-poll',
      clients: 10,
      poll_interval_ms: 100,
      poll_mode: 'fixed-period',
      keep_alive: true,
    });
    expect(
      cells.find((c) => c.params.transport === 'websocket')!.params.poll_interval_ms,
    ).toBeNull();
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
  });

  it('measures the raw TCP floor once per load, plain and on one instance', () => {
    const cells = expandCells(
      scenario({ transports: ['sse', 'websocket'], tls: [false, true], rawTcpReference: true }),
    );
    const floor = cells.filter((c) => c.params.transport === 'raw-tcp');
    expect(floor).toHaveLength(1);
    expect(floor[0]!.params).toMatchObject({
      tls: false,
      instances: 1,
      header_profile: 'minimal',
      workload: 'feed',
    });
  });

  it('records failover and balancer only for cells with more than one instance', () => {
    const cells = expandCells(
      scenario({
        transports: ['websocket'],
        scaleOut: { instances: [1, 2], failover: { killAtMs: 1_000 } },
      }),
    );
    expect(
      cells.map((c) => [c.params.instances, c.params.balancer !== null, c.params.failover_at_ms]),
    ).toEqual([
      [1, false, null],
      [2, true, 1_000],
    ]);
  });

  it('crosses slow-consumer counts with each policy for push, and counts alone for polling (a policy means nothing to it)', () => {
    const cells = expandCells(
      scenario({
        transports: ['long-poll', 'sse'],
        rawTcpReference: true,
        slowConsumers: {
          clients: [0, 1],
          pause: { afterMs: 100, forMs: 500 },
          policy: ['disconnect', 'skip-to-latest'],
        },
      }),
    );
    const view = (t: string) =>
      cells
        .filter((c) => c.params.transport === t)
        .map((c) => [c.params.slow_consumers?.clients, c.params.slow_consumers?.policy]);
    expect(view('long-poll')).toEqual([
      [0, null],
      [1, null],
    ]);
    expect(view('sse')).toEqual([
      [0, 'disconnect'],
      [0, 'skip-to-latest'],
      [1, 'disconnect'],
      [1, 'skip-to-latest'],
    ]);
    expect(view('raw-tcp')).toEqual([[undefined, undefined]]);
    expect(cells.find((c) => c.params.transport === 'sse')!.params.slow_consumers).toMatchObject({
      pause_after_ms: 100,
      pause_for_ms: 500,
      read_bytes_per_s: null,
      max_queued_bytes: 4 * 1024 * 1024,
    });
  });
});

describe("a target's HTTP/2", () => {
  const cells = expandCells(scenario({ transports: ['sse', 'websocket'], http: ['1.1', '2'] }));
  const reasons = (targetHttp2: Http2Support | null) =>
    cells.map(
      (c) =>
        `${c.params.transport} ${c.params.http}: ${notApplicableReason(c.params, { target: 'http://127.0.0.1:1', targetHttp2 }) ?? 'runs'}`,
    );

  it('refused: every HTTP/2 cell is not applicable with the reason; HTTP/1.1 runs', () => {
    expect(reasons({ refused: 'no h2c', noWebSocket: null })).toEqual([
      'sse 1.1: runs',
      'sse 2: no h2c',
      'websocket 1.1: runs',
      'websocket 2: no h2c',
    ]);
  });

  it('without RFC 8441: only WebSocket over HTTP/2 is not applicable', () => {
    expect(reasons({ refused: null, noWebSocket: 'no extended CONNECT' })).toEqual([
      'sse 1.1: runs',
      'sse 2: runs',
      'websocket 1.1: runs',
      'websocket 2: no extended CONNECT',
    ]);
    expect(reasons(null).every((r) => r.endsWith('runs'))).toBe(true);
  });
});

describe('cells on load agents in namespaces', () => {
  it('runs what an agent reaches, and says why the rest does not apply', () => {
    const s = scenario({
      transports: ['websocket'],
      agents: 2,
      server: ['feedbench', 'nchan'],
      tls: [false, true],
      network: ['loopback', 'mobile'],
    });
    const states = expandCells(s).map(
      (c) =>
        `${c.params.server} tls=${c.params.tls} ${c.params.network}: ${notApplicableReason(c.params, s) ?? 'runs'}`,
    );
    expect(states).toContain('feedbench tls=false loopback: runs');
    // A profile's proxy listens on the host's end of the agents' links.
    expect(states).toContain('feedbench tls=false mobile: runs');
    expect(states).toContain(
      "feedbench tls=true loopback: on agents, plain HTTP: feedbench's certificate names 127.0.0.1 only",
    );
    // nchan listens on loopback only (or is not installed here: not applicable either way).
    expect(states.find((s) => s.startsWith('nchan tls=false loopback'))).not.toMatch(/: runs$/);
  });
});
