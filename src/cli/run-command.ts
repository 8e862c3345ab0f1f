import { resolve } from 'node:path';
import { runScenario } from '../run/run-scenario.ts';
import { plainProgress, terminalProgress } from '../run/progress.ts';
import { summaryTable } from './summary-table.ts';
import { TargetError, probeTarget, targetAddress } from '../run/external-target.ts';
import { runConformance } from '../conform/conform.ts';
import { checkSocketIoTarget } from '../run/socketio-target.ts';
import { http2Support } from '../run/target-http.ts';
import { listOf } from '../transports/descriptor.ts';
import { preflight } from '../run/preflight.ts';
import { expandCells } from '../run/cells.ts';
import { ScenarioError, type Scenario } from '../run/scenario.ts';
import { RunPools } from '../run/cell/process-pools.ts';
import type { ResultsFile } from '../results/index.ts';
import { scenariosWithOverrides, suiteName } from '../run/scenario-overrides.ts';
import { buildReport } from '../report/build-report.ts';
import type { Outcome } from './outcomes.ts';
import { printReport } from './print.ts';

/** The scenario `--quick` runs: a smoke test of every transport in under a minute. */
export const QUICK_SCENARIO = 'scenarios/quick.json';

/** `feedbench run`'s options, as commander parses them. */
export interface RunOptions {
  quick?: boolean;
  out: string;
  transports?: string;
  clients?: number;
  rate?: number;
  warmupMs?: number;
  durationMs?: number;
  instances?: number;
  redis?: string;
  target?: string;
  targetKind?: string;
  targetCa?: string;
  http?: string;
  allowRemoteTarget?: boolean;
  freshDrivers?: boolean;
  freshServers?: boolean;
  agents?: number;
  progress: string;
  report: string | false;
}

/** The scenario fields the command-line options override. */
function overridesOf(opts: RunOptions): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  if (opts.transports) overrides.transports = opts.transports.split(',').map((t) => t.trim());
  if (opts.clients) overrides.clients = opts.clients;
  if (opts.rate) overrides.ratePerSec = opts.rate;
  if (opts.warmupMs) overrides.warmupMs = opts.warmupMs;
  if (opts.durationMs) overrides.durationMs = opts.durationMs;
  if (opts.target) overrides.target = opts.target;
  if (opts.targetKind) overrides.targetKind = opts.targetKind;
  if (opts.targetCa) overrides.targetCa = opts.targetCa;
  if (opts.http) overrides.http = opts.http.split(',').map((v) => v.trim());
  if (opts.allowRemoteTarget) overrides.allowRemoteTarget = true;
  if (opts.freshDrivers) overrides.reuseDrivers = false;
  if (opts.freshServers) overrides.reuseServers = false;
  if (opts.agents) overrides.agents = opts.agents;
  if (opts.instances || opts.redis) {
    // Merged into each scenario's own scaleOut, so a failover set in the file is kept.
    overrides.scaleOut = {
      ...(opts.instances ? { instances: opts.instances } : {}),
      ...(opts.redis ? { redisUrl: opts.redis } : {}),
    };
  }
  return overrides;
}

/**
 * Before any cell, each target is probed (/health, or a Socket.IO target's Engine.IO handshake; and
 * what it lacks for HTTP/2 where asked: those cells are then not applicable) and a feed-protocol
 * target put through the protocol's quick conformance cases its transports need: a target that gets one wrong is refused with that case's text (exit 2), rather
 * than left to hang inside a cell. Returns the scenarios with what the probe found.
 */
