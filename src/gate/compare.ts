import { cellLabel } from '../transports/cell-label.ts';
import { floorTransport, kindOf } from '../transports/registry.ts';
import { NO_TRANSPORT_PARAMS } from '../transports/descriptor.ts';
import type { CellParams, CellResult, OkCell, ResultsFile } from '../results/index.ts';
import { bootstrapRatioOfMedians } from '../stats/bootstrap.ts';
import { median } from '../stats/percentile.ts';
import { rankSumPGreater } from '../stats/rank-sum.ts';
import type { GateThresholds } from './thresholds.ts';

/**
 * Verdict of one comparison row. `missing`: a baseline cell the current run lacks (it fails the
 * gate unless allowed); `not compared`: a current cell the baseline lacks (nothing to judge it by).
 */
export type RowVerdict = 'ok' | 'improved' | 'regressed' | 'missing' | 'not compared';

/** One row of the verdict table. */
export interface ComparisonRow {
  readonly cell: string;
  readonly metric: string;
  readonly baseline: string;
  readonly current: string;
  /** current / baseline where that means something. */
  readonly ratio: number | null;
  /** The interval or tolerance the verdict was judged against. */
  readonly interval: string;
  readonly verdict: RowVerdict;
}

/** Two results files that cannot be compared; the CLI answers with exit code 2. */
export class IncomparableError extends Error {}

type Group = { params: CellParams; cells: CellResult[] };

/**
 * Parameters minus the repetition, keys sorted: files written by different versions still match.
 */
const keyOf = (p: CellParams) => {
  const { repetition: _, ...rest } = p;
  return JSON.stringify(
    Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))),
  );
};
const fmt = (x: number, digits = 1) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(digits));

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

function relativeRow(
  cell: string,
  metric: string,
  base: number | null | undefined,
  cur: number | null | undefined,
  tolerance: number,
  unit = '',
): ComparisonRow {
  if (base === null || base === undefined || cur === null || cur === undefined) {
    return {
      cell,
      metric,
      baseline: String(base ?? '-'),
      current: String(cur ?? '-'),
      ratio: null,
      interval: '',
      verdict: base === cur ? 'ok' : 'not compared',
    };
  }
  const ratio = base === 0 ? (cur === 0 ? 1 : Infinity) : cur / base;
  const verdict: RowVerdict =
    ratio > 1 + tolerance ? 'regressed' : ratio < 1 - tolerance ? 'improved' : 'ok';
  return {
    cell,
    metric,
    baseline: `${fmt(base)}${unit}`,
    current: `${fmt(cur)}${unit}`,
    ratio,
    interval: `±${(tolerance * 100).toFixed(0)}%`,
    verdict,
  };
}

function countRow(cell: string, metric: string, base: number, cur: number): ComparisonRow {
  return {
    cell,
    metric,
    baseline: String(base),
    current: String(cur),
    ratio: null,
    interval: 'exact',
    verdict: cur > base ? 'regressed' : cur < base ? 'improved' : 'ok',
  };
}

const okCells = (g: Group | undefined) =>
  (g?.cells ?? []).filter((c): c is OkCell => c.state === 'ok');
const sum = (cells: OkCell[], f: (c: OkCell) => number) => cells.reduce((s, c) => s + f(c), 0);
const medianOf = (cells: OkCell[], f: (c: OkCell) => number | null | undefined) => {
  const xs = cells.map(f).filter((x): x is number => typeof x === 'number');
  return xs.length > 0 ? median(xs) : null;
};

/** Per repetition: the cell's figure divided by its raw TCP reference's in the same repetition. */
function inRunRatios(
  cells: OkCell[],
  reference: Group | undefined,
  figure: (c: OkCell) => number | null | undefined,
): number[] {
  const ratios: number[] = [];
  for (const c of cells) {
    const ref = okCells(reference).find((r) => r.params.repetition === c.params.repetition);
    const a = figure(c);
    const b = ref ? figure(ref) : null;
    if (typeof a === 'number' && typeof b === 'number' && b > 0) ratios.push(a / b);
  }
  return ratios;
}

/**
 * Compares repeated measurements: regressed only when the change of medians is over `limit`
 * and significant (rank-sum) and its bootstrap interval lies above 1.
 */
function repeatedRow(
  cell: string,
  metric: string,
  base: number[],
  cur: number[],
  limit: number,
  t: GateThresholds,
  show: (x: number) => string,
): ComparisonRow {
  if (base.length === 0 || cur.length === 0)
    return {
      cell,
      metric,
      baseline: base.length ? show(median(base)) : '-',
      current: cur.length ? show(median(cur)) : '-',
      ratio: null,
      interval: 'needs the raw TCP reference',
      verdict: 'not compared',
    };
  const change = median(cur) / median(base);
  const [lo, hi] = bootstrapRatioOfMedians(cur, base);
  const p = rankSumPGreater(cur, base);
  // Regressed only when the change is both large and significant: noise on a shared machine
  // moves single runs by 20-50%, so neither test alone is enough.
  const regressed = change > limit && p <= t.significance && lo > 1;
  const improved = change < 1 / limit && rankSumPGreater(base, cur) <= t.significance && hi < 1;
  return {
    cell,
    metric,
    baseline: show(median(base)),
    current: show(median(cur)),
    ratio: change,
    interval: `95% CI ${lo.toFixed(2)}-${hi.toFixed(2)}, p=${p.toFixed(3)}, limit ${limit}x`,
    verdict: regressed ? 'regressed' : improved ? 'improved' : 'ok',
  };
}

