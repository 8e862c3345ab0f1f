import type { Command } from 'commander';
import { Option } from 'commander';
import { DEFAULT_SLOW_CONSUMER_LIMITS, SLOW_CONSUMER_POLICIES } from '../protocol/feed-protocol.ts';
import { act, positiveInt } from './act.ts';
import { calibrateCommand, demoCommand, selftestCommand, serveCommand } from './tool-commands.ts';
import { conformCommand } from './conform-command.ts';
import { measureCommand } from './measure-command.ts';

/**
 * The commands that serve, check or measure something other than a scenario run: serve, conform,
 * measure, demo, selftest, calibrate.
 */
export function declareToolCommands(program: Command): void {
  for (const declare of [
    declareServe,
    declareConform,
    declareMeasure,
    declareDemo,
    declareSelftest,
    declareCalibrate,
  ])
    declare(program);
}

/** `feedbench serve`. */
function declareServe(program: Command): void {
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
      new Option(
        '--framework <name>',
        "what routes requests: express (feedbench's server) or none (bare node:http, the node-http server)",
      )
        .choices(['express', 'none'])
        .default('express'),
    )
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
}

/** `feedbench conform`. */
function declareConform(program: Command): void {
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
}

/** `feedbench measure`. */
function declareMeasure(program: Command): void {
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
}

/** `feedbench demo`. */
function declareDemo(program: Command): void {
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
    .option(
      '--repeat-ms <n>',
      'how often the page asks while "repeat" is ticked',
      positiveInt,
      2000,
    )
    .action(act(demoCommand));
}

/** `feedbench selftest`. */
function declareSelftest(program: Command): void {
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
}

/** `feedbench calibrate`. */
function declareCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description(
      'measure the raw TCP round trip through each network profile against its setting, and what the proxy itself adds (exit 5 when a target is missed)',
    )
    .option('--rounds <n>', 'alternating rounds of the proxy-overhead comparison', positiveInt, 3)
    .action(act(calibrateCommand));
}
