/**
 * The feedbench command line: the only place that parses argv, prints, and picks exit codes.
 * Exit codes: 0 ok, 1 crash, 2 bad input or config, 3 a run finished with errored cells,
 * 4 the gate found a regression.
 */
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ScenarioError, loadScenario, loadScenarios, parseScenarios, scenarioJsonSchema, type Scenario } from './run/scenario.ts';
import { runScenario } from './run/run-scenario.ts';
import { plainProgress, terminalProgress } from './run/progress.ts';
import { summaryTable } from './run/summary-table.ts';
import { readResults, toolVersion, writeJsonAtomic, type ResultsFile } from './run/results.ts';
import { IncomparableError, compareRuns } from './gate/compare.ts';
import { DEFAULT_THRESHOLDS } from './gate/thresholds.ts';
import { verdictTable } from './gate/verdict-table.ts';
import { ciOutputs } from './gate/ci-outputs.ts';
import { buildReport } from './report/build-report.ts';
import { killAllChildren } from './process/children.ts';
import { TRANSPORTS } from './protocol/feed-protocol.ts';
import { TargetError, probeTarget } from './run/external-target.ts';
import { MergeError, mergeRuns } from './run/merge-results.ts';

/** Exit codes, as in STYLE.md: errors inside a run are data; at the edge, coded exits. */
export const EXIT = { ok: 0, crash: 1, badInput: 2, cellsErrored: 3, regression: 4 } as const;

const positiveInt = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
};

/** The results files in a folder (the CI baseline and CI-tool JSON excepted). */
function resultsFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'baseline.json' && !f.endsWith('.bencher.json') && !f.endsWith('.github-action-benchmark.json'))
    .map((f) => join(dir, f));
}

/** The newest results file in a folder (the CI baseline excepted). */
function newestResults(dir: string): string {
  const files = resultsFilesIn(dir).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) throw new ScenarioError(dir, ['(folder): holds no results file; run `feedbench run` first']);
  return files[0]!;
}

/** The newest results file in a folder and, when it is part of a suite run, every other part of that run. */
function newestRun(dir: string): string[] {
  const newest = newestResults(dir);
  const suite = readResults(newest).suite;
  if (!suite) return [newest];
  return resultsFilesIn(dir)
    .filter((f) => {
      try {
        const other = readResults(f).suite;
        return other?.name === suite.name && other.started_at === suite.started_at;
      } catch {
        return false; // not a results file this version reads: not part of the run
      }
    })
    .sort();
}

/**
 * Reads a scenario or suite file and applies command-line overrides before validating, so both
 * are checked alike. In a suite the overrides win over every part's own fields.
 */
function scenariosWithOverrides(path: string, overrides: Record<string, unknown>): Scenario[] {
  const base = loadScenarios(path); // validates the file as written first: its own mistakes name its own fields
  if (Object.keys(overrides).length === 0) return base;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  // Objects (scaleOut) are merged field by field, so an override keeps the file's other fields.
  const apply = (target: Record<string, unknown>) => {
    const merged = { ...target, ...overrides };
    for (const [key, value] of Object.entries(overrides)) {
      if (value && typeof value === 'object' && !Array.isArray(value)) merged[key] = { ...(target[key] as object | undefined), ...value };
    }
    return merged;
  };
  if (Array.isArray(raw.parts)) raw.parts = raw.parts.map((part: Record<string, unknown>) => apply(part));
  return parseScenarios(apply(raw), `${path} with command-line options`);
}

/** The scenario `--quick` runs: a smoke test of every transport in under a minute. */
const QUICK_SCENARIO = 'scenarios/quick.json';

/** Writes github-action-benchmark and Bencher JSON beside a results file. */
function writeCiOutputs(results: ResultsFile, resultsPath: string): void {
  const { githubActionBenchmark, bencher } = ciOutputs(results);
  const base = resultsPath.replace(/\.json$/, '');
  writeJsonAtomic(`${base}.github-action-benchmark.json`, githubActionBenchmark);
  writeJsonAtomic(`${base}.bencher.json`, bencher);
  console.log(`CI-tool JSON: ${base}.github-action-benchmark.json, ${base}.bencher.json`);
}

function printReport(report: { path: string; verdicts: { id: string; verdict: string }[] }): void {
  console.log(`report:  ${report.path}`);
  console.log(`verdicts: ${report.verdicts.map((v) => `${v.id} ${v.verdict}`).join(', ')}`);
}