/**
 * Compares a current run with a baseline of the same scenario. Deterministic figures (lost,
 * duplicated, bytes, requests, handshake bytes) are compared exactly or within tight tolerances;
 * latency bounded by a model (network profile or poll interval) by its deviation from the model;
 * CPU-bound latency and server CPU as ratios to the raw TCP reference measured in the same run,
 * regressed only when large and significant over the repetitions.
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
    const b = okCells(bg);
    const c = okCells(cg);
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
    if (b.length === 0 || c.length === 0) continue;
    rows.push(
      countRow(
        label,
        'updates lost',
        sum(b, (x) => x.metrics.delivery.lost),
        sum(c, (x) => x.metrics.delivery.lost),
      ),
    );
    rows.push(
      countRow(
        label,
        'updates duplicated',
        sum(b, (x) => x.metrics.delivery.duplicated),
        sum(c, (x) => x.metrics.delivery.duplicated),
      ),
    );
    rows.push(
      relativeRow(
        label,
        'wire bytes per update',
        medianOf(b, (x) => x.metrics.wire.bytes_per_update),
        medianOf(c, (x) => x.metrics.wire.bytes_per_update),
        t.bytesPerUpdate,
        ' B',
      ),
    );
    const kind = kindOf(cg.params.transport);
    if (kind === 'poll') {
      rows.push(
        relativeRow(
          label,
          'requests per update',
          medianOf(b, (x) => x.metrics.wire.requests_per_update),
          medianOf(c, (x) => x.metrics.wire.requests_per_update),
          t.requestsPerUpdate,
        ),
      );
    }
    if (kind === 'push') {
      rows.push(
        relativeRow(
          label,
          'handshake bytes',
          medianOf(b, (x) => x.metrics.wire.handshake_bytes),
          medianOf(c, (x) => x.metrics.wire.handshake_bytes),
          t.handshakeBytes,
          ' B',
        ),
      );
    }
    if (kind === 'floor') continue;
    const model = c[0]?.model;
    if (model && model.mean_us >= t.modelBoundFromUs) {
      const bDev = medianOf(b, (x) => x.model?.deviation);
      const cDev = medianOf(c, (x) => x.model?.deviation);
      if (bDev !== null && cDev !== null) {
        const grew = cDev - bDev;
        rows.push({
          cell: label,
          metric: `mean latency vs model (${model.formula})`,
          baseline: `${(bDev * 100).toFixed(1)}%`,
          current: `${(cDev * 100).toFixed(1)}%`,
          ratio: null,
          interval: `+${(t.modelDeviation * 100).toFixed(0)} points`,
          verdict:
            grew > t.modelDeviation ? 'regressed' : grew < -t.modelDeviation ? 'improved' : 'ok',
        });
      }
    } else {
      const refBase = base.get(referenceKey(cg.params));
      const refCur = cur.get(referenceKey(cg.params));
      const asRatio = (x: number) => `${fmt(x, 2)}x`;
      const asMs = (x: number) => `${(x / 1000).toFixed(2)} ms`;
      rows.push(
        repeatedRow(
          label,
          'p50 latency / raw TCP p50',
          inRunRatios(b, refBase, (x) => x.metrics.latency_us?.p50),
          inRunRatios(c, refCur, (x) => x.metrics.latency_us?.p50),
          t.cpuBoundRatio,
          t,
          asRatio,
        ),
      );
      const p50s = (cells: OkCell[]) =>
        cells
          .map((x) => x.metrics.latency_us?.p50)
          .filter((x): x is number => typeof x === 'number');
      rows.push(
        repeatedRow(label, 'p50 latency (absolute)', p50s(b), p50s(c), t.absoluteRatio, t, asMs),
      );
    }
    const refBase = base.get(referenceKey(cg.params));
    const refCur = cur.get(referenceKey(cg.params));
    rows.push(
      repeatedRow(
        label,
        'server CPU per update / raw TCP',
        inRunRatios(b, refBase, (x) => x.metrics.server.cpu_ms_per_1k_updates),
        inRunRatios(c, refCur, (x) => x.metrics.server.cpu_ms_per_1k_updates),
        t.cpuBoundRatio,
        t,
        (x) => `${fmt(x, 2)}x`,
      ),
    );
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
