import { cellLabel } from '../transports/cell-label.ts';
import { floorTransport, kindOf } from '../transports/registry.ts';
import { NO_TRANSPORT_PARAMS } from '../transports/descriptor.ts';
import type { CellParams, OkCell, ResultsFile } from '../results/index.ts';
import { inRunRatios, medianOf, okCells, sum, type Group } from './cell-groups.ts';
import { latencyRows } from './latency-rows.ts';
import type { GateThresholds } from './thresholds.ts';
import { machineDrift, type MachineDrift } from './machine-drift.ts';
import { countRow, fmt, relativeRow, repeatedRow, type ComparisonRow } from './comparison-rows.ts';

export type { ComparisonRow, RowVerdict } from './comparison-rows.ts';

/** Two results files that cannot be compared; the CLI answers with exit code 2. */
export class IncomparableError extends Error {}

/**
 * Parameters minus the repetition, keys sorted: files written by different versions still match.
 */
const keyOf = (p: CellParams) => {
  const { repetition: _, ...rest } = p;
  return JSON.stringify(
    Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))),
  );
};

function groups(run: ResultsFile): Map<string, Group> {
  const map = new Map<string, Group>();
  for (const cell of run.cells) {
    const key = keyOf(cell.params);
    const g = map.get(key) ?? { params: cell.params, cells: [] };
    g.cells.push(cell);
    map.set(key, g);
  }
  return map;
}

/** The raw TCP reference of a group: same load, network and repetition. */
function referenceKey(p: CellParams): string {
  return keyOf({
    ...p,
    transport: floorTransport().name,
    workload: 'feed',
    instances: 1,
    balancer: null,
    failover_at_ms: null,
    header_profile: 'minimal',
    ...NO_TRANSPORT_PARAMS,
    tls: false,
  });
}

/**
 * Compares a current run with a baseline of the same scenario. Deterministic figures (lost,
 * duplicated, bytes, requests, handshake bytes) are compared exactly or within tight tolerances;
 * latency bounded by a model (network profile or poll interval) by its deviation from the model;
 * CPU-bound latency by the time it adds over the raw TCP reference measured in the same run and in
 * absolute terms, server CPU as a ratio to that reference; regressed only when large and
 * significant over the repetitions.
 */
export function compareRuns(
  baseline: ResultsFile,
  current: ResultsFile,
  t: GateThresholds,
): ComparisonRow[] {
  if (baseline.scenario.name !== current.scenario.name) {
    throw new IncomparableError(
      `the baseline is a run of scenario "${baseline.scenario.name}", the current run is of "${current.scenario.name}"`,
    );
  }
  const base = groups(baseline);
  const cur = groups(current);
  // Two runs of one scenario that share no cell (its matrix was edited) compare nothing: a table
  // of "not compared" rows would pass a gate on no evidence.
  if (![...cur.keys()].some((key) => base.has(key))) {
    throw new IncomparableError(
      `no cell of the current run is in the baseline (the scenario's matrix changed): make a new baseline with \`feedbench baseline\``,
    );
  }
  const drift = machineDrift(baseline, current);
  const rows: ComparisonRow[] = [];
  for (const [key, cg] of cur) {
    const label = cellLabel(cg.params);
    const bg = base.get(key);
    if (!bg) {
      rows.push({
        cell: label,
        metric: '(cell)',
        baseline: 'absent',
        current: 'present',
        ratio: null,
        interval: '',
        verdict: 'not compared',
      });
      continue;
    }
    rows.push(...compareCell(label, bg, cg, { base, cur, drift }, t));
  }
  for (const [key, bg] of base)
    if (!cur.has(key))
      rows.push({
        cell: cellLabel(bg.params),
        metric: '(cell)',
        baseline: 'present',
        current: 'absent',
        ratio: null,
        interval: '',
        verdict: 'missing',
      });
  return rows;
}

/** The rows of one cell of the current run against the same cell of the baseline. */
function compareCell(
  label: string,
  bg: Group,
  cg: Group,
  runs: { base: Map<string, Group>; cur: Map<string, Group>; drift: MachineDrift },
  t: GateThresholds,
): ComparisonRow[] {
  const { base, cur } = runs;
  const b = okCells(bg);
  const c = okCells(cg);
  const rows: ComparisonRow[] = [];
  const errored = cg.cells.filter((x) => x.state === 'errored');
  if (errored.length > 0)
    rows.push({
      cell: label,
      metric: 'cells errored',
      baseline: String(bg.cells.length - b.length),
      current: String(errored.length),
      ratio: null,
      interval: 'exact',
      verdict: 'regressed',
    });
  if (b.length === 0 || c.length === 0) return rows;
  const kind = kindOf(cg.params.transport);
  rows.push(...deterministicRows(label, b, c, kind, t));
  if (kind === 'floor') return rows;
  const refBase = base.get(referenceKey(cg.params));
  const refCur = cur.get(referenceKey(cg.params));
  rows.push(...latencyRows(label, b, c, { refBase, refCur, drift: runs.drift }, t));
  rows.push(
    repeatedRow(
      label,
      'server CPU per update / raw TCP',
      inRunRatios(b, refBase, (x) => x.metrics.server.cpu_ms_per_1k_updates),
      inRunRatios(c, refCur, (x) => x.metrics.server.cpu_ms_per_1k_updates),
      t.serverCpuRatio,
      t,
      (x) => `${fmt(x, 2)}x`,
    ),
  );
  return rows;
}

/** Figures that do not depend on the machine's speed: compared exactly or within a tolerance. */
function deterministicRows(
  label: string,
  b: OkCell[],
  c: OkCell[],
  kind: ReturnType<typeof kindOf>,
  t: GateThresholds,
): ComparisonRow[] {
  const delivery = (metric: string, pick: (x: OkCell) => number) =>
    countRow(label, metric, sum(b, pick), sum(c, pick));
  const relative = (
    metric: string,
    pick: (x: OkCell) => number | null,
    tolerance: number,
    unit = '',
  ) => relativeRow(label, metric, medianOf(b, pick), medianOf(c, pick), tolerance, unit);
  return [
    delivery('updates lost', (x) => x.metrics.delivery.lost),
    delivery('updates duplicated', (x) => x.metrics.delivery.duplicated),
    relative(
      'wire bytes per update',
      (x) => x.metrics.wire.bytes_per_update,
      t.bytesPerUpdate,
      ' B',
    ),
    ...(kind === 'poll'
      ? [
          relative(
            'requests per update',
            (x) => x.metrics.wire.requests_per_update,
            t.requestsPerUpdate,
          ),
        ]
      : []),
    ...(kind === 'push'
      ? [relative('handshake bytes', (x) => x.metrics.wire.handshake_bytes, t.handshakeBytes, ' B')]
      : []),
  ];
}
