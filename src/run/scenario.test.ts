import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScenarioError, parseScenario, scenarioJsonSchema } from './scenario.ts';
import { expandCells } from './cells.ts';

const minimal = { name: 'm', transports: ['websocket'], clients: 10, ratePerSec: 5, payloadBytes: 16 };

describe('parseScenario', () => {
  it('fills defaults', () => {
    const s = parseScenario(minimal, 'm');
    expect(s.warmupMs).toBe(2000);
    expect(s.shortPoll).toEqual({ intervalMs: 1000, mode: 'fixed-period', keepAlive: true });
    expect(s.websocket.compression).toBe(false);
    expect(s.saturation).toEqual({ cpuShare: 0.9, eventLoopP99Ms: 20 });
  });

  it('lists every problem with its field', () => {
    try {
      parseScenario({ ...minimal, transports: ['sse', 'sse'], durationMs: 5, shortPoll: { intervalMs: -1, bogus: true } }, 'f.json');
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
    expect(() => parseScenario({ ...minimal, shortPoll: { intervalMs: 0 } }, 'f')).toThrow('0 (polling back to back) needs mode "sleep-after-response"');
    expect(parseScenario({ ...minimal, shortPoll: { intervalMs: 0, mode: 'sleep-after-response' } }, 'f').shortPoll.intervalMs).toBe(0);
  });

  it('refuses a burst that does not fit its slot', () => {
    expect(() => parseScenario({ ...minimal, ratePerSec: 10, burst: { size: 3, gapMs: 200 } }, 'f')).toThrow('burst: a burst of 3 updates 200 ms apart does not fit in its 300 ms slot at 10 updates/s');
  });
});

describe('expandCells', () => {
  it('makes the matrix, with transport options only where they apply, repetitions interleaved', () => {
    const s = parseScenario({ ...minimal, transports: ['short-poll', 'websocket'], clients: [10, 20], shortPoll: { intervalMs: [100, 1000] }, repetitions: 2 }, 'm');
    const cells = expandCells(s);
    expect(cells).toHaveLength((2 * 2 + 2) * 2);
    expect(cells[0]!.params).toMatchObject({ transport: 'short-poll', clients: 10, poll_interval_ms: 100, keep_alive: true, ws_compression: null, repetition: 1 });
    expect(cells[5]!.params).toMatchObject({ transport: 'websocket', clients: 20, poll_interval_ms: null, ws_compression: false });
    expect(cells[6]!.params.repetition).toBe(2);
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
  });
});

describe('scenarios/', () => {
  it('publishes a JSON Schema that matches the validator', () => {
    const committed = JSON.parse(readFileSync(new URL('../../scenarios/scenario.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(scenarioJsonSchema()); // run `npx feedbench schema` after changing the schema
  });

  it.each(['default', 'quick'])('%s.json is valid', (name) => {
    const json = JSON.parse(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8'));
    expect(parseScenario(json, name).name).toBe(name);
  });
});