export async function checkTargets(scenarios: readonly Scenario[]): Promise<Scenario[]> {
  const checked = new Set<string>();
  const probed: Scenario[] = [];
  for (const s of scenarios) {
    const target = targetAddress(s);
    if (!target) {
      probed.push(s);
      continue;
    }
    if (s.targetKind === 'socket.io') {
      // Socket.IO is not the feed protocol: its handshake and its clock are the check, and
      // conform's cases are not asked of it (docs/servers.md says which rules Socket.IO follows).
      await checkSocketIoTarget(target);
      const http2 = listOf(s.http).includes('2') ? await http2Support(target) : null;
      probed.push({ ...s, targetHttp2: http2 });
      continue;
    }
    probed.push({ ...s, targetHttp2: await probeTarget(target, s.transports, listOf(s.http)) });
    const key = `${target.url.origin} ${s.transports.join(',')}`;
    if (checked.has(key)) continue;
    checked.add(key);
    const report = await runConformance(target, { quick: true, transports: s.transports });
    const failed = report.cases.filter((c) => c.state === 'fail');
    if (failed.length === 0) continue;
    const cases = failed.map(
      (c) =>
        `  ${c.id} ${c.title}\n    expected: ${c.expected}\n    got:      ${c.got}\n    request:  ${c.request}`,
    );
    throw new TargetError(
      `${target.url.origin} gets ${failed.length} of the feed protocol's quick cases wrong (\`feedbench conform ${target.url.origin}\` runs every case):\n${cases.join('\n')}`,
    );
  }
  return probed;
}

/**
 * `feedbench run`: every part of a scenario or suite, a results file each, one report of them
 * all. `cells-errored` when any cell errored.
 */
export async function runCommand(scenarioArg: string, opts: RunOptions): Promise<Outcome> {
  const scenarioPath = opts.quick ? QUICK_SCENARIO : scenarioArg;
  const scenarios = scenariosWithOverrides(scenarioPath, overridesOf(opts));
  // A cell this machine cannot hold, or an unreachable or wrong target, is the user's input: say
  // so before any process starts (exit 2).
  const problems = scenarios.flatMap((s) =>
    preflight(expandCells(s), s).map((problem) =>
      scenarios.length > 1 ? `${s.name}: ${problem}` : problem,
    ),
  );
  if (problems.length > 0) throw new ScenarioError(scenarioPath, problems);
  const probed = await checkTargets(scenarios);
  const kind = opts.progress === 'auto' ? (process.stdout.isTTY ? 'bar' : 'plain') : opts.progress;
  const started = Date.now();
  const paths: string[] = [];
  const suite =
    scenarios.length > 1
      ? { name: suiteName(scenarioPath), started_at: new Date(started).toISOString() }
      : undefined;
  let outcome: Outcome = 'ok';
  // One pool for every part: a suite's drivers and servers are started once.
  const pool = new RunPools();
  try {
    outcome = await runParts(probed, suite, opts, pool, paths, kind);
  } finally {
    await pool.close();
  }
  if (suite)
    console.log(
      `\n${scenarios.length} scenarios in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  if (opts.report) printReport(buildReport(paths, resolve(opts.report)));
  return outcome;
}

/** Runs each part in turn, printing its summary; returns whether a cell errored. */
async function runParts(
  scenarios: Scenario[],
  suite: ResultsFile['suite'],
  opts: RunOptions,
  pool: RunPools,
  paths: string[],
  kind: string,
): Promise<Outcome> {
  let outcome: Outcome = 'ok';
  for (const scenario of scenarios) {
    if (suite)
      console.log(
        `\n== ${scenario.name}${scenario.description ? `: ${scenario.description}` : ''}`,
      );
    const bar = kind === 'bar' ? terminalProgress() : undefined;
    const observer = bar ?? plainProgress(kind === 'none' ? () => {} : (line) => console.log(line));
    const partStarted = Date.now();
    const { results, path } = await runScenario(scenario, resolve(opts.out), observer, suite, pool);
    bar?.stop();
    console.log(`\n${summaryTable(results)}\n`);
    console.log(`results: ${path}  (${((Date.now() - partStarted) / 1000).toFixed(0)} s)`);
    paths.push(path);
    if (results.cells.some((c) => c.state === 'errored')) outcome = 'cells-errored';
    const failure = results.agents?.failure;
    if (failure) {
      console.error(
        `agent ${failure.agent} was lost in ${failure.cell_id}: ${failure.reason}; the run stopped there (${failure.cells_not_run} cells not run)`,
      );
      return 'cells-errored';
    }
  }
  return outcome;
}
