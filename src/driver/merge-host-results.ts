import { decodeHistogram, encodeHistogram, mergeEncoded, summarize } from '../metrics/histogram.ts';
import type { CellMetrics, CellResult, OkCell, ResultsFile } from '../results/index.ts';
import { sumFields, sumKnownFields } from '../stats/sum-fields.ts';
import { mergeDriverLoads, mergeErrors } from './merge-driver-results.ts';
import { required } from '../metrics/required.ts';

/** Results files that cannot be merged (another scenario, different cells); the CLI exits 2. */
export class MergeError extends Error {}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** The mean of `value` weighted by `weight`, or null when nothing has a value. */
function weighted(items: readonly { value: number | null; weight: number }[]): number | null {
  const known = items.flatMap(({ value, weight }) =>
    value !== null && weight > 0 ? [{ value, weight }] : [],
  );
  const w = sum(known.map((i) => i.weight));
  return w > 0 ? Math.round((sum(known.map((i) => i.value * i.weight)) / w) * 1000) / 1000 : null;
}
const keyOf = (c: CellResult) =>
  JSON.stringify(Object.entries(c.params).sort(([a], [b]) => a.localeCompare(b)));

/**
 * One cell measured from several load hosts against one target, as if one driver had run every
 * host's clients: latency and set-up histograms merged exactly (then summarized), counts and
 * bytes summed, ratios recomputed from the sums, the worst driver load kept. Server figures are
 * the first host's (they describe the one target); a target's are null anyway.
 */
export function mergeCells(cells: readonly CellResult[]): CellResult {
  const ok = cells.filter((c): c is OkCell => c.state === 'ok');
  const bad = cells.find((c) => c.state !== 'ok');
  const first = ok[0];
  if (bad || first === undefined) {
    const cell = required(cells[0], "a host's cell to merge");
    return {
      ...cell,
      state: 'errored',
      reason: `not merged: a host's cell did not finish (${bad?.reason ?? 'no cells'})`,
      metrics: null,
      histograms: null,
    };
  }
  const hist = (pick: (c: OkCell) => string | null | undefined) => {
    const encoded = ok.map(pick).filter((h): h is string => typeof h === 'string');
    return encoded.length > 0 ? encodeHistogram(mergeEncoded(encoded)) : null;
  };
  const histograms = {
    latency_us: required(
      hist((c) => c.histograms.latency_us),
      'a latency histogram',
    ),
    connect_us: required(
      hist((c) => c.histograms.connect_us),
      'a connect histogram',
    ),
    ack_us: hist((c) => c.histograms.ack_us),
  };
  return {
    ...first,
    params: { ...first.params, clients: sum(ok.map((c) => c.params.clients)) },
    duration_ms: Math.max(...ok.map((c) => c.duration_ms)),
    metrics: mergeMetrics(ok, histograms),
    histograms,
    // Each host's view of the target's clock, with its uncertainty.
    external: first.external ?? null,
    hosts: ok.map((c) => ({
      clients: c.params.clients,
      clock: c.external?.clock ?? null,
      applied_offset_us: c.external?.applied_offset_us ?? null,
    })),
  };
}

