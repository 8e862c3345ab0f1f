import { describe, expect, it } from 'vitest';
import { expandCells } from './cells.ts';
import { preflight, type MachineLimits } from './preflight.ts';
import { parseScenario } from './scenario.ts';

const HERE: MachineLimits = {
  openFiles: { soft: 20_000, hard: 20_000 },
  ephemeralPorts: 28_232,
  freeMemoryBytes: 20 * 2 ** 30,
};
const check = (fields: object, limits = HERE) => {
  const scenario = parseScenario(
    {
      name: 'p',
      transports: ['websocket'],
      ratePerSec: 1,
      payloadBytes: 16,
      cores: { server: [0], driver: [1] },
      ...fields,
    },
    'p',
  );
  return preflight(expandCells(scenario), scenario, limits);
};

describe('the pre-flight check', () => {
  it('passes a cell this machine can hold', () => {
    expect(check({ clients: 20_000, scaleOut: { instances: 2 } })).toEqual([]);
  });

  it('refuses 50,000 connections in one server process, saying how many instances would do', () => {
    expect(check({ clients: 50_000 })).toEqual([
      'cells.0 (websocket 50000c 1/s 16B): each server process would hold 50200 open files, over its limit of 20000: set scaleOut.instances to at least 3',
    ]);
    expect(check({ clients: 50_000, scaleOut: { instances: 3 } })).toEqual([]);
  });

  it('says when a higher soft limit would do', () => {
    expect(
      check({ clients: 30_000 }, { ...HERE, openFiles: { soft: 20_000, hard: 1_048_576 } })[0],
    ).toContain('or raise the soft limit (ulimit -n, up to 1048576)');
  });

  it('refuses a driver process past its open files, and one source address past its ports behind a proxy', () => {
    expect(check({ clients: 30_000, driverProcesses: 1, scaleOut: { instances: 2 } })[0]).toContain(
      'each driver process would hold 30200 open files, over its limit of 20000: set driverProcesses to at least 2',
    );
    expect(check({ clients: 30_000, network: 'lan', scaleOut: { instances: 2 } })[0]).toContain(
      '30000 connections from one source address to one server port, over the 28232 local ports',
    );
  });

  it('counts two connections per client where chat goes up by HTTP POST, and refuses what memory cannot hold', () => {
    expect(check({ transports: ['long-poll'], workload: 'chat', clients: 12_000 })[0]).toContain(
      'each server process would hold 24200 open files',
    );
    expect(check({ clients: 1_000 }, { ...HERE, freeMemoryBytes: 100 * 2 ** 20 })[0]).toMatch(
      /needs about \d+ MiB \(2 processes, 1000 connections at both ends\) and 100 MiB is free/,
    );
  });
});
