import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults, type ResultsFile } from '../src/results/index.ts';
import { freePort } from '../src/process/external-program.ts';
import {
  createAgentNetwork,
  namespacesUnavailable,
  networksOf,
  type AgentNetwork,
} from '../src/process/namespaces.ts';
import { decodeHistogram } from '../src/metrics/histogram.ts';
import {
  FEEDBENCH,
  alive,
  childPids,
  runArgs,
  runFeedbenchAsync,
  startFeedbench,
  waitFor,
} from './helpers/cli.ts';

/** Writes a small feed scenario into `dir`. */
function scenario(dir: string, fields: Record<string, unknown>): string {
  const path = join(dir, 'agents.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: 'agents',
      transports: ['websocket', 'sse'],
      clients: 40,
      ratePerSec: 20,
      payloadBytes: 64,
      warmupMs: 500,
      durationMs: 2000,
      ...fields,
    }),
  );
  return path;
}

/** The one results file a run wrote into `dir`. */
function resultsIn(dir: string): ResultsFile {
  const file = readdirSync(dir).find((f) => f.startsWith('agents-') && f.endsWith('.json'));
  return readResults(join(dir, file!));
}

/** The cells of a results file that ran. */
function okCells(results: ResultsFile) {
  return results.cells.flatMap((c) => (c.state === 'ok' ? [c] : []));
}

/** Collects a child's output as it comes. */
function output(child: ChildProcess): { text: string } {
  const out = { text: '' };
  child.stdout!.on('data', (d) => (out.text += d));
  child.stderr!.on('data', (d) => (out.text += d));
  return out;
}

// Root makes namespaces; elsewhere the agents are processes on 127.0.0.x, and the same checks hold.
const placement = namespacesUnavailable() ? 'loopback' : 'namespaces';

describe(`feedbench run --agents N (agents in ${placement})`, () => {
  it('merges four agents exactly: every update to every client, one histogram of all, start skew and clock offsets reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-agents-'));
    const run = await runFeedbenchAsync([...runArgs(scenario(dir, {}), dir), '--agents', '4']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const results = resultsIn(dir);
    const agents = results.agents!;
    expect(agents.placement).toBe(placement);
    expect(agents.members.map((m) => m.index)).toEqual([0, 1, 2, 3]);
    expect(new Set(agents.members.map((m) => m.address)).size).toBe(4);
    for (const m of agents.members)
      expect(Math.abs(m.clock_offset_us)).toBeLessThan(m.clock_rtt_us);
    for (const cell of okCells(results)) {
      const d = cell.metrics.delivery;
      // Due: the window's 40 updates (2 s at 20/s) to each of the 40 clients, all delivered.
      expect(d.published).toBe(40 * 40);
      expect(d.delivered).toBe(d.published);
      expect(d.lost + d.duplicated + d.reordered).toBe(0);
      const histogram = cell.histograms?.latency_us;
      expect(histogram && decodeHistogram(histogram).totalCount).toBe(d.delivered);
      const perAgent = agents.cells.find((c) => c.cell_id === cell.id)!;
      expect(perAgent.clients).toEqual([10, 10, 10, 10]);
      expect(perAgent.start_skew_us).toBeGreaterThanOrEqual(0);
      expect(perAgent.connect_ms.every((ms) => ms !== null && ms > 0)).toBe(true);
    }
    expect(networksOf(process.pid)).toEqual([]);
  });

  it('ends with a partial result and exit 3 when an agent is killed mid-run, leaving no process or namespace behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-agents-killed-'));
    const path = scenario(dir, { durationMs: 4000, transports: ['websocket', 'sse', 'long-poll'] });
    const child = startFeedbench([...runArgs(path, dir), '--agents', '3']);
    const out = output(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await waitFor(() => out.text.includes('[1/3] websocket'), 30_000, 'the first cell to start');
    // The agents are the run's children that run `feedbench agent` (through `ip netns exec`).
    const agentPid = (index: number) =>
      childPids(child.pid!).find((pid) =>
        spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout.includes(
          `agent --index ${index} `,
        ),
      );
    await waitFor(() => agentPid(1) !== undefined, 10_000, 'agent 1');
    // The run's children (agents, server) and theirs (each agent's driver).
    const every = childPids(child.pid!).flatMap((pid) => [pid, ...childPids(pid)]);
    await new Promise((r) => setTimeout(r, 1_500));
    process.kill(agentPid(1)!, 'SIGKILL');
    expect(await exited).toBe(3);
    expect(out.text).toMatch(
      /agent 1 was lost in 1\.1: its connection closed \(1006\); the run stopped there \(2 cells not run\)/,
    );
    const results = resultsIn(dir);
    expect(results.complete).toBe(false);
    expect(results.agents?.failure).toMatchObject({ agent: 1, cell_id: '1.1', cells_not_run: 2 });
    expect(results.cells.map((c) => c.state)).toEqual(['errored']);
    await waitFor(() => every.every((pid) => !alive(pid)), 5_000, 'every child to be gone');
    expect(networksOf(child.pid!)).toEqual([]);
  });
});

