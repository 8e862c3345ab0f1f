/**
 * The feedbench command line: parses argv, calls one function per command (src/cli/), and maps
 * what it returns or throws to an exit code through one table (src/cli/outcomes.ts).
 */
import { Command, Option } from 'commander';
import { toolVersion } from './results/index.ts';
import { killAllChildren } from './process/children.ts';
import { transportsUnderTest } from './transports/registry.ts';
import { exitCodeOf, isBadInput } from './cli/outcomes.ts';
import { QUICK_SCENARIO, runCommand } from './cli/run-command.ts';
import { baselineCommand, compareCommand, gateCommand } from './cli/gate-commands.ts';
import {
  mergeCommand,
  reportCommand,
  schemaCommand,
  summaryCommand,
  validateCommand,
} from './cli/results-commands.ts';
import { act, positiveInt } from './cli/act.ts';
import { declareToolCommands } from './cli/tool-command-options.ts';
import { declareAgentCommands } from './cli/agent-command-options.ts';

const program = new Command();
program
  .name('feedbench')
  .description(
    'Measures the latency and cost of one update feed over short polling, long polling, SSE and WebSocket.',
  )
  .version(toolVersion())
  .showHelpAfterError();

program
  .command('run')
  .description(
    'run a scenario (or each part of a suite): every cell of its matrix, on server and driver processes kept between cells with the same options (a server new to a transport settles first; --fresh-servers for one per cell); writes a results JSON per scenario and one report of them all',
  )
  .argument('[scenario]', 'scenario or suite file', 'scenarios/default.json')
  .option(
    '--quick',
    `run ${QUICK_SCENARIO} instead: every transport in under a minute, for smoke tests`,
  )
  .option('--out <dir>', 'folder for the results file', 'results')
  .option(
    '--transports <list>',
    `comma-separated subset of ${transportsUnderTest()
      .map((t) => t.name)
      .join(',')}`,
  )
  .option('--clients <n>', "override the scenario's clients", positiveInt)
  .option('--rate <n>', "override the scenario's updates per second", positiveInt)
  .option('--warmup-ms <n>', 'override the warm-up, ms', positiveInt)
  .option('--duration-ms <n>', 'override the measurement window, ms', positiveInt)
  .option(
    '--instances <k>',
    'server instances behind a load balancer, sharing the feed through the backplane: local on one host, Redis with --redis (scaleOut.instances)',
    positiveInt,
  )
  .option(
    '--target <url>',
    'measure a server feedbench did not start (it must speak the feed protocol in README, or Socket.IO with --target-kind socket.io); no server CPU or memory then; https:// is TLS, HTTP/2 by ALPN; a target without HTTP/2 has its HTTP/2 cells not applicable',
  )
  .option(
    '--target-kind <kind>',
    'what the target speaks: feed (default) or socket.io (a Socket.IO 4 server emitting `update` events of {seq, ts, data} and acknowledging `clock`; docs/servers.md) (targetKind)',
  )
  .option(
    '--target-ca <file>',
    "an https target: PEM file of the certificate or CA to trust (default: the system's CAs)",
  )
  .option(
    '--http <versions>',
    "HTTP versions, comma-separated: 1.1, 2 (h2 by ALPN over TLS, h2c with prior knowledge without), 3 (QUIC: browser pages through caddy); overrides the scenario's",
  )
  .option(
    '--allow-remote-target',
    'let --target be a host other than loopback (load then leaves this machine)',
  )
  .option(
    '--redis <url>',
    'use this Redis as the backplane instead of starting redis-server (scaleOut.redisUrl)',
  )
  .option(
    '--fresh-drivers',
    "start new driver processes for every cell instead of keeping them between cells (slower; also measures the driver's memory per connection) (reuseDrivers: false)",
  )
  .option(
    '--fresh-servers',
    'start a new server process for every cell instead of keeping one per server configuration (slower: each cell then settles a cold server; also measures RSS per connection) (reuseServers: false)',
  )
  .addOption(
    new Option('--progress <kind>', 'progress display')
      .choices(['auto', 'bar', 'plain', 'none'])
      .default('auto'),
  )
  .option(
    '--agents <n>',
    'run the clients on n load agents, each in a network namespace of its own (127.0.0.x processes without root), a shard of every cell each, merged exactly (agents)',
    positiveInt,
  )
  .option('--report <file>', "HTML report to write from this run's results", 'report/index.html')
  .option('--no-report', 'write no HTML report')
  .action(act(runCommand));

program
  .command('report')
  .description(
    'build the HTML report from saved results files (default: the newest run in results/, every part of it when it was a suite)',
  )
  .argument('[results...]', 'results files to show together')
  .option('--out <file>', 'where to write the report', 'report/index.html')
  .action(act(reportCommand));

program
  .command('validate')
  .description(
    'check scenario files and list every problem as `field: what is wrong` (exit 2 if any)',
  )
  .argument('<scenario...>', 'scenario files')
  .action(act(validateCommand));

program
  .command('merge')
  .description(
    "merge results files of one scenario run by drivers on several hosts against one target (--target): histograms merged exactly, counts summed, each host's clock offset kept",
  )
  .argument('<results...>', 'results files, one per load host')
  .option('--out <file>', 'where to write the merged results file', 'results/merged.json')
  .action(act(mergeCommand));

program
  .command('summary')
  .description('print the summary table of a results file (default: the newest in results/)')
  .argument('[results]', 'results file')
  .action(act(summaryCommand));

program
  .command('schema')
  .description(
    'write the JSON Schemas of scenario and results files (generated from their validators)',
  )
  .option('--out <file>', 'where to write the scenario schema', 'scenarios/scenario.schema.json')
  .option(
    '--results-out <file>',
    'where to write the results schema',
    'results/results.schema.json',
  )
  .action(act(schemaCommand));

program
  .command('gate')
  .description(
    'run the CI scenario and compare it with the committed baseline; exit 4 on a regression or a baseline cell the run lacks, 2 on bad input',
  )
  .option('--scenario <file>', 'CI scenario', 'scenarios/ci.json')
  .option('--baseline <file>', 'baseline results file', 'results/baseline.json')
  .option('--out <dir>', 'folder for the results and CI-tool JSON', 'results')
  .option(
    '--allow-missing',
    'baseline cells the run lacks pass (they are listed either way); without it each fails the gate',
  )
  .action(act(gateCommand));

program
  .command('compare')
  .description(
    "the gate's verdict table for any two results files of one scenario (exit 4 if B regressed against A or lacks a cell of it; exit 2 when they share none)",
  )
  .argument('<baseline>', 'results file A (the reference)')
  .argument('<current>', 'results file B')
  .option(
    '--allow-missing',
    'cells of A that B lacks pass (they are listed either way); without it each fails (exit 4)',
  )
  .action(act(compareCommand));

program
  .command('baseline')
  .description(
    'run the CI scenario and write it as the new baseline (deliberately: the gate never updates it)',
  )
  .option('--scenario <file>', 'CI scenario', 'scenarios/ci.json')
  .option('--out <file>', 'baseline file to write', 'results/baseline.json')
  .action(act(baselineCommand));

declareToolCommands(program);
declareAgentCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  killAllChildren();
  console.error(
    isBadInput(error) ? error.message : `feedbench: ${(error as Error).stack ?? String(error)}`,
  );
  process.exitCode = exitCodeOf({ error });
}
