import type { PercentileSummary } from '../metrics/histogram.ts';
import { cellLabel } from '../transports/cell-label.ts';
import type { CellResult, ResultsFile } from '../results/index.ts';
import type { CapacityResult } from '../results/index.ts';

const ms = (us: number | undefined) =>
  us === undefined ? '-' : us >= 100_000 ? (us / 1000).toFixed(0) : (us / 1000).toFixed(2);
const num = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined ? '-' : x.toFixed(digits);
const kib = (bytes: number | null | undefined) =>
  bytes === null || bytes === undefined ? '-' : (bytes / 1024).toFixed(1);

function row(cell: CellResult, withAck: boolean): string[] {
  const label =
    cellLabel(cell.params) + (cell.params.repetition > 1 ? ` #${cell.params.repetition}` : '');
  // The reasons follow the table, so a long one does not widen its state column.
  if (cell.state === 'not-applicable') return [label, 'not applicable'];
  if (cell.state === 'errored' || !cell.metrics) return [label, 'ERRORED', cell.reason ?? ''];
  const m = cell.metrics;
  const lat: Partial<PercentileSummary> = m.latency_us ?? {};
  const flag = m.driver.saturated ? ' SATURATED' : '';
  return [
    label,
    `ok${flag}`,
    ms(lat.p50),
    ms(lat.p99),
    ms(lat.max),
    ...(withAck ? [ms(m.upstream?.ack_latency_us?.p50)] : []),
    `${m.delivery.delivered}/${m.delivery.published}`,
    `${m.delivery.late}/${m.delivery.lost}/${m.delivery.duplicated}/${m.delivery.reordered}`,
    num(m.wire.bytes_per_update, 0),
    num(m.wire.requests_per_update, 2),
    num(m.server.cpu_ms_per_1k_updates, 1),
    kib(m.server.live_bytes_per_conn ?? m.server.rss_bytes_per_conn),
    kib(m.cost_per_client_hour?.bytes),
  ];
}

/** The capacity ladders: each configuration's steps (clients: p99) and its capacity. */
export function capacityTable(capacity: readonly CapacityResult[]): string {
  const lines = [
    `capacity: most clients with p99 under ${[...new Set(capacity.map((c) => `${c.p99_target_ms} ms`))].join(' / ')} and nothing lost`,
  ];
  for (const c of capacity) {
    const steps = [...c.steps]
      .sort((a, b) => a.clients - b.clients)
      .map((s) => `${s.clients}: ${ms(s.p99_us ?? undefined)}${s.passed ? '' : ' ✗'}`)
      .join(', ');
    const between =
      c.interval && !c.lower_bound ? ` (between ${c.interval[0]} and ${c.interval[1]})` : '';
    lines.push(
      `  ${c.label}: ${c.lower_bound ? '>= ' : ''}${c.capacity_clients} clients${between}  (p99 ms by clients: ${steps}; stopped ${c.limit})`,
    );
  }
  return lines.join('\n');
}

const LATENCY_MEANING = {
  feed: 'feed latency: client receive time minus scheduled publish time',
  chat: "chat latency: a sender's send to every other client's receive; ack: send to the server's acknowledgement",
  echo: 'echo latency: round trip of an echo, send to answer',
} as const;

/** A plain-text table of a run's cells (transport x key figures), for the terminal. */
export function summaryTable(results: ResultsFile): string {
  const withAck = results.cells.some((c) => c.params.workload === 'chat');
  const HEADER = [
    'cell',
    'state',
    'p50 ms',
    'p99 ms',
    'max ms',
    ...(withAck ? ['ack p50 ms'] : []),
    'delivered',
    'late/lost/dup/reord',
    'B/update',
    'req/update',
    'srv CPU ms/1k',
    'srv KiB/conn',
    'KiB/client-h',
  ];
  const rows = [HEADER, ...results.cells.map((c) => row(c, withAck))];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  const out = [
    line(HEADER),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ];
  const saturated = results.cells.filter((c) => c.metrics?.driver.saturated);
  for (const c of saturated)
    out.push(`SATURATED ${cellLabel(c.params)}: ${c.metrics?.driver.reason}`);
  const errored = results.cells.filter((c) => c.state === 'errored');
  for (const c of errored) out.push(`ERRORED ${cellLabel(c.params)}: ${c.reason}`);
  for (const c of results.cells.filter((x) => x.state === 'not-applicable'))
    out.push(`NOT APPLICABLE ${cellLabel(c.params)}: ${c.reason}`);
  for (const workload of new Set(results.cells.map((c) => c.params.workload)))
    out.push(LATENCY_MEANING[workload]);
  if (results.capacity?.length) out.push('', capacityTable(results.capacity));
  out.push(
    'late/lost/dup/reord: updates over all clients in the window (echo: answers; late: delivered after the grace that follows the window); B/update: both directions per delivered update (echo: per answered echo); KiB/client-h: bytes per client scaled to an hour',
  );
  return out.join('\n');
}
