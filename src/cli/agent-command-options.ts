import type { Command } from 'commander';
import { act, positiveInt } from './act.ts';
import { agentCommand } from './agent-command.ts';
import { manifestCommand } from './k8s-command.ts';

/** Commander's parser for a non-negative integer. */
const index = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new Error('must be a whole number');
  return Number(value);
};

/** The commands of distributed runs: `agent`, `k8s manifest`. */
export function declareAgentCommands(program: Command): void {
  declareAgent(program);
  declareK8s(program);
}

/** `feedbench k8s manifest`. */
function declareK8s(program: Command): void {
  program
    .command('k8s')
    .description('Kubernetes: the manifest of a distributed run')
    .command('manifest')
    .description(
      "write the ConfigMap (the scenario), headless Service and Indexed Job (completions = parallelism = agents, backoffLimit 0) of a run on Kubernetes, each validated against Kubernetes' schemas, as one JSON List for `kubectl apply -f`; resource requests from the pre-flight check's figures for each agent's shard",
    )
    .argument('<scenario>', 'scenario or suite file')
    .requiredOption('--agents <n>', 'load agents (pods)', positiveInt)
    .requiredOption('--target <url>', 'the server the agents load, as the pods reach it')
    .requiredOption('--image <image>', 'the agent image (Dockerfile at the root of the repository)')
    .option('--name <name>', 'name of the Job, the Service and the ConfigMap', 'feedbench')
    .option('--out <file>', 'write it here (default: standard output)')
    .action(act(manifestCommand));
}

/** `feedbench agent`. */
function declareAgent(program: Command): void {
  program
    .command('agent')
    .description(
      "one load agent of a distributed run (a pod of an Indexed Job, docs/agents.md): agent 0 with --coordinate coordinates (waits for every agent, starts each cell's window at one instant on all, merges their results exactly and serves them at /results); the others connect to it with --coordinator; exit 3 when an agent did not arrive or was lost",
    )
    .argument('[scenario]', 'agent 0: the scenario to run against --target')
    .option('--index <i>', "this agent's index (default: JOB_COMPLETION_INDEX)", index)
    .requiredOption('--agents <n>', 'agents in the run', positiveInt)
    .option(
      '--coordinate',
      'agent 0 coordinates the run (the others ignore it, so one Job template serves every index)',
    )
    .option(
      '--coordinator <url>',
      "the coordinator's URL, ws://host:port/agents (every agent but the coordinator)",
    )
    .option('--target <url>', "agent 0: the server to load (the scenario's target otherwise)")
    .option('--target-kind <kind>', 'agent 0: feed (default) or socket.io, as for `run`')
    .option('--allow-remote-target', 'agent 0: let the target be a host other than loopback')
    .option('--listen <host:port>', 'agent 0: where the coordinator listens', '127.0.0.1:7070')
    .option('--out <dir>', 'agent 0: folder for the results file', 'results')
    .option(
      '--arrive-timeout-ms <n>',
      'how long agent 0 waits for every agent, and an agent tries to reach agent 0, ms',
      positiveInt,
      120_000,
    )
    .option(
      '--keep-serving-ms <n>',
      'agent 0: keep serving GET /results this long after the run, ms (for kubectl cp or curl)',
      index,
      0,
    )
    .option('--local-address <ip>', "source address of this agent's clients")
    .action(act(agentCommand));
}
