import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isConformanceFile, readConformance, readResults, writeFileAtomic } from '../results/index.ts';
import { buildCharts } from './charts/charts.ts';
import { assessClaims } from './claims/index.ts';
import { renderPage } from './page/html-page.ts';
import { lubbersRows } from './sections/lubbers-table.ts';
import { reportCells } from './report-cells.ts';
import { claimCharts } from './charts/claim-charts.ts';
import { guideCosts } from './sections/decision-guide.ts';

/** Chart.js's UMD bundle from the installed package, made safe to inline in a <script>. */
function inlineChartJs(): string {
  // The package does not export its UMD bundle by name: find it beside the main entry.
  const path = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
  return readFileSync(path, 'utf8')
    .replace(/\/\/# sourceMappingURL=.*$/m, '') // no source-map fetch from a page that must work offline
    .replace(/<\/script/gi, '<\\/script');
}

/**
 * Builds the HTML report from results files (never from a live run) and writes it atomically.
 * Returns the verdict of each claim, for the caller to print.
 */
export function buildReport(resultsPaths: readonly string[], outPath: string): { path: string; verdicts: { id: string; verdict: string; byHttp: { http: string; verdict: string }[] }[] } {
  // A conformance file (feedbench conform) is shown in its own section; the rest are results files.
  const conformancePaths = resultsPaths.filter(isConformanceFile);
  const runs = resultsPaths.filter((p) => !conformancePaths.includes(p)).map(readResults);
  const cells = reportCells(runs);
  const claims = assessClaims(cells);
  const html = renderPage({
    runs,
    sources: resultsPaths,
    cells,
    claims,
    charts: buildCharts(cells),
    lubbers: lubbersRows(cells),
    chartJs: inlineChartJs(),
    generatedAt: new Date().toISOString(),
    conformance: conformancePaths.map(readConformance),
    claimCharts: new Map(claims.map((c) => [c.id, claimCharts(c, cells)])),
    guideCosts: guideCosts(cells),
  });
  writeFileAtomic(outPath, html);
  return { path: outPath, verdicts: claims.map((c) => ({ id: c.id, verdict: c.verdict, byHttp: c.byHttp.map((j) => ({ http: j.http, verdict: j.verdict })) })) };
}
