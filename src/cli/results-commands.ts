import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  newestResults,
  newestRun,
  readResults,
  resultsJsonSchema,
  writeJsonAtomic,
} from '../results/index.ts';
import { ScenarioError, loadScenarios, scenarioJsonSchema } from '../run/scenario.ts';
import { summaryTable } from './summary-table.ts';
import { mergeRuns } from '../driver/merge-host-results.ts';
import { buildReport } from '../report/build-report.ts';
import type { Outcome } from './outcomes.ts';
import { printReport } from './print.ts';

/**
 * `feedbench report`: the HTML report of the given results files, or of the newest run in results/.
 */
export function reportCommand(paths: string[], opts: { out: string }): Outcome {
  const files = paths.length > 0 ? paths : newestRun('results');
  printReport(
    buildReport(
      files.map((f) => resolve(f)),
      resolve(opts.out),
    ),
  );
  return 'ok';
}

/** `feedbench validate`: every problem of every scenario file, as `field: what is wrong`. */
export function validateCommand(paths: string[]): Outcome {
  const problems: string[] = [];
  for (const path of paths) {
    try {
      const scenarios = loadScenarios(path);
      console.log(
        `${path}: ok${scenarios.length > 1 ? ` (a suite of ${scenarios.length}: ${scenarios.map((s) => s.name).join(', ')})` : ''}`,
      );
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length === 0) return 'ok';
  console.error(problems.join('\n'));
  return 'bad-input';
}

/** `feedbench merge`: one results file from several load hosts' runs against one target. */
export function mergeCommand(paths: string[], opts: { out: string }): Outcome {
  const merged = mergeRuns(
    paths.map((p) => readResults(resolve(p))),
    paths,
  );
  writeJsonAtomic(resolve(opts.out), merged);
  console.log(summaryTable(merged));
  for (const cell of merged.cells) {
    const clocks = (cell.hosts ?? []).map((h, i) =>
      h.clock
        ? `host ${i + 1}: offset ${h.clock.offset_us} ± ${h.clock.uncertainty_us} µs (${h.clock.clock})`
        : `host ${i + 1}: no clock estimate (feedbench's own server)`,
    );
    console.log(`${cell.id}: ${clocks.join('; ')}`);
  }
  console.log(`\nmerged ${paths.length} files: ${resolve(opts.out)}`);
  return 'ok';
}

/** `feedbench summary`: the summary table of a results file. */
export function summaryCommand(path: string | undefined): Outcome {
  console.log(summaryTable(readResults(path ?? newestResults('results'))));
  return 'ok';
}

/** `feedbench schema`: both JSON Schemas, generated from their validators. */
export function schemaCommand(opts: { out: string; resultsOut: string }): Outcome {
  writeFileSync(opts.out, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  writeFileSync(opts.resultsOut, `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${opts.out} and ${opts.resultsOut}`);
  return 'ok';
}