/** The metrics of one cell over several hosts, from their metrics and their merged histograms. */
function mergeMetrics(cells: readonly OkCell[], histograms: OkCell['histograms']): CellMetrics {
  const ms = cells.map((c) => c.metrics);
  const firstMetrics = required(ms[0], "a host's metrics");
  const { latency_us: latency, connect_us: connect, ack_us: ack } = histograms;
  const clients = cells.map((c) => c.params.clients);
  const upstreams = ms
    .map((m) => m.upstream)
    .filter((u): u is NonNullable<CellMetrics['upstream']> => u !== null);
  const byClients = (pick: (m: CellMetrics) => number | null) =>
    weighted(ms.map((m, i) => ({ value: pick(m), weight: clients[i] ?? 0 })));
  const slowClients = ms.flatMap((m) => (m.slow_clients === null ? [] : [m.slow_clients]));
  const metrics: CellMetrics = {
    latency_us: summarize(decodeHistogram(latency)) ?? null,
    delivery: sumKnownFields(ms.map((m) => m.delivery)),
    wire: mergeWire(ms, byClients),
    connect_us: summarize(decodeHistogram(connect)) ?? null,
    upstream:
      upstreams.length > 0
        ? {
            ...sumFields(
              upstreams.map(({ sent, answered, failed }) => ({ sent, answered, failed })),
            ),
            ack_latency_us: ack ? (summarize(decodeHistogram(ack)) ?? null) : null,
          }
        : null,
    cost_per_client_hour: ms.some((m) => m.cost_per_client_hour === null)
      ? null
      : {
          bytes: Math.round(byClients((m) => m.cost_per_client_hour?.bytes ?? null) ?? 0),
          requests: byClients((m) => m.cost_per_client_hour?.requests ?? null) ?? 0,
          server_cpu_ms: byClients((m) => m.cost_per_client_hour?.server_cpu_ms ?? null),
        },
    server: firstMetrics.server,
    driver: {
      ...mergeDriverLoads(
        ms.map((m) => m.driver),
        'hosts',
      ),
      rss_bytes_per_conn: byClients((m) => m.driver.rss_bytes_per_conn),
    },
    publisher: firstMetrics.publisher,
    // Slow clients' percentiles do not combine without their histograms: kept when one host ran
    // them.
    slow_clients: slowClients.length === 1 ? (slowClients[0] ?? null) : null,
    errors: mergeErrors(ms.map((m) => m.errors)),
    stalls: mergeStalls(ms, clients),
    reconnects: ms.some((m) => m.reconnects === null)
      ? null
      : sum(ms.map((m) => m.reconnects ?? 0)),
    // Hosts measure a target with feedbench's own clients: no pages, no lossy link.
    next_hop_protocols: null,
    network: null,
  };
  return metrics;
}

/** The wire figures of a cell over hosts: bytes and requests summed, shares re-weighted. */
function mergeWire(
  ms: readonly CellMetrics[],
  byClients: (pick: (m: CellMetrics) => number | null) => number | null,
): CellMetrics['wire'] {
  const updates = sum(ms.map((m) => m.wire.updates_received));
  const down = sum(ms.map((m) => m.wire.bytes_down));
  const up = sum(ms.map((m) => m.wire.bytes_up));
  const requests = sum(ms.map((m) => m.wire.requests));
  const payloadPerUpdate = weighted(
    ms.map((m) => ({ value: m.wire.payload_bytes_per_update, weight: m.wire.updates_received })),
  );
  const bytesPerUpdate = updates > 0 ? Math.round(((down + up) / updates) * 10) / 10 : null;
  return {
    bytes_down: down,
    bytes_up: up,
    bytes_per_update: bytesPerUpdate,
    payload_bytes_per_update: payloadPerUpdate,
    overhead_bytes_per_update:
      bytesPerUpdate !== null && payloadPerUpdate !== null
        ? Math.round((bytesPerUpdate - payloadPerUpdate) * 10) / 10
        : null,
    handshake_bytes: byClients((m) => m.wire.handshake_bytes),
    requests,
    requests_per_update: updates > 0 ? Math.round((requests / updates) * 10_000) / 10_000 : null,
    empty_poll_share: weighted(
      ms.map((m) => ({ value: m.wire.empty_poll_share, weight: m.wire.requests })),
    ),
    updates_received: updates,
    // Merged hosts measured a target, which has no server count to check against.
    byte_check: null,
    counted_at: required(ms[0], "a host's metrics").wire.counted_at,
    browser_counted: mergeBrowserCounted(ms),
    http2: mergeHttp2(ms),
  };
}

