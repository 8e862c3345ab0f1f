import { bootstrapDifferenceOfMedians, bootstrapRatioOfMedians } from '../stats/bootstrap.ts';
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

/** A figure as the verdict table prints it: whole from 100 up, else with `digits` decimals. */
export const fmt = (x: number, digits = 1) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(digits);

/** A row comparing one figure within a relative tolerance. */
export function relativeRow(
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

/** A row comparing a count exactly (lost, duplicated). */
export function countRow(cell: string, metric: string, base: number, cur: number): ComparisonRow {
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

/** A repeated figure one side lacks (a run without the raw TCP reference): shown, not judged. */
function notCompared(
  cell: string,
  metric: string,
  base: number[],
  cur: number[],
  show: (x: number) => string,
): ComparisonRow {
  return {
    cell,
    metric,
    baseline: base.length ? show(median(base)) : '-',
    current: cur.length ? show(median(cur)) : '-',
    ratio: null,
    interval: 'needs the raw TCP reference',
    verdict: 'not compared',
  };
}

/**
 * Compares repeated measurements: regressed only when the change of medians is over `limit`
 * and significant (rank-sum) and its bootstrap interval lies above 1.
 */
export function repeatedRow(
  cell: string,
  metric: string,
  base: number[],
  cur: number[],
  limit: number,
  t: GateThresholds,
  show: (x: number) => string,
): ComparisonRow {
  if (base.length === 0 || cur.length === 0) return notCompared(cell, metric, base, cur, show);
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
 * Compares repeated times (µs) by the time added: regressed only when the medians' difference is
 * over `allowedUs` and significant (rank-sum) and its bootstrap interval lies above 0.
 */
export function addedTimeRow(
  cell: string,
  metric: string,
  base: number[],
  cur: number[],
  allowedUs: number,
  t: GateThresholds,
): ComparisonRow {
  const ms = (us: number) => `${(us / 1000).toFixed(2)} ms`;
  if (base.length === 0 || cur.length === 0) return notCompared(cell, metric, base, cur, ms);
  const added = median(cur) - median(base);
  const [lo, hi] = bootstrapDifferenceOfMedians(cur, base);
  const p = rankSumPGreater(cur, base);
  const regressed = added > allowedUs && p <= t.significance && lo > 0;
  const improved = added < -allowedUs && rankSumPGreater(base, cur) <= t.significance && hi < 0;
  const signed = (us: number) => `${us >= 0 ? '+' : '-'}${(Math.abs(us) / 1000).toFixed(2)}`;
  return {
    cell,
    metric,
    baseline: ms(median(base)),
    current: ms(median(cur)),
    ratio: null,
    interval: `${signed(added)} ms, 95% CI ${signed(lo)} to ${signed(hi)}, p=${p.toFixed(3)}, limit +${(allowedUs / 1000).toFixed(2)} ms`,
    verdict: regressed ? 'regressed' : improved ? 'improved' : 'ok',
  };
}
