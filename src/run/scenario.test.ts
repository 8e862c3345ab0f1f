import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScenarioError, parseScenario, parseScenarios, scenarioJsonSchema } from './scenario.ts';
import { expandCells } from './cells.ts';
import { minimalScenario as minimal } from '../../test/helpers/minimal-scenario.ts';

describe('parseScenario', () => {
  it('fills defaults', () => {
    const s = parseScenario(minimal, 'm');
    expect(s.warmupMs).toBe(2000);
    expect(s.shortPoll).toEqual({ intervalMs: 1000, mode: 'fixed-period', keepAlive: true });
    expect(s.websocket).toEqual({ compression: false, upgradeFromPolling: false });
    expect(s.saturation).toEqual({ cpuShare: 0.9, eventLoopP99Ms: 20 });
  });

  it('lists every problem with its field', () => {
    try {
      parseScenario(
        {
          ...minimal,
          transports: ['sse', 'sse'],
          durationMs: 5,
          shortPoll: { intervalMs: -1, bogus: true },
        },
        'f.json',
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      expect((error as ScenarioError).problems).toEqual([
        'transports: must not name a transport twice',
        'durationMs: Too small: expected number to be >=100',
        'shortPoll.intervalMs: Too small: expected number to be >=0',
        'shortPoll: Unrecognized key: "bogus"',
      ]);
    }
  });
});

describe('cross-field rules', () => {
  it('allows back-to-back polling only when the client waits for each answer', () => {
    expect(() => parseScenario({ ...minimal, shortPoll: { intervalMs: 0 } }, 'f')).toThrow(
      '0 (polling back to back) needs mode "sleep-after-response"',
    );
    expect(
      parseScenario({ ...minimal, shortPoll: { intervalMs: 0, mode: 'sleep-after-response' } }, 'f')
        .shortPoll,
    ).toMatchObject({ intervalMs: 0 });
  });

  it('refuses a burst that does not fit its slot', () => {
    expect(() =>
      parseScenario({ ...minimal, ratePerSec: 10, burst: { size: 3, gapMs: 200 } }, 'f'),
    ).toThrow(
      'burst: a burst of 3 updates 200 ms apart does not fit in its 300 ms slot at 10 updates/s',
    );
  });

  it('refuses slow consumers that do not say how they read, pause outside the window, or name an unknown policy', () => {
    const problems = (slowConsumers: object, extra: object = {}) => {
      try {
        parseScenario({ ...minimal, durationMs: 5_000, slowConsumers, ...extra }, 'f');
        return [];
      } catch (error) {
        return (error as ScenarioError).problems;
      }
    };
    expect(problems({ clients: 1 })).toEqual([
      'slowConsumers: give readBytesPerSec, pause or both: how the slow clients read',
    ]);
    expect(problems({ clients: 1, pause: { afterMs: 6_000, forMs: 100 } })).toEqual([
      'slowConsumers.pause.afterMs: must fall inside the 5000 ms window',
    ]);
    expect(problems({ clients: 1, readBytesPerSec: 1000, policy: 'buffer' })[0]).toMatch(
      /^slowConsumers\.policy: /,
    );
    expect(
      problems({
        clients: [0, 1],
        readBytesPerSec: 1000,
        policy: ['disconnect', 'skip-to-latest'],
      }),
    ).toEqual([]);
  });
});

describe('expandCells', () => {
  it('makes the matrix, with transport options only where they apply, repetitions interleaved', () => {
    const s = parseScenario(
      {
        ...minimal,
        transports: ['short-poll', 'websocket'],
        clients: [10, 20],
        shortPoll: { intervalMs: [100, 1000] },
        repetitions: 2,
      },
      'm',
    );
    const cells = expandCells(s);
    expect(cells).toHaveLength((2 * 2 + 2) * 2);
    expect(cells[0]!.params).toMatchObject({
      transport: 'short-poll',
      clients: 10,
      poll_interval_ms: 100,
      keep_alive: true,
      ws_compression: null,
      repetition: 1,
    });
    expect(cells[5]!.params).toMatchObject({
      transport: 'websocket',
      clients: 20,
      poll_interval_ms: null,
      ws_compression: false,
    });
    expect(cells[6]!.params.repetition).toBe(2);
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
  });
});

describe('scenarios/', () => {
  it('publishes a JSON Schema that matches the validator', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../scenarios/scenario.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(scenarioJsonSchema()); // run `npx feedbench schema` after changing the schema
  });

  const files = readdirSync(new URL('../../scenarios', import.meta.url)).filter(
    (f) => f.endsWith('.json') && f !== 'scenario.schema.json',
  );
  it.each(files)('%s is valid', (file) => {
    const json = JSON.parse(
      readFileSync(new URL(`../../scenarios/${file}`, import.meta.url), 'utf8'),
    );
    expect(parseScenarios(json, file).length).toBeGreaterThan(0);
  });

  it('default.json is a suite whose parts cover the feed, chat, echo, the interval sweep and TLS', () => {
    const json = JSON.parse(
      readFileSync(new URL('../../scenarios/default.json', import.meta.url), 'utf8'),
    );
    const parts = parseScenarios(json, 'default.json');
    expect(parts.map((p) => p.workload)).toEqual(expect.arrayContaining(['feed', 'chat', 'echo']));
    expect(parts.some((p) => p.tls === true)).toBe(true);
    expect(parts.every((p) => p.name.startsWith('default-'))).toBe(true);
  });
});

