import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults, type ResultsFile } from '../src/results/index.ts';
import { networksOf, removeStaleNetworks } from '../src/process/namespaces.ts';
import { lossUnavailable } from '../src/netem/lossy-link.ts';
import { alive, descendantPids, runArgs, startFeedbench, waitFor } from './helpers/cli.ts';

/** Writes a small lossy scenario into `dir`. */
function scenario(dir: string, fields: Record<string, unknown> = {}): string {
  const path = join(dir, 'loss.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: 'loss',
      transports: ['websocket'],
      clients: 10,
      ratePerSec: 20,
      payloadBytes: 64,
      // 3 % loss, and everything dropped for 400 ms once in the window.
      network: { lossPercent: 3, outage: { everyMs: 3000, forMs: 400 } },
      warmupMs: 500,
      durationMs: 3000,
      ...fields,
    }),
  );
  return path;
}

/** Runs feedbench to its end; its PID, exit code and output. */
async function run(args: string[]) {
  const child = startFeedbench(args);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const status = await new Promise<number | null>((r) => child.once('exit', r));
  return { pid: child.pid!, status, output };
}

/** The one results file a run wrote into `dir`. */
function resultsIn(dir: string): ResultsFile {
  const file = readdirSync(dir).find((f) => f.startsWith('loss-') && f.endsWith('.json'));
  return readResults(join(dir, file!));
}

const unavailable = lossUnavailable();

describe.runIf(unavailable === null)('a lossy network (root, nftables, ethtool)', () => {
  it('drops packets both ways, counts what each side sent again, the stalls and the outage, and delivers everything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-loss-'));
    const { pid, status, output } = await run(runArgs(scenario(dir), dir));
    expect(output).not.toMatch(/error/i);
    expect(status).toBe(0);
    const [cell] = resultsIn(dir).cells;
    if (cell?.state !== 'ok') throw new Error(`the cell did not run: ${cell?.reason}`);
    const { network, stalls, delivery } = cell.metrics;
    expect(cell.params.network_profile).toMatchObject({ loss_percent: 3, rtt_ms: 0 });
    expect(network?.loss_percent_set).toBe(3);
    expect(network?.outages).toBe(1);
    expect(network?.outage_dropped).toBeGreaterThan(0);
    for (const way of [network!.to_clients, network!.from_clients]) {
      expect(way.packets).toBeGreaterThan(0);
      expect(way.dropped).toBeGreaterThan(0);
    }
    // The feed flows to the clients: the hop (the server's side) sends it again.
    expect(network!.retransmits.hop).toBeGreaterThan(0);
    expect(network!.retransmits_per_1k_updates.hop).toBeGreaterThan(0);
    // 400 ms with nothing through is a stall (over 3 x 50 ms) for every client.
    expect(stalls?.threshold_ms).toBe(150);
    expect(stalls?.clients).toBe(10);
    expect(stalls!.longest_ms).toBeGreaterThanOrEqual(400);
    // TCP gets every update through in the end.
    expect(delivery.delivered).toBe(delivery.published);
    expect(networksOf(pid)).toEqual([]);
  });

  it('removes the namespaces of a run that was killed, at the next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-loss-killed-'));
    const child = startFeedbench(runArgs(scenario(dir, { durationMs: 20_000 }), dir));
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    await waitFor(() => output.includes('[1/1]'), 30_000, 'the cell to start');
    await waitFor(() => networksOf(child.pid!).length > 0, 10_000, 'the lossy link');
    const every = descendantPids(child.pid!);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    // Reaped: until then its PID is a zombie's, and still taken.
    await exited;
    await waitFor(() => every.every((p) => !alive(p)), 10_000, 'its children to exit');
    expect(networksOf(child.pid!).length).toBeGreaterThan(0);
    removeStaleNetworks();
    expect(networksOf(child.pid!)).toEqual([]);
  });
});

describe.runIf(unavailable !== null)('a lossy network where loss cannot be applied', () => {
  it('records the cell not applicable, with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-loss-na-'));
    const { status } = await run(runArgs(scenario(dir), dir));
    expect(status).toBe(0);
    const [cell] = resultsIn(dir).cells;
    expect(cell?.state).toBe('not-applicable');
    expect(cell?.reason).toBe(unavailable);
  });
});
