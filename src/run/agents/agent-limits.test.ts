import { describe, expect, it } from 'vitest';
import { agentLimitProblems } from './agent-limits.ts';
import { expandCells } from '../cells.ts';
import { parseScenarios } from '../scenario.ts';

const scenario = parseScenarios(
  {
    name: 'shards',
    transports: ['websocket'],
    clients: 20_000,
    ratePerSec: 1,
    payloadBytes: 64,
    target: 'http://feed.example:8080',
    allowRemoteTarget: true,
  },
  'test',
)[0]!;

const roomy = { openFiles: 20_000, ephemeralPorts: 28_232, freeMemoryBytes: 2 ** 34 };

describe("the agents' shards against their hosts' limits", () => {
  it('passes shards that fit', () => {
    const agents = [0, 1].map((index) => ({ index, hostname: `pod-${index}`, limits: roomy }));
    expect(agentLimitProblems(expandCells(scenario), scenario, agents)).toEqual([]);
  });

  it('names the agent, the cell and the limit a shard exceeds, with what to change', () => {
    const agents = [
      { index: 0, hostname: 'pod-0', limits: roomy },
      {
        index: 1,
        hostname: 'pod-1',
        limits: { ...roomy, openFiles: 1_024, ephemeralPorts: 5_000 },
      },
    ];
    expect(agentLimitProblems(expandCells(scenario), scenario, agents)).toEqual([
      "agent 1 (pod-1), cells.0 (websocket 20000c 1/s 64B): its shard needs 10200 open files, over its limit of 1024: raise the open-file limit where it runs (a container's is its runtime's), or add agents",
      'agent 1 (pod-1), cells.0 (websocket 20000c 1/s 64B): its shard needs 10000 connections from its one address, over the 5000 local ports it has: add agents',
    ]);
  });
});