describe('suites', () => {
  const suite = (parts: object[], shared: object = {}) => ({
    name: 'suite',
    payloadBytes: 64,
    durationMs: 1000,
    ...shared,
    parts,
  });

  it('merges shared fields under each part, the part winning, and names parts after the suite', () => {
    const [a, b] = parseScenarios(
      suite([
        { name: 'a', transports: ['sse'], clients: 2, ratePerSec: 1 },
        { name: 'b', transports: ['websocket'], clients: 3, ratePerSec: 2, payloadBytes: 16 },
      ]),
      's',
    );
    expect([a!.name, a!.payloadBytes, a!.durationMs]).toEqual(['suite-a', 64, 1000]);
    expect([b!.name, b!.payloadBytes]).toEqual(['suite-b', 16]);
  });

  it("lists each part's problems under the part's index and name", () => {
    const bad = suite([
      { name: 'a', transports: ['sse'], clients: 2 },
      { name: 'b', transports: ['websocket'], clients: 0, ratePerSec: 1 },
    ]);
    const error = (() => {
      try {
        parseScenarios(bad, 's');
      } catch (e) {
        return e as ScenarioError;
      }
    })();
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error!.problems).toEqual([
      'parts.0 (a): ratePerSec: must be a number above 0 and at most 100000, or a non-empty list of them',
      'parts.1 (b): clients: Too small: expected number to be >=1',
    ]);
  });

  it('refuses a suite without parts, or with an unknown field', () => {
    expect(() => parseScenarios({ name: 's', parts: [] }, 's')).toThrow(/parts: Too small/);
    expect(() => parseScenarios({ name: 's', parts: [{ name: 'a', colour: 'red' }] }, 's')).toThrow(
      /parts.0 \(a\): \(top level\): Unrecognized key: "colour"/,
    );
  });
});

describe('workloads and capacity', () => {
  const base = {
    name: 'w',
    transports: ['websocket'],
    clients: 10,
    ratePerSec: 5,
    payloadBytes: 32,
  };
  it('defaults to the feed and accepts chat and echo', () => {
    expect(parseScenario(base, 'w').workload).toBe('feed');
    expect(parseScenario({ ...base, workload: 'chat' }, 'w').workload).toBe('chat');
  });
  it('refuses what a chat or echo cannot do: the raw TCP floor, bursts', () => {
    expect(() =>
      parseScenario(
        { ...base, workload: 'echo', rawTcpReference: true, burst: { size: 2, gapMs: 1 } },
        'w',
      ),
    ).toThrow(/rawTcpReference: the raw TCP floor carries no upstream[\s\S]*burst: bursts shape/);
  });
  it('needs a ladder of client counts, run once each, for a capacity search', () => {
    expect(() =>
      parseScenario({ ...base, capacity: { p99TargetMs: 50 }, repetitions: 2 }, 'w'),
    ).toThrow(
      /clients: a capacity ladder needs a list[\s\S]*repetitions: a capacity ladder runs each step once/,
    );
    expect(
      parseScenario({ ...base, clients: [10, 20], capacity: { p99TargetMs: 50 } }, 'w').capacity,
    ).toEqual({ p99TargetMs: 50 });
  });
});
