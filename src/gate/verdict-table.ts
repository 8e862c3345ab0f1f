import type { ComparisonRow } from './compare.ts';

/** The verdict table as plain text: metric, baseline, current, ratio, interval, verdict per row. */
export function verdictTable(rows: readonly ComparisonRow[]): string {
  const header = [
    'cell',
    'metric',
    'baseline',
    'current',
    'ratio',
    'interval / tolerance',
    'verdict',
  ];
  const body = rows.map((r) => [
    r.cell,
    r.metric,
    r.baseline,
    r.current,
    r.ratio === null ? '' : `${r.ratio.toFixed(3)}`,
    r.interval,
    r.verdict === 'regressed' || r.verdict === 'missing' ? r.verdict.toUpperCase() : r.verdict,
  ]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
