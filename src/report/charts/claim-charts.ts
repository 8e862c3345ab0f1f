import { HTTP_NAME, type ChartSpec } from './chart-kit.ts';
import { buildCharts } from './charts.ts';
import type { ClaimAssessment } from '../claims/index.ts';
import type { ReportCell } from '../report-cells.ts';


/**
 * The cells any of a claim's verdicts were computed from, as the report holds them, in report
 * order.
 */
export function cellsUsed(claim: ClaimAssessment, all: readonly ReportCell[]): ReportCell[] {
  const labels = new Set(claim.byHttp.flatMap((j) => (j.used ?? []).map((c) => c.label)));
  return all.filter((c) => labels.has(c.label));
}

/**
 * The deciding figure of each verdict, one line per HTTP version when the claim was judged over
 * both.
 */
function decidingLines(claim: ClaimAssessment): string[] {
  return claim.byHttp.flatMap((j) => (j.deciding ? [claim.byHttp.length > 1 ? `${HTTP_NAME[j.http]}: ${j.deciding}` : j.deciding] : []));
}

/**
 * A claim card's charts: its chart ids, drawn from only the cells its verdicts used (chat, echo
 * and capacity charts from their own experiments' cells), the deciding figure written on the
 * first chart as its subtitle. None when no verdict used a cell.
 */
export function claimCharts(claim: ClaimAssessment, all: readonly ReportCell[]): ChartSpec[] {
  const used = cellsUsed(claim, all);
  if (used.length === 0) return [];
  const ownExperiments = all.filter((c) => c.cell.params.workload !== 'feed');
  const specs = buildCharts([...used.filter((c) => c.cell.params.workload === 'feed'), ...ownExperiments]);
  const charts = claim.charts.flatMap((id) => specs.filter((s) => s.id === id));
  const lines = decidingLines(claim);
  return charts.map((spec, i) => {
    if (i > 0 || lines.length === 0) return spec;
    const config = spec.config as { options?: { plugins?: object } };
    return { ...spec, config: { ...config, options: { ...config.options, plugins: { ...config.options?.plugins, subtitle: { display: true, text: lines, font: { size: 13, weight: 'bold' }, padding: { bottom: 8 } } } } } };
  });
}
