/**
 * The feedbench command line: parses argv, calls one function per command (src/cli/), and maps
 * what it returns or throws to an exit code through one table (src/cli/outcomes.ts).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { toolVersion } from './results/index.ts';
import { killAllChildren } from './process/children.ts';
import { transportsUnderTest } from './transports/registry.ts';
import { exitCodeOf, isBadInput, type Outcome } from './cli/outcomes.ts';
import { QUICK_SCENARIO, runCommand } from './cli/run-command.ts';
import { baselineCommand, compareCommand, gateCommand } from './cli/gate-commands.ts';
import {
  mergeCommand,
  reportCommand,
  schemaCommand,
  summaryCommand,
  validateCommand,
} from './cli/results-commands.ts';
import {
  calibrateCommand,
  demoCommand,
  selftestCommand,
  serveCommand,
} from './cli/tool-commands.ts';
import { conformCommand } from './cli/conform-command.ts';
import { measureCommand } from './cli/measure-command.ts';
import { DEFAULT_SLOW_CONSUMER_LIMITS, SLOW_CONSUMER_POLICIES } from './protocol/feed-protocol.ts';

const positiveInt = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
};

/**
 * Runs a command and sets the exit code from its outcome (a long-running one, serve, keeps the
 * process alive).
 */
const act =
  <A extends unknown[]>(command: (...args: A) => Outcome | Promise<Outcome>) =>
  async (...args: A) => {
    process.exitCode = exitCodeOf(await command(...args));
  };

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
    'run a scenario (or each part of a suite): every cell of its matrix with a fresh server process (driver processes kept between cells, reset); writes a results JSON per scenario and one report of them all',
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
    'measure a server feedbench did not start (it must speak the feed protocol in README); no server CPU or memory then; https:// is TLS, HTTP/2 by ALPN',
  )
  .option(
    '--target-ca <file>',
    "an https target: PEM file of the certificate or CA to trust (default: the system's CAs)",
  )
  .option(
    '--http <versions>',
    "HTTP versions, comma-separated: 1.1, 2 (h2 by ALPN over TLS, h2c with prior knowledge without); overrides the scenario's",
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
  .addOption(
    new Option('--progress <kind>', 'progress display')
      .choices(['auto', 'bar', 'plain', 'none'])
      .default('auto'),
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
  .command('serve')
  .description(
    'run the feed server in the foreground (all four transports on one port), for trying clients by hand',
  )
  .option('--host <host>', 'address to listen on (loopback only is recommended)', '127.0.0.1')
  .option('--port <n>', 'port (0 picks a free one)', (v) => Number(v), 8080)
  .option(
    '--rate <n>',
    'updates per second to publish (0: none until POST /feed)',
    (v) => Number(v),
    0,
  )
  .option('--payload-bytes <n>', 'payload size of each update', (v) => Number(v), 128)
  .addOption(
    new Option('--slow-consumer-policy <policy>', 'what a push connection too far behind gets')
      .choices(SLOW_CONSUMER_POLICIES)
      .default(DEFAULT_SLOW_CONSUMER_LIMITS.policy),
  )
  .option(
    '--max-queued-bytes <n>',
    'bytes one push connection may have outstanding before the policy applies',
    positiveInt,
    DEFAULT_SLOW_CONSUMER_LIMITS.maxQueuedBytes,
  )
  .option(
    '--tls-cert <file>',
    'serve over TLS (https, wss; HTTP/2 as h2 by ALPN) with this PEM certificate (with --tls-key)',
  )
  .option('--tls-key <file>', 'the PEM private key of --tls-cert')
  .option(
    '--allowed-origins <list>',
    "comma-separated origins a browser page may reach the feed from (self: the server's own); others get 403 origin_not_allowed, WebSocket included; default: every origin",
  )
  .action(act(serveCommand));

program
  .command('conform')
  .description(
    'check a server against every rule of the feed protocol, as numbered cases (pass, fail with expected vs got and the request, or not applicable); writes them as JSON; exit 6 when a case that applies fails',
  )
  .argument(
    '<url>',
    "the server's origin, like http://127.0.0.1:8080 (https:// for TLS; HTTP/2 cases where it offers h2 or h2c)",
  )
  .option(
    '--out <file>',
    'where to write the cases as JSON (<time> is replaced)',
    'results/conform-<time>.json',
  )
  .option('--quick', 'only the quick cases, those `run --target` checks before its cells')
  .option(
    '--target-ca <file>',
    "an https target: PEM file of the certificate or CA to trust (default: the system's CAs)",
  )
  .option('--allow-remote-target', 'let the URL be a host other than loopback')
  .action(act(conformCommand));

program
  .command('measure')
  .description(
    "measure an endpoint that does not speak the feed protocol, through an adapter: a WebSocket echo (round trips; one message per connection, as the article's server, or many), or a plain WebSocket or SSE stream (rate and bytes per message; latency when each message carries a timestamp)",
  )
  .argument(
    '<url>',
    'ws:// or wss:// for ws-echo and ws-stream, http:// or https:// for sse-stream',
  )
  .requiredOption('--kind <kind>', 'ws-echo, ws-stream or sse-stream')
  .option('--clients <n>', 'concurrent clients', positiveInt, 1)
  .option('--warmup-ms <n>', 'ms before the window opens', positiveInt, 500)
  .option('--duration-ms <n>', 'the window, ms', positiveInt, 5000)
  .option(
    '--per-connection <n>',
    'ws-echo: answers per connection before it reconnects (1: a connection per message)',
    positiveInt,
    1,
  )
  .option(
    '--interval-ms <n>',
    'ws-echo: ms between an answer and the next message',
    positiveInt,
    100,
  )
  .option('--payload-bytes <n>', 'ws-echo: message size ("How are you?" padded)', positiveInt, 12)
  .option(
    '--timestamp-path <path>',
    'streams: the JSON path of a timestamp in each message (e.g. ts or data.sentAt), on the real-time clock',
  )
  .option('--timestamp-unit <unit>', "the timestamp's unit: ms, us or s", 'ms')
  .option('--target-ca <file>', 'wss:// or https://: PEM file of the certificate or CA to trust')
  .option('--allow-remote-target', 'let the URL be a host other than loopback')
  .option(
    '--out <file>',
    'where to write the figures as JSON (<time> is replaced)',
    'results/endpoint-<time>.json',
  )
  .action(act(measureCommand));

program
  .command('demo')
  .description(
    'the article\'s "How are you?" page, live: each transport over HTTP/1.1 and HTTP/2 side by side, each with its running round trip and wire bytes; prints the URL; Ctrl-C ends it',
  )
  .option('--host <host>', 'address to listen on (loopback only is recommended)', '127.0.0.1')
  .option(
    '--port <n>',
    "the page's port (0 picks a free one); each lane gets a free port of its own",
    (v) => Number(v),
    8443,
  )
  .option('--plain', 'no TLS: HTTP/1.1 lanes only (browsers speak HTTP/2 only over TLS)')
  .option(
    '--tls-cert <file>',
    'a PEM certificate the browser trusts (with --tls-key); default: a self-signed one made now',
  )
  .option('--tls-key <file>', 'the PEM private key of --tls-cert')
  .option('--poll-interval-ms <n>', "short polling's interval", positiveInt, 1000)
  .option('--repeat-ms <n>', 'how often the page asks while "repeat" is ticked', positiveInt, 2000)
  .action(act(demoCommand));

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
  .command('selftest')
  .description(
    "measure the harness's own floor: the publisher's lag, and WebSocket delivery latency vs a raw TCP stream from the same publisher (exit 5 when a target is missed)",
  )
  .option('--rounds <n>', 'alternating rounds of each', positiveInt, 3)
  .option('--duration-ms <n>', 'window of each round, ms', positiveInt, 3000)
  .option(
    '--json',
    'print {"publisher_lag_us", "websocket_us", "raw_tcp_us"} (each {p50, p99}) on stdout, the rounds on stderr',
  )
  .action(act(selftestCommand));

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

program
  .command('calibrate')
  .description(
    'measure the raw TCP round trip through each network profile against its setting, and what the proxy itself adds (exit 5 when a target is missed)',
  )
  .option('--rounds <n>', 'alternating rounds of the proxy-overhead comparison', positiveInt, 3)
  .action(act(calibrateCommand));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  killAllChildren();
  console.error(
    isBadInput(error) ? error.message : `feedbench: ${(error as Error).stack ?? String(error)}`,
  );
  process.exitCode = exitCodeOf({ error });
}