const program = new Command();
program
  .name('feedbench')
  .description('Measures the latency and cost of one update feed over short polling, long polling, SSE and WebSocket.')
  .version(toolVersion())
  .showHelpAfterError();

program
  .command('run')
  .description('run a scenario (or each part of a suite): every cell of its matrix with fresh server and driver processes; writes a results JSON per scenario and one report of them all')
  .argument('[scenario]', 'scenario or suite file', 'scenarios/default.json')
  .option('--quick', `run ${QUICK_SCENARIO} instead: every transport in under a minute, for smoke tests`)
  .option('--out <dir>', 'folder for the results file', 'results')
  .option('--transports <list>', `comma-separated subset of ${TRANSPORTS.join(',')}`)
  .option('--clients <n>', 'override the scenario\'s clients', positiveInt)
  .option('--rate <n>', 'override the scenario\'s updates per second', positiveInt)
  .option('--warmup-ms <n>', 'override the warm-up, ms', positiveInt)
  .option('--duration-ms <n>', 'override the measurement window, ms', positiveInt)
  .option('--instances <k>', 'server instances behind a load balancer, sharing the feed through Redis (scaleOut.instances)', positiveInt)
  .option('--target <url>', 'measure a server feedbench did not start (it must speak the feed protocol in README); no server CPU or memory then')
  .option('--allow-remote-target', 'let --target be a host other than loopback (load then leaves this machine)')
  .option('--redis <url>', 'use this Redis as the backplane instead of starting redis-server (scaleOut.redisUrl)')
  .addOption(new Option('--progress <kind>', 'progress display').choices(['auto', 'bar', 'plain', 'none']).default('auto'))
  .option('--report <file>', 'HTML report to write from this run\'s results', 'report/index.html')
  .option('--no-report', 'write no HTML report')
  .action(async (scenarioArg: string, opts: { quick?: boolean; out: string; transports?: string; clients?: number; rate?: number; warmupMs?: number; durationMs?: number; instances?: number; redis?: string; target?: string; allowRemoteTarget?: boolean; progress: string; report: string | false }) => {
    const scenarioPath = opts.quick ? QUICK_SCENARIO : scenarioArg;
    const overrides: Record<string, unknown> = {};
    if (opts.transports) overrides.transports = opts.transports.split(',').map((t) => t.trim());
    if (opts.clients) overrides.clients = opts.clients;
    if (opts.rate) overrides.ratePerSec = opts.rate;
    if (opts.warmupMs) overrides.warmupMs = opts.warmupMs;
    if (opts.durationMs) overrides.durationMs = opts.durationMs;
    if (opts.target) overrides.target = opts.target;
    if (opts.allowRemoteTarget) overrides.allowRemoteTarget = true;
    if (opts.instances || opts.redis) {
      // Merged into each scenario's own scaleOut below, so a failover set in the file is kept.
      overrides.scaleOut = { ...(opts.instances ? { instances: opts.instances } : {}), ...(opts.redis ? { redisUrl: opts.redis } : {}) };
    }
    const scenarios = scenariosWithOverrides(scenarioPath, overrides);
    // An unreachable or wrong target is the user's input: say so before any cell runs (exit 2).
    for (const s of scenarios) if (s.target) await probeTarget(new URL(s.target), s.transports);
    const kind = opts.progress === 'auto' ? (process.stdout.isTTY ? 'bar' : 'plain') : opts.progress;
    const started = Date.now();
    const paths: string[] = [];
    const suite = scenarios.length > 1 ? { name: (JSON.parse(readFileSync(scenarioPath, 'utf8')) as { name: string }).name, started_at: new Date(started).toISOString() } : undefined;
    for (const scenario of scenarios) {
      if (scenarios.length > 1) console.log(`\n== ${scenario.name}${scenario.description ? `: ${scenario.description}` : ''}`);
      const bar = kind === 'bar' ? terminalProgress() : undefined;
      const observer = bar ?? plainProgress(kind === 'none' ? () => {} : (line) => console.log(line));
      const partStarted = Date.now();
      const { results, path } = await runScenario(scenario, resolve(opts.out), observer, suite);
      bar?.stop();
      console.log(`\n${summaryTable(results)}\n`);
      console.log(`results: ${path}  (${((Date.now() - partStarted) / 1000).toFixed(0)} s)`);
      paths.push(path);
      if (results.cells.some((c) => c.state === 'errored')) process.exitCode = EXIT.cellsErrored;
    }
    if (scenarios.length > 1) console.log(`\n${scenarios.length} scenarios in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (opts.report) printReport(buildReport(paths, resolve(opts.report)));
  });

program
  .command('report')
  .description('build the HTML report from saved results files (default: the newest run in results/, every part of it when it was a suite)')
  .argument('[results...]', 'results files to show together')
  .option('--out <file>', 'where to write the report', 'report/index.html')
  .action((paths: string[], opts: { out: string }) => {
    const files = paths.length > 0 ? paths : newestRun('results');
    printReport(buildReport(files.map((f) => resolve(f)), resolve(opts.out)));
  });

program
  .command('validate')
  .description('check scenario files and list every problem as `field: what is wrong` (exit 2 if any)')
  .argument('<scenario...>', 'scenario files')
  .action((paths: string[]) => {
    const problems: string[] = [];
    for (const path of paths) {
      try {
        const scenarios = loadScenarios(path);
        console.log(`${path}: ok${scenarios.length > 1 ? ` (a suite of ${scenarios.length}: ${scenarios.map((s) => s.name).join(', ')})` : ''}`);
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        problems.push(error.message);
      }
    }
    if (problems.length > 0) {
      console.error(problems.join('\n'));
      process.exitCode = EXIT.badInput;
    }
  });

program
  .command('merge')
  .description('merge results files of one scenario run by drivers on several hosts against one target (--target): histograms merged exactly, counts summed, each host\'s clock offset kept')
  .argument('<results...>', 'results files, one per load host')
  .option('--out <file>', 'where to write the merged results file', 'results/merged.json')
  .action((paths: string[], opts: { out: string }) => {
    const runs = paths.map((p) => readResults(resolve(p)));
    const merged = mergeRuns(runs, paths);
    writeJsonAtomic(resolve(opts.out), merged);
    console.log(summaryTable(merged));
    for (const cell of merged.cells) {
      const clocks = (cell.hosts ?? []).map((h, i) => (h.clock ? `host ${i + 1}: offset ${h.clock.offset_us} ± ${h.clock.uncertainty_us} µs (${h.clock.clock})` : `host ${i + 1}: no clock estimate (feedbench's own server)`));
      console.log(`${cell.id}: ${clocks.join('; ')}`);
    }
    console.log(`\nmerged ${paths.length} files: ${resolve(opts.out)}`);
  });

program
  .command('summary')
  .description('print the summary table of a results file (default: the newest in results/)')
  .argument('[results]', 'results file')
  .action((path?: string) => {
    console.log(summaryTable(readResults(path ?? newestResults('results'))));
  });

program
  .command('serve')
  .description('run the feed server in the foreground (all four transports on one port), for trying clients by hand')
  .option('--host <host>', 'address to listen on (loopback only is recommended)', '127.0.0.1')
  .option('--port <n>', 'port (0 picks a free one)', (v) => Number(v), 8080)
  .option('--rate <n>', 'updates per second to publish (0: none until POST /feed)', (v) => Number(v), 0)
  .option('--payload-bytes <n>', 'payload size of each update', (v) => Number(v), 128)
  .action(async (opts: { host: string; port: number; rate: number; payloadBytes: number }) => {
    const { createFeedServer } = await import('./server/feed-server.ts');
    const server = createFeedServer();
    const port = await server.listen(opts.port, opts.host);
    if (opts.rate > 0) server.publisher.configure({ rate: opts.rate, payloadBytes: opts.payloadBytes });
    console.log(`feed server on http://${opts.host}:${port} (GET /health, /poll, /long-poll, /sse, /ws); Ctrl-C stops it`);
  });

program
  .command('schema')
  .description('write the JSON Schema of scenario files (generated from the validator)')
  .option('--out <file>', 'where to write it', 'scenarios/scenario.schema.json')
  .action((opts: { out: string }) => {
    writeFileSync(opts.out, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    console.log(`wrote ${opts.out}`);
  });

program
  .command('selftest')
  .description('measure the harness\'s own floor: WebSocket delivery latency vs a raw TCP stream from the same publisher')
  .option('--rounds <n>', 'alternating rounds of each', positiveInt, 3)
  .option('--duration-ms <n>', 'window of each round, ms', positiveInt, 3000)
  .action(async (opts: { rounds: number; durationMs: number }) => {
    const { runSelftest } = await import('./run/selftest.ts');
    const report = await runSelftest(opts.rounds, opts.durationMs, (line) => console.log(line));
    if (!report.pass) process.exitCode = EXIT.crash;
  });

/** Reads a results file for comparison; a missing or unreadable one is bad input (exit 2). */
function readForComparison(path: string, role: string): ResultsFile {
  if (!existsSync(path)) throw new ScenarioError(path, [`(${role}): no such file${role === 'baseline' ? '; make one deliberately with `feedbench baseline`' : ''}`]);
  try {
    return readResults(path);
  } catch (error) {
    throw new ScenarioError(path, [`(${role}): ${(error as Error).message}`]);
  }
}

/** Prints the verdict table and writes nothing; returns the exit code. */
function judge(baseline: ResultsFile, current: ResultsFile): number {
  let rows;
  try {
    rows = compareRuns(baseline, current, DEFAULT_THRESHOLDS);
  } catch (error) {
    if (error instanceof IncomparableError) throw new ScenarioError('comparison', [`(scenario): ${error.message}`]);
    throw error;
  }
  console.log(verdictTable(rows));
  const regressed = rows.filter((r) => r.verdict === 'regressed');
  console.log(regressed.length > 0 ? `\nREGRESSION: ${regressed.length} figure(s) regressed` : '\nno regression');
  return regressed.length > 0 ? EXIT.regression : EXIT.ok;
}

program
  .command('gate')
  .description('run the CI scenario and compare it with the committed baseline; exit 4 on a regression, 2 on bad input')
  .option('--scenario <file>', 'CI scenario', 'scenarios/ci.json')
  .option('--baseline <file>', 'baseline results file', 'results/baseline.json')
  .option('--out <dir>', 'folder for the results and CI-tool JSON', 'results')
  .action(async (opts: { scenario: string; baseline: string; out: string }) => {
    const baseline = readForComparison(opts.baseline, 'baseline');
    const scenario = loadScenario(opts.scenario);
    if (baseline.scenario.name !== scenario.name) throw new ScenarioError(opts.baseline, [`(scenario): the baseline is a run of "${baseline.scenario.name}", the gate runs "${scenario.name}"`]);
    const started = Date.now();
    const { results, path } = await runScenario(scenario, resolve(opts.out), plainProgress((line) => console.log(line)));
    writeCiOutputs(results, path);
    console.log(`\nresults: ${path}; compared with ${opts.baseline} (commit ${baseline.tool.commit?.slice(0, 10) ?? 'unknown'}, ${baseline.created_at})\n`);
    process.exitCode = judge(baseline, results);
    console.log(`gate wall time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });

program
  .command('compare')
  .description('the gate\'s verdict table for any two results files of one scenario (exit 4 if B regressed against A)')
  .argument('<baseline>', 'results file A (the reference)')
  .argument('<current>', 'results file B')
  .action((a: string, b: string) => {
    process.exitCode = judge(readForComparison(a, 'baseline'), readForComparison(b, 'current'));
  });

program
  .command('baseline')
  .description('run the CI scenario and write it as the new baseline (deliberately: the gate never updates it)')
  .option('--scenario <file>', 'CI scenario', 'scenarios/ci.json')
  .option('--out <file>', 'baseline file to write', 'results/baseline.json')
  .action(async (opts: { scenario: string; out: string }) => {
    const scenario = loadScenario(opts.scenario);
    const { results, path } = await runScenario(scenario, resolve(dirname(opts.out)), plainProgress((line) => console.log(line)));
    if (results.cells.some((c) => c.state === 'errored')) {
      console.error(`not written: some cells errored (see ${path})`);
      process.exitCode = EXIT.cellsErrored;
      return;
    }
    renameSync(path, resolve(opts.out));
    console.log(`\nbaseline written: ${opts.out} (machine: ${results.machine.cpu_model}, ${results.machine.cores} cores; commit ${results.tool.commit ?? 'unknown'}${results.tool.commit_dirty ? ', uncommitted changes' : ''})`);
  });

program
  .command('calibrate')
  .description('measure the raw TCP round trip through each network profile against its setting, and what the proxy itself adds')
  .option('--rounds <n>', 'alternating rounds of the proxy-overhead comparison', positiveInt, 3)
  .action(async (opts: { rounds: number }) => {
    const { runCalibration } = await import('./netem/calibration-report.ts');
    if (!(await runCalibration(opts.rounds, (line) => console.log(line)))) process.exitCode = EXIT.crash;
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  killAllChildren();
  if (error instanceof ScenarioError || error instanceof TargetError || error instanceof MergeError) {
    console.error(error.message);
    process.exitCode = EXIT.badInput;
  } else {
    console.error(`feedbench: ${(error as Error).stack ?? error}`);
    process.exitCode = EXIT.crash;
  }
}
