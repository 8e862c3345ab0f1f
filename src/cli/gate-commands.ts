import { existsSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ResultsError, readResults, writeJsonAtomic, type ResultsFile } from '../results/index.ts';
import { loadScenario } from '../run/scenario.ts';
import { runScenario } from '../run/run-scenario.ts';
import { plainProgress } from '../run/progress.ts';
import { compareRuns } from '../gate/compare.ts';
import { DEFAULT_THRESHOLDS } from '../gate/thresholds.ts';
import { verdictTable } from '../gate/verdict-table.ts';
import { ciOutputs } from '../gate/ci-outputs.ts';
import type { Outcome } from './outcomes.ts';

/** Reads a results file for comparison; a missing one is bad input, with how to make a baseline. */
function readForComparison(path: string, role: 'baseline' | 'current'): ResultsFile {
  if (!existsSync(path))
    throw new ResultsError(path, [
      `(${role}): no such file${role === 'baseline' ? '; make one deliberately with `feedbench baseline`' : ''}`,
    ]);
  return readResults(path);
}

/** Options both comparing commands take. */
export interface JudgeOptions {
  /** Baseline cells absent from the current run pass (listed all the same). */
  allowMissing?: boolean;
}

/**
 * Prints the verdict table; `regression` when any figure regressed or, unless allowed, a baseline
 * cell is missing from the current run (a gate that measured less must not pass for it).
 */
function judge(baseline: ResultsFile, current: ResultsFile, opts: JudgeOptions): Outcome {
  const rows = compareRuns(baseline, current, DEFAULT_THRESHOLDS);
  console.log(verdictTable(rows));
  const regressed = rows.filter((r) => r.verdict === 'regressed');
  const missing = rows.filter((r) => r.verdict === 'missing');
  if (missing.length > 0)
    console.log(
      `\n${missing.length} baseline cell(s) missing from the current run: ${missing.map((r) => r.cell).join('; ')}${opts.allowMissing ? ' (allowed by --allow-missing)' : ' (each fails; --allow-missing lets them pass)'}`,
    );
  const failed = regressed.length + (opts.allowMissing ? 0 : missing.length);
  console.log(
    regressed.length > 0
      ? `\nREGRESSION: ${regressed.length} figure(s) regressed`
      : failed > 0
        ? '\nREGRESSION: cells missing'
        : '\nno regression',
  );
  return failed > 0 ? 'regression' : 'ok';
}

/** Writes github-action-benchmark and Bencher JSON beside a results file. */
function writeCiOutputs(results: ResultsFile, resultsPath: string): void {
  const { githubActionBenchmark, bencher } = ciOutputs(results);
  const base = resultsPath.replace(/\.json$/, '');
  writeJsonAtomic(`${base}.github-action-benchmark.json`, githubActionBenchmark);
  writeJsonAtomic(`${base}.bencher.json`, bencher);
  console.log(`CI-tool JSON: ${base}.github-action-benchmark.json, ${base}.bencher.json`);
}

/** `feedbench gate`: runs the CI scenario and compares it with the committed baseline. */
export async function gateCommand(
  opts: { scenario: string; baseline: string; out: string } & JudgeOptions,
): Promise<Outcome> {
  const baseline = readForComparison(opts.baseline, 'baseline');
  const scenario = loadScenario(opts.scenario);
  if (baseline.scenario.name !== scenario.name)
    throw new ResultsError(opts.baseline, [
      `scenario.name: the baseline is a run of "${baseline.scenario.name}", the gate runs "${scenario.name}"`,
    ]);
  const started = Date.now();
  const { results, path } = await runScenario(
    scenario,
    resolve(opts.out),
    plainProgress((line) => console.log(line)),
  );
  writeCiOutputs(results, path);
  console.log(
    `\nresults: ${path}; compared with ${opts.baseline} (commit ${baseline.tool.commit?.slice(0, 10) ?? 'unknown'}, ${baseline.created_at})\n`,
  );
  const outcome = judge(baseline, results, opts);
  console.log(`gate wall time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return outcome;
}

/** `feedbench compare A B`: the gate's verdict table for two results files. */
export function compareCommand(a: string, b: string, opts: JudgeOptions): Outcome {
  return judge(readForComparison(a, 'baseline'), readForComparison(b, 'current'), opts);
}

/**
 * `feedbench baseline`: runs the CI scenario and writes it as the new baseline, unless a cell
 * errored.
 */
export async function baselineCommand(opts: { scenario: string; out: string }): Promise<Outcome> {
  const scenario = loadScenario(opts.scenario);
  const { results, path } = await runScenario(
    scenario,
    resolve(dirname(opts.out)),
    plainProgress((line) => console.log(line)),
  );
  if (results.cells.some((c) => c.state === 'errored')) {
    console.error(`not written: some cells errored (see ${path})`);
    return 'cells-errored';
  }
  renameSync(path, resolve(opts.out));
  console.log(
    `\nbaseline written: ${opts.out} (machine: ${results.machine.cpu_model}, ${results.machine.cores} cores; commit ${results.tool.commit ?? 'unknown'}${results.tool.commit_dirty ? ', uncommitted changes' : ''})`,
  );
  return 'ok';
}
