/**
 * How long a fresh server needs before its CPU per event is steady: the measurement behind the
 * scenario's `settleMs`. For each transport (and HTTP version), a new server process under a
 * fixed load (100 clients; 2,000 polls/s, or 2,000 updates/s delivered), its CPU read every
 * 250 ms for 12 s. The steady rate is the mean of the last 4 s; a server has settled at the
 * first second from which every later 1 s slice is within 15% of it.
 *
 *   npm run bench:warmup [-- --http 2] [--kept]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseScenario } from '../run/scenario.ts';
import { expandCells } from '../run/cells.ts';
import { startRig } from '../run/cell/cell-rig.ts';
import { connectClients, startLoad } from '../run/cell/cell-phases.ts';
import { Teardown } from '../run/cell/teardown.ts';
import { RunPools, type ProcessPools } from '../run/cell/process-pools.ts';
import { required } from '../metrics/required.ts';
import { median } from '../stats/percentile.ts';
import { settledAtMs, SETTLE_TOLERANCE } from '../run/cell/settle.ts';

const SLICE_MS = 250;
const RUN_MS = 12_000;
const httpAt = process.argv.indexOf('--http');
const http = httpAt > 0 ? (process.argv[httpAt + 1] ?? '1.1') : '1.1';
const loads = {
  'short-poll': { ratePerSec: 1, shortPoll: { intervalMs: 50 } },
  'long-poll': { ratePerSec: 20 },
  sse: { ratePerSec: 20 },
  websocket: { ratePerSec: 20 },
} as const;

/** CPU ms per second of one fresh server under one transport's fixed load, slice by slice. */
async function cpuSeries(transport: keyof typeof loads, pools: ProcessPools): Promise<number[]> {
  const scenario = parseScenario(
    {
      name: 'server-warmup',
      transports: [transport],
      http,
      clients: 100,
      payloadBytes: 128,
      warmupMs: 0,
      // The bench measures the settling itself: the cell must not wait for it first.
      settleMs: 0,
      durationMs: RUN_MS + 2_000,
      ...loads[transport],
    },
    'server-warmup',
  );
  const cell = required(expandCells(scenario)[0], 'the warm-up cell');
  const teardown = new Teardown();
  let finished = false;
  try {
    const rig = await startRig(cell, scenario, teardown, pools);
    await connectClients(rig, cell, scenario);
    await startLoad(rig, cell, scenario, 0, 0);
    const series: number[] = [];
    let last = required(await rig.server.sample(), 'a server sample');
    for (let t = 0; t < RUN_MS; t += SLICE_MS) {
      await sleep(SLICE_MS);
      const next = required(await rig.server.sample(), 'a server sample');
      series.push(
        ((next.cpuUs - last.cpuUs - (next.spinUs - last.spinUs)) / 1000) * (1000 / SLICE_MS),
      );
      last = next;
    }
    await rig.server.feed({ rate: 0, payloadBytes: 0 });
    finished = true;
    return series;
  } finally {
    await teardown.run(finished);
  }
}

// --kept: every transport on one server process, in turn (the first on a fresh one): how much of
// the warm-up a server that already ran other transports still has to do for a new one.
const kept = process.argv.includes('--kept') ? new RunPools() : undefined;
console.log(
  `server CPU of ${kept ? 'one kept process, each transport in turn (the first on it fresh)' : 'a fresh process for each transport'} under a fixed load, HTTP/${http}, ${SLICE_MS} ms slices over ${RUN_MS / 1000} s (ms of CPU per s)`,
);
for (const transport of Object.keys(loads) as (keyof typeof loads)[]) {
  const series = await cpuSeries(
    transport,
    kept?.for({ reuseDrivers: false, reuseServers: true }) ?? {},
  );
  const last = series.slice(-16);
  const steady = last.reduce((a, b) => a + b, 0) / last.length;
  const settled = settledAtMs(series, SLICE_MS, steady);
  const seconds = Array.from({ length: RUN_MS / 1000 }, (_, s) =>
    Math.round(median(series.slice(s * 4, s * 4 + 4))),
  );
  console.log(
    `${transport.padEnd(10)} steady ${steady.toFixed(0)} ms/s; settled (every later 2 s within ${SETTLE_TOLERANCE * 100}%) after ${settled === null ? 'never' : `${settled} ms`}; per second: ${seconds.join(' ')}`,
  );
}
await kept?.close();
