import { mergeStallCounts } from './stall-tracker.ts';
import { encodeHistogram, mergeEncoded } from '../metrics/histogram.ts';
import type { FailoverOutcome } from '../results/index.ts';
import type { CatchUp, DriverCellResult } from './driver-messages.ts';
import { sumFields, sumKnownFields } from '../stats/sum-fields.ts';
import { required } from '../metrics/required.ts';

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

type DriverLoad = DriverCellResult['driver'];

/**
 * The load of several drivers (or load hosts, `noun`) as one: the busiest CPU and event loop,
 * saturated when any was (naming how many and the first one's reason), memory summed.
 * Memory per connection is the caller's: how to weigh it differs.
 */
export function mergeDriverLoads(
  loads: readonly DriverLoad[],
  noun: string,
): Omit<DriverLoad, 'rss_bytes_per_conn'> {
  const saturated = loads.filter((l) => l.saturated);
  return {
    cpu_share: Math.max(...loads.map((l) => l.cpu_share)),
    event_loop_p99_ms: Math.max(...loads.map((l) => l.event_loop_p99_ms)),
    saturated: saturated.length > 0,
    reason: saturated[0]
      ? `${saturated.length} of ${loads.length} ${noun}: ${saturated[0].reason}`
      : null,
    rss_bytes: sum(loads.map((l) => l.rss_bytes)),
  };
}

/** Error counts summed, and the first distinct messages of all (at most 5, as one driver keeps). */
export function mergeErrors(
  errors: readonly DriverCellResult['errors'][],
): DriverCellResult['errors'] {
  return {
    count: sum(errors.map((e) => e.count)),
    first: [...new Set(errors.flatMap((e) => e.first))].slice(0, 5),
  };
}

/** The largest of the known values, or null when none is known. */
function latest(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? Math.max(...known) : null;
}

/**
 * One cell's results from several driver processes (or load hosts) as if one driver had run all
 * their clients: HDR histograms merged exactly, counts and bytes summed, the worst load kept
 * (any saturated driver saturates the cell, with its reason), and memory per connection weighted
 * by clients.
 */
export function mergeDriverResults(parts: readonly DriverCellResult[]): DriverCellResult {
  if (parts.length === 0) throw new RangeError('no driver results to merge');
  if (parts.length === 1 && parts[0]) return parts[0];
  const histogram = (pick: (p: DriverCellResult) => string | null) => {
    const encoded = parts.map(pick).filter((h): h is string => h !== null);
    return encoded.length > 0 ? encodeHistogram(mergeEncoded(encoded)) : null;
  };
  const clients = sum(parts.map((p) => p.clients));
  const perConnParts = parts.flatMap((p) =>
    p.driver.rss_bytes_per_conn === null ? [] : [p.driver.rss_bytes_per_conn * p.clients],
  );
  const perConn =
    perConnParts.length === parts.length ? Math.round(sum(perConnParts) / clients) : null;
  const upstreams = parts
    .map((p) => p.upstream)
    .filter((u): u is NonNullable<typeof u> => u !== null);
  const timelines = parts.map((p) => p.timeline).filter((t): t is number[] => t !== null);
  const failovers = parts.map((p) => p.failover).filter((f): f is FailoverOutcome => f !== null);
  return {
    histograms: {
      latency_us: required(
        histogram((p) => p.histograms.latency_us),
        'a latency histogram',
      ),
      connect_us: required(
        histogram((p) => p.histograms.connect_us),
        'a connect histogram',
      ),
      ack_us: histogram((p) => p.histograms.ack_us),
    },
    delivery: sumKnownFields(parts.map((p) => p.delivery)),
    upstream: upstreams.length > 0 ? sumFields(upstreams) : null,
    wire: sumFields(parts.map((p) => p.wire)),
    driver: {
      ...mergeDriverLoads(
        parts.map((p) => p.driver),
        'drivers',
      ),
      rss_bytes_per_conn: perConn,
    },
    clients,
    timeline:
      timelines.length > 0
        ? Array.from({ length: Math.max(...timelines.map((t) => t.length)) }, (_, i) =>
            sum(timelines.map((t) => t[i] ?? 0)),
          )
        : null,
    failover: failovers.length > 0 ? mergeFailover(failovers, parts) : null,
    catch_up: mergeCatchUp(parts.map((p) => p.catch_up).filter((c): c is CatchUp => c !== null)),
    errors: mergeErrors(parts.map((p) => p.errors)),
    drain_ms: Math.max(...parts.map((p) => p.drain_ms)),
    browser_bytes: mergeBrowserBytes(parts),
    window_open_late_us: latest(parts.map((p) => p.window_open_late_us)),
    stalls: mergeStallCounts(parts.flatMap((p) => (p.stalls ? [p.stalls] : []))),
    connections_in_window: sum(parts.map((p) => p.connections_in_window)),
    next_hop_protocols: mergeNextHops(parts),
  };
}

