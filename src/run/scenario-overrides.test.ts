import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenariosWithOverrides, suiteName } from './scenario-overrides.ts';

function file(json: object): string {
  const path = join(mkdtempSync(join(tmpdir(), 'feedbench-overrides-')), 's.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

describe('command-line overrides of a scenario', () => {
  it('win over every part of a suite, objects merged field by field', () => {
    const path = file({
      name: 'suite',
      transports: ['websocket'],
      clients: 10,
      ratePerSec: 5,
      payloadBytes: 16,
      scaleOut: { instances: 2, failover: { killAtMs: 1_000 } },
      parts: [{ name: 'a' }, { name: 'b', clients: 20 }],
    });
    const scenarios = scenariosWithOverrides(path, { clients: 3, scaleOut: { instances: 3 } });
    expect(scenarios.map((s) => [s.name, s.clients])).toEqual([
      ['suite-a', 3],
      ['suite-b', 3],
    ]);
    expect(scenarios[0]!.scaleOut).toMatchObject({ instances: 3, failover: { killAtMs: 1_000 } });
    expect(suiteName(path)).toBe('suite');
  });

  it('are validated with the file, naming where the problem came from', () => {
    const path = file({
      name: 's',
      transports: ['websocket'],
      clients: 10,
      ratePerSec: 5,
      payloadBytes: 16,
    });
    expect(() => scenariosWithOverrides(path, { transports: ['pigeon'] })).toThrow(
      /with command-line options: 1 problem\n {2}transports\.0:/,
    );
  });
});