describe('feedbench agent (a Job of agents: agent 0 coordinates)', () => {
  let server: ChildProcess;
  let target: string;
  // Four agents, each in a namespace of its own (127.0.0.x processes without root), against
  // `feedbench serve` on the host's end of their links, as pods against a server.
  let network: AgentNetwork | undefined;
  beforeAll(async () => {
    network = placement === 'namespaces' ? createAgentNetwork(4) : undefined;
    const host = network?.hostAddress ?? '127.0.0.1';
    const port = await freePort();
    target = `http://${host}:${port}`;
    server = startFeedbench(['serve', '--host', host, '--port', String(port)]);
    const out = output(server);
    await waitFor(() => out.text.includes(String(port)), 15_000, 'the target to listen');
  });
  afterAll(() => {
    server?.kill('SIGTERM');
    network?.remove();
  });

  /** Runs `feedbench agent` as agent i: in its namespace, or from its own 127.0.0.x. */
  function agent(i: number, args: string[]): Promise<{ status: number | null; text: string }> {
    const namespace = network?.agents[i]?.namespace;
    const own = [FEEDBENCH, 'agent', '--index', String(i), ...args];
    const child = namespace
      ? spawn('ip', ['netns', 'exec', namespace, process.execPath, ...own])
      : spawn(process.execPath, [...own, '--local-address', `127.0.0.${i + 2}`]);
    const out = output(child);
    return new Promise((resolve) =>
      child.once('exit', (status) => resolve({ status, text: out.text })),
    );
  }

  it('runs a shard on each agent against the target and merges them exactly, with skew and offsets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-agent-job-'));
    const coordinatorHost = network?.agents[0]?.address ?? '127.0.0.1';
    const port = await freePort();
    const common = ['--agents', '4', '--arrive-timeout-ms', '60000'];
    const runs = [
      agent(0, [
        scenario(dir, {}),
        '--coordinate',
        '--target',
        target,
        '--allow-remote-target',
        '--listen',
        `${coordinatorHost}:${port}`,
        '--out',
        dir,
        ...common,
      ]),
      ...[1, 2, 3].map((i) =>
        agent(i, ['--coordinator', `ws://${coordinatorHost}:${port}/agents`, ...common]),
      ),
    ];
    const ended = await Promise.all(runs);
    expect(
      ended.map((e) => e.status),
      ended[0]?.text,
    ).toEqual([0, 0, 0, 0]);
    const results = resultsIn(dir);
    const agents = results.agents!;
    expect(agents).toMatchObject({ count: 4, placement: 'hosts', coordinator: 'agent 0' });
    if (network)
      expect(agents.members.map((m) => m.address)).toEqual(network.agents.map((a) => a.address));
    for (const cell of okCells(results)) {
      const d = cell.metrics.delivery;
      // Due: the window's 40 updates (2 s at 20/s) to each of the 40 clients, all delivered.
      expect(d.published).toBe(40 * 40);
      expect(d.delivered).toBe(d.published);
      expect(d.lost + d.duplicated + d.reordered).toBe(0);
      expect(
        cell.histograms?.latency_us && decodeHistogram(cell.histograms.latency_us).totalCount,
      ).toBe(d.delivered);
      const perAgent = agents.cells.find((c) => c.cell_id === cell.id)!;
      expect(perAgent.clients).toEqual([10, 10, 10, 10]);
      expect(perAgent.start_skew_us).toBeGreaterThanOrEqual(0);
    }
  });

  it('times out an agent that never arrives with a sentence, exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-agent-missing-'));
    const port = await freePort();
    const run = await runFeedbenchAsync([
      'agent',
      scenario(dir, {}),
      '--index',
      '0',
      '--coordinate',
      '--agents',
      '3',
      '--target',
      target,
      '--allow-remote-target',
      '--listen',
      `127.0.0.1:${port}`,
      '--arrive-timeout-ms',
      '1500',
      '--out',
      dir,
    ]);
    expect(run.status).toBe(3);
    // Agent 0's own agent registers once its driver process has started, which on a clean clone
    // (the driver's bundle built first) with two busy cores once took longer than the time-out:
    // then it is named too, rightly.
    expect(run.stderr).toMatch(
      /^agent 0: agents (0, )?1, 2 of 3 did not arrive within 1\.5 s at ws:\/\/127\.0\.0\.1:\d+\/agents$/m,
    );
  });
});