/** Browser pages' own byte counts summed, when every driver had them. */
function mergeBrowserBytes(parts: readonly DriverCellResult[]): DriverCellResult['browser_bytes'] {
  const counted = parts.flatMap((p) => (p.browser_bytes === null ? [] : [p.browser_bytes]));
  return counted.length === parts.length ? sumFields(counted) : null;
}

/**
 * Slow consumers' catch-up over several drivers: counts summed, the p50 client-weighted as for
 * recovery, the worst max.
 */
function mergeCatchUp(all: readonly CatchUp[]): CatchUp | null {
  if (all.length === 0) return null;
  const timed = all.flatMap((c) => (c.ms === null ? [] : [{ ms: c.ms, caught_up: c.caught_up }]));
  const caughtUp = sum(timed.map((c) => c.caught_up));
  return {
    clients: sum(all.map((c) => c.clients)),
    caught_up: sum(all.map((c) => c.caught_up)),
    ms:
      timed.length > 0
        ? {
            p50: Math.round((sum(timed.map((c) => c.ms.p50 * c.caught_up)) / caughtUp) * 10) / 10,
            max: Math.max(...timed.map((c) => c.ms.max)),
          }
        : null,
  };
}

function mergeFailover(
  failovers: readonly FailoverOutcome[],
  parts: readonly DriverCellResult[],
): FailoverOutcome {
  const withRecovery = failovers.flatMap((f) =>
    f.recovery_ms === null
      ? []
      : [{ recovery_ms: f.recovery_ms, recovered_clients: f.recovered_clients }],
  );
  const after = parts.flatMap((p) => p.failover?.latency_after_failure_us ?? []);
  return {
    affected_clients: sum(failovers.map((f) => f.affected_clients)),
    recovered_clients: sum(failovers.map((f) => f.recovered_clients)),
    // The p50 of the union is not recoverable from parts' p50s: the client-weighted mean of them is
    // reported.
    recovery_ms:
      withRecovery.length > 0
        ? {
            p50:
              Math.round(
                (sum(withRecovery.map((f) => f.recovery_ms.p50 * f.recovered_clients)) /
                  sum(withRecovery.map((f) => f.recovered_clients))) *
                  10,
              ) / 10,
            max: Math.max(...withRecovery.map((f) => f.recovery_ms.max)),
          }
        : null,
    // Percentiles of parts do not combine: the part with the worst p99 stands for all.
    latency_after_failure_us:
      after.length > 0 ? after.reduce((worst, s) => (s.p99 > worst.p99 ? s : worst)) : null,
  };
}

/** Browser pages by protocol over several drivers, summed; null when none had pages. */
function mergeNextHops(parts: readonly DriverCellResult[]): DriverCellResult['next_hop_protocols'] {
  const all = parts.flatMap((p) => (p.next_hop_protocols ? [p.next_hop_protocols] : []));
  if (all.length === 0) return null;
  const merged: Record<string, number> = {};
  for (const each of all)
    for (const [protocol, pages] of Object.entries(each))
      merged[protocol] = (merged[protocol] ?? 0) + pages;
  return merged;
}
