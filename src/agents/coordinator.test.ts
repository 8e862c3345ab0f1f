import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AgentCoordinator } from './coordinator.ts';
import { toAgentClock } from './remote-agent.ts';
import type { ToAgent, ToCoordinator } from './agent-messages.ts';
import { nowUs } from '../metrics/clock.ts';
import { decodeHistogram, createHistogram, recordValue } from '../metrics/histogram.ts';
import { driverResult } from '../../test/helpers/driver-result.ts';
import { DriverGroup } from '../run/cell/driver-group.ts';
import { Teardown } from '../run/cell/teardown.ts';

/**
 * A stand-in agent in this process: registers, answers pings on a clock `skewUs` off ours, keeps
 * the requests it gets, and answers `finish` with a result holding `latencies`.
 */
async function fakeAgent(
  url: string,
  index: number,
  agents: number,
  skewUs: number,
  latencies: number[] = [],
  autoPong = true,
) {
  const ws = new WebSocket(url, { autoPong });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const requests: { kind: string; payload: unknown }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const send = (m: ToCoordinator) => ws.send(JSON.stringify(m));
  ws.on('message', (data) => {
    const m = JSON.parse((data as Buffer).toString()) as ToAgent;
    if (m.type === 'ping') send({ type: 'pong', id: m.id, clockUs: nowUs() + skewUs });
    if (m.type !== 'request') return;
    requests.push({ kind: m.kind, payload: m.payload });
    const reply =
      m.kind === 'finish' ? driverResult(latencies, { clients: 1, perConn: 1000 }) : null;
    send({ type: 'reply', id: m.id, reply });
  });
  send({
    type: 'register',
    index,
    agents,
    pid: 1000 + index,
    hostname: `agent-${index}`,
    limits: { openFiles: 20_000, ephemeralPorts: 28_232, freeMemoryBytes: 2 ** 33 },
  });
  return { ws, requests, closed };
}

let coordinator: AgentCoordinator | undefined;
afterEach(async () => {
  await coordinator?.close();
  coordinator = undefined;
});

const listen = (agents: number, arriveTimeoutMs = 5_000, heartbeatMs?: number) =>
  AgentCoordinator.listen({ host: '127.0.0.1', port: 0, agents, arriveTimeoutMs, heartbeatMs });

describe('AgentCoordinator', () => {
  it("measures each agent's clock and moves every request's times onto it", async () => {
    coordinator = await listen(3);
    const skews = [5_000_000, -3_000_000, 0];
    await Promise.all(skews.map((skew, i) => fakeAgent(coordinator!.url, i, 3, skew)));
    const agents = await coordinator.arrived();
    expect(agents.map((a) => a.registration.index)).toEqual([0, 1, 2]);
    for (const [i, agent] of agents.entries()) {
      // Right to within half the round trip of the fastest ping.
      expect(Math.abs(agent.clock.offsetUs - (skews[i] ?? 0))).toBeLessThanOrEqual(
        agent.clock.rttUs / 2 + 1,
      );
    }
  });

  it('moves a window, an upstream plan and a failure onto the agent clock, and a target offset the other way', () => {
    const window = toAgentClock('window', { startUs: 10, endUs: 20, clockOffsetUs: 7 }, 1000);
    expect(window).toMatchObject({ startUs: 1010, endUs: 1020, clockOffsetUs: -993 });
    expect(toAgentClock('upstream', { startUs: 1, endUs: 2 }, -1)).toMatchObject({
      startUs: 0,
      endUs: 1,
    });
    expect(toAgentClock('failure', { atUs: 5 }, 5)).toEqual({ atUs: 10 });
    expect(toAgentClock('connect', { clients: 3 }, 5)).toEqual({ clients: 3 });
  });

  it("gives each agent a contiguous shard and merges their results exactly: the merged histogram is every sample's", async () => {
    coordinator = await listen(3);
    const samples = [[100, 200, 300], [1_000, 2_000], [50_000]];
    const fakes = await Promise.all(
      samples.map((latencies, i) => fakeAgent(coordinator!.url, i, 3, 0, latencies)),
    );
    const agents = await coordinator.arrived();
    const teardown = new Teardown();
    const group = DriverGroup.onAgentsOf(agents, 10, teardown);
    expect(group.shares).toEqual([4, 3, 3]);
    const { normal } = await group.finish({ first: 1, last: 6, drainMs: 0 }, 5_000);
    const all = createHistogram();
    for (const v of samples.flat()) recordValue(all, v);
    const merged = decodeHistogram(normal.histograms.latency_us);
    expect(merged.totalCount).toBe(6);
    for (const q of [0, 50, 90, 99, 100])
      expect(merged.getValueAtPercentile(q)).toBe(all.getValueAtPercentile(q));
    expect(normal.delivery.delivered).toBe(6);
    await teardown.run(true);
    // The teardown resets every agent's driver for the next cell.
    for (const fake of fakes) expect(fake.requests.map((r) => r.kind)).toContain('reset');
  });

  it('refuses a second agent of one index, and an agent of another run, with a close code and a reason', async () => {
    coordinator = await listen(2);
    await fakeAgent(coordinator.url, 0, 2, 0);
    const twin = await fakeAgent(coordinator.url, 0, 2, 0);
    expect(await twin.closed).toEqual({ code: 4001, reason: 'agent 0 is already registered' });
    const stranger = await fakeAgent(coordinator.url, 1, 5, 0);
    expect(await stranger.closed).toEqual({ code: 4001, reason: 'this run has 2 agents, not 5' });
  });

  it('times out an agent that never arrives, naming it', async () => {
    coordinator = await listen(3, 300);
    await fakeAgent(coordinator.url, 0, 3, 0);
    await expect(coordinator.arrived()).rejects.toThrow(
      /^agents 1, 2 of 3 did not arrive within 0.3 s at ws:\/\/127\.0\.0\.1:\d+\/agents$/,
    );
  });

  it('fails a request on an agent whose connection closed, and reports it lost', async () => {
    coordinator = await listen(2);
    const fakes = await Promise.all([0, 1].map((i) => fakeAgent(coordinator!.url, i, 2, 0)));
    const agents = await coordinator.arrived();
    fakes[1]?.ws.terminate();
    await fakes[1]?.closed;
    await expect(agents[1]!.ipc.request('wire-total', null)).rejects.toThrow(
      /^agent 1 is gone: its connection closed \(1006\)$/,
    );
    expect(coordinator.lost?.registration.index).toBe(1);
  });

  it('takes an agent that stops answering heartbeats for gone (a host that died without a word)', async () => {
    coordinator = await listen(2, 5_000, 100);
    await fakeAgent(coordinator.url, 0, 2, 0);
    const silent = await fakeAgent(coordinator.url, 1, 2, 0, [], false);
    await coordinator.arrived();
    const { code } = await silent.closed;
    expect(code).toBe(1006);
    expect(coordinator.lost?.lost).toBe('it did not answer a heartbeat within 100 ms');
    expect(coordinator.agents[0]?.lost).toBeNull();
  });
});
