import { resolve } from 'node:path';
import { AgentCoordinator } from '../agents/coordinator.ts';
import { runAgent } from '../agents/agent-worker.ts';
import { AgentRun } from '../run/agents/agent-run.ts';
import { jobProblems } from '../run/agents/k8s-manifest.ts';
import { runScenario } from '../run/run-scenario.ts';
import { plainProgress } from '../run/progress.ts';
import { RunPools } from '../run/cell/process-pools.ts';
import { scenariosWithOverrides } from '../run/scenario-overrides.ts';
import type { Scenario } from '../run/scenario.ts';
import { AGENT_PATH } from '../agents/agent-messages.ts';
import { checkTargets } from './run-command.ts';
import { summaryTable } from './summary-table.ts';
import { UsageError, type Outcome } from './outcomes.ts';
import { machineLimits } from '../run/preflight.ts';
import type { AgentLimits } from '../agents/agent-messages.ts';

/** This host's limits as an agent reports them (unlimited as null: JSON has no Infinity). */
function agentLimits(): AgentLimits {
  const limits = machineLimits();
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    openFiles: finite(limits.openFiles.soft),
    ephemeralPorts: finite(limits.ephemeralPorts),
    freeMemoryBytes: limits.freeMemoryBytes,
  };
}

/** `feedbench agent`'s options, as commander parses them. */
export interface AgentCommandOptions {
  index?: number;
  agents: number;
  coordinate?: boolean;
  coordinator?: string;
  target?: string;
  targetKind?: string;
  allowRemoteTarget?: boolean;
  listen: string;
  out: string;
  arriveTimeoutMs: number;
  keepServingMs: number;
  localAddress?: string;
}

/** The agent's index: `--index`, else the Indexed Job's JOB_COMPLETION_INDEX. */
function indexOf(opts: AgentCommandOptions): number {
  const fromEnv = process.env.JOB_COMPLETION_INDEX;
  const index = opts.index ?? (fromEnv !== undefined ? Number(fromEnv) : undefined);
  if (index === undefined || !Number.isInteger(index) || index < 0)
    throw new UsageError('agent: give --index, or run in an Indexed Job (JOB_COMPLETION_INDEX)');
  if (index >= opts.agents)
    throw new UsageError(`agent: index ${index} is not below --agents ${opts.agents}`);
  return index;
}

/** `host:port` of --listen. */
function listenAddress(listen: string): { host: string; port: number } {
  const match = /^(.+):(\d+)$/.exec(listen);
  if (!match?.[1] || !match[2])
    throw new UsageError(`--listen: "${listen}" is not host:port, like 0.0.0.0:7070`);
  return { host: match[1], port: Number(match[2]) };
}

/**
 * `feedbench agent`: one load agent. Agent 0 with --coordinate coordinates: it waits for
 * every agent, runs the scenario against the target with each agent's shard of every cell, and
 * writes the merged results (and serves them at /results); the others carry out its requests.
 * Exit 3 when an agent did not arrive or was lost.
 */
export async function agentCommand(
  scenarioArg: string | undefined,
  opts: AgentCommandOptions,
): Promise<Outcome> {
  const index = indexOf(opts);
  if (index > 0 || !opts.coordinate) {
    if (!opts.coordinator)
      throw new UsageError(
        `agent ${index}: give --coordinator, agent 0's URL (in a Job: ws://<job>-0.<service>:7070${AGENT_PATH})${index === 0 ? ', or --coordinate to be the coordinator' : ''}`,
      );
    const end = await runAgent({
      index,
      agents: opts.agents,
      coordinatorUrl: opts.coordinator,
      arriveTimeoutMs: opts.arriveTimeoutMs,
      localAddress: opts.localAddress,
      limits: agentLimits(),
    });
    if (end.ended) return 'ok';
    console.error(`agent ${index}: ${end.why}`);
    return 'cells-errored';
  }
  return coordinate(scenarioArg, opts);
}

/** The scenarios agent 0 runs: the file's, against the target the options give. */
function jobScenarios(scenarioArg: string | undefined, opts: AgentCommandOptions): Scenario[] {
  if (!scenarioArg) throw new UsageError('agent 0 coordinates: give the scenario file');
  const overrides: Record<string, unknown> = {};
  if (opts.target) overrides.target = opts.target;
  if (opts.targetKind) overrides.targetKind = opts.targetKind;
  if (opts.allowRemoteTarget) overrides.allowRemoteTarget = true;
  const scenarios = scenariosWithOverrides(scenarioArg, overrides);
  if (scenarios.some((s) => !s.target))
    throw new UsageError('agent 0: the scenario needs a target (--target URL): the server to load');
  const problems = jobProblems(scenarios);
  if (problems.length > 0) throw new UsageError(`agent 0: ${problems.join('; ')}`);
  return scenarios;
}

/** Agent 0: coordinates the run, and runs its own shard beside the others. */
async function coordinate(
  scenarioArg: string | undefined,
  opts: AgentCommandOptions,
): Promise<Outcome> {
  const scenarios = jobScenarios(scenarioArg, opts);
  const listen = listenAddress(opts.listen);
  const coordinator = await AgentCoordinator.listen({
    ...listen,
    agents: opts.agents,
    arriveTimeoutMs: opts.arriveTimeoutMs,
  });
  const stopOwn = new AbortController();
  const own = runAgent({
    index: 0,
    agents: opts.agents,
    // Its own agent reaches it where it listens (on loopback when it listens everywhere).
    coordinatorUrl: ['0.0.0.0', '::'].includes(listen.host)
      ? `ws://127.0.0.1:${coordinator.port}${AGENT_PATH}`
      : coordinator.url,
    arriveTimeoutMs: opts.arriveTimeoutMs,
    localAddress: opts.localAddress,
    limits: agentLimits(),
    signal: stopOwn.signal,
  });
  console.log(`coordinator on ${coordinator.url}: waiting for ${opts.agents} agents`);
  try {
    // The agents start and register while the target is checked.
    const probed = await checkTargets(scenarios);
    try {
      await coordinator.arrived();
    } catch (error) {
      console.error(`agent 0: ${(error as Error).message}`);
      return 'cells-errored';
    }
    return await runOnAgents(probed, coordinator, opts);
  } finally {
    stopOwn.abort();
    await coordinator.close();
    await own;
  }
}

/** Runs each scenario on the agents that arrived; serves the results file as it goes. */
async function runOnAgents(
  scenarios: readonly Scenario[],
  coordinator: AgentCoordinator,
  opts: AgentCommandOptions,
): Promise<Outcome> {
  const run = new AgentRun(coordinator, undefined, 'hosts', 'agent 0');
  const pools = new RunPools();
  let outcome: Outcome = 'ok';
  try {
    for (const scenario of scenarios) {
      const { results, path } = await runScenario(
        scenario,
        resolve(opts.out),
        plainProgress((line) => console.log(line)),
        undefined,
        pools,
        run,
      );
      coordinator.serveResults(path);
      console.log(`\n${summaryTable(results)}\n\nresults: ${path}`);
      const failure = results.agents?.failure;
      if (failure) {
        console.error(`agent ${failure.agent} was lost in ${failure.cell_id}: ${failure.reason}`);
        return 'cells-errored';
      }
      if (results.cells.some((c) => c.state === 'errored')) outcome = 'cells-errored';
    }
    if (opts.keepServingMs > 0) {
      console.log(
        `results at http://<this host>:${coordinator.port}/results for ${opts.keepServingMs / 1000} s`,
      );
      await new Promise((r) => setTimeout(r, opts.keepServingMs));
    }
  } finally {
    await pools.close();
  }
  return outcome;
}