/** Stalls over hosts: counts summed, the longest of all, rates weighted; null if one host lacks them. */
function mergeStalls(
  ms: readonly CellMetrics[],
  clients: readonly number[],
): CellMetrics['stalls'] {
  const all = ms.flatMap((m) => (m.stalls ? [m.stalls] : []));
  const [first] = all;
  if (!first || all.length < ms.length) return null;
  const count = sum(all.map((s) => s.count));
  return {
    ...first,
    count,
    longest_ms: Math.max(...all.map((s) => s.longest_ms)),
    clients: sum(all.map((s) => s.clients)),
    per_client_minute:
      weighted(all.map((s, i) => ({ value: s.per_client_minute, weight: clients[i] ?? 0 }))) ?? 0,
    shared_share: weighted(all.map((s) => ({ value: s.shared_share, weight: s.count }))),
  };
}

/**
 * Merges results files of one scenario, run by drivers on several hosts against one target, into
 * one: each cell merged over the hosts (mergeCells). Refuses files of different scenarios or cells.
 */
export function mergeRuns(runs: readonly ResultsFile[], sources: readonly string[]): ResultsFile {
  const [firstRun] = runs;
  if (runs.length < 2 || firstRun === undefined)
    throw new MergeError('merge needs at least two results files');
  const name = firstRun.scenario.name;
  const other = runs.find((r) => r.scenario.name !== name);
  if (other)
    throw new MergeError(
      `${sources[runs.indexOf(other)]}: scenario "${other.scenario.name}", not "${name}": only runs of one scenario merge`,
    );
  const keys = firstRun.cells.map(keyOf);
  for (const [i, run] of runs.entries()) {
    const theirs = new Set(run.cells.map(keyOf));
    const missing = keys.filter((k) => !theirs.has(k)).length;
    if (missing > 0 || theirs.size !== keys.length)
      throw new MergeError(
        `${sources[i]}: its cells differ from ${sources[0]}'s (${missing} missing): merge runs of the same scenario, completed`,
      );
  }
  return {
    ...firstRun,
    created_at: new Date().toISOString(),
    complete: runs.every((r) => r.complete),
    // Every run holds every key (checked above).
    cells: firstRun.cells.map((cell) =>
      mergeCells(runs.flatMap((r) => r.cells.filter((c) => keyOf(c) === keyOf(cell)))),
    ),
    merged_from: runs.map((r, i) => ({
      source: sources[i] ?? `run ${i + 1}`,
      machine: r.machine,
      created_at: r.created_at,
    })),
  };
}

/**
 * Browser pages' own byte counts over several hosts, weighted by updates; null unless every host
 * had them.
 */
function mergeBrowserCounted(ms: readonly CellMetrics[]): CellMetrics['wire']['browser_counted'] {
  const counted = ms.flatMap((m) =>
    m.wire.browser_counted
      ? [{ counted: m.wire.browser_counted, weight: m.wire.updates_received }]
      : [],
  );
  if (counted.length !== ms.length) return null;
  return {
    received_bytes_per_update: weighted(
      counted.map((c) => ({ value: c.counted.received_bytes_per_update, weight: c.weight })),
    ),
    sent_bytes_per_update: weighted(
      counted.map((c) => ({ value: c.counted.sent_bytes_per_update, weight: c.weight })),
    ),
  };
}

/** Repetitions' HTTP/2 splits, each figure weighted by the updates its repetition received. */
function mergeHttp2(ms: readonly CellMetrics[]): CellMetrics['wire']['http2'] {
  const splits = ms.flatMap((m) =>
    m.wire.http2 ? [{ split: m.wire.http2, weight: m.wire.updates_received }] : [],
  );
  const [first] = splits;
  if (first === undefined) return null;
  const fields = Object.keys(first.split) as (keyof NonNullable<CellMetrics['wire']['http2']>)[];
  return Object.fromEntries(
    fields.map((f) => [f, weighted(splits.map((s) => ({ value: s.split[f], weight: s.weight })))]),
  ) as NonNullable<CellMetrics['wire']['http2']>;
}
