import { z } from 'zod';
import { transportsUnderTest } from '../transports/registry.ts';
import { int, oneOrMany } from '../transports/shared/option-schemas.ts';
import { DEFAULT_SATURATION } from '../driver/saturation.ts';
import { WORKLOADS } from '../driver/driver-messages.ts';
import { SlowConsumersBlock } from './slow-consumers.ts';
import { networkFields } from './network-fields.ts';
import { SERVERS } from '../results/index.ts';

/** Each transport's own block (`shortPoll`, `websocket`, ...), from its descriptor. */
const transportBlocks = Object.fromEntries(
  transportsUnderTest().flatMap((t) =>
    t.scenarioOptions ? [[t.scenarioOptions.key, t.scenarioOptions.schema]] : [],
  ),
);
const transportNames = transportsUnderTest().map((t) => t.name);

/**
 * A scenario file: which transports, clients, rates and payloads to measure, and how long.
 * The single source of both the validator and `scenarios/scenario.schema.json`.
 */
export const ScenarioObject = z
  .object({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    description: z.string().optional(),
    workload: z
      .enum(WORKLOADS)
      .default('feed')
      .describe(
        'feed: the server publishes ratePerSec updates to every client; chat: the clients send ratePerSec messages in all (client k mod N sends the k-th), which the server publishes to every client; echo: the clients send ratePerSec messages in all and the server returns each to its sender',
      ),
    transports: z
      .array(z.enum(transportNames as [string, ...string[]]))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'must not name a transport twice'),
    clients: oneOrMany(int(1, 100_000), 'an integer from 1 to 100000').describe(
      'virtual clients per cell',
    ),
    ratePerSec: oneOrMany(
      z.number().positive().max(100_000),
      'a number above 0 and at most 100000',
    ).describe('updates published per second'),
    payloadBytes: oneOrMany(int(0, 60_000), 'an integer from 0 to 60000').describe(
      'payload size of each update, bytes',
    ),
    headerProfile: oneOrMany(z.enum(['minimal', 'browser']), '"minimal" or "browser"')
      .default('minimal')
      .describe(
        'request headers of polling and SSE clients, extra upgrade headers of WebSocket clients',
      ),
    ...networkFields,
    server: oneOrMany(z.enum(SERVERS), SERVERS.map((s) => `"${s}"`).join(', '))
      .default('feedbench')
      .describe(
        "the server each cell runs on, started by the run: feedbench (its own, on Express) or node-http (the same transports on bare node:http, no framework: the difference is the framework's cost)",
      ),
    tls: oneOrMany(z.boolean(), 'true or false')
      .default(false)
      .describe('serve and connect over TLS (https, wss) with a certificate made at run time'),
    http: oneOrMany(z.enum(['1.1', '2', '3']), '"1.1", "2" or "3"')
      .default('1.1')
      .describe(
        'HTTP version: "2" is h2 by ALPN over TLS and h2c with prior knowledge without; WebSocket over HTTP/2 by RFC 8441; "3" is QUIC, for browser pages over TLS, through caddy (frontProxy)',
      ),
    frontProxy: oneOrMany(z.enum(['none', 'caddy']), '"none" or "caddy"')
      .default('none')
      .describe(
        "a reverse proxy between the clients and the server: caddy (Debian's), TLS-terminating, HTTP/1.1, 2 and 3 to browser pages and HTTP/1.1 to the server; HTTP/3 cells always go through it (docs/http3.md)",
      ),
    clientKind: oneOrMany(z.enum(['node', 'browser']), '"node" or "browser"')
      .default('node')
      .describe(
        "node: feedbench's own clients; browser: pages of headless Chromium (Debian's /usr/bin/chromium, or FEEDBENCH_CHROMIUM) using the platform's EventSource, WebSocket and fetch, one browser context per client",
      ),
    originCheck: oneOrMany(z.boolean(), 'true or false')
      .default(false)
      .describe(
        'the server lets only pages of its own origin in (Origin checked on WebSocket upgrades, SSE and polls; 403 origin_not_allowed otherwise); false lets every origin in',
      ),
    pageOrigin: oneOrMany(z.enum(['same', 'other']), '"same" or "other"')
      .default('same')
      .describe(
        "browser clients: the page is of the feed's own origin, or of another one (a second loopback port): then its polls are cross-origin fetches and its WebSocket a cross-origin socket",
      ),
    browserTabs: oneOrMany(int(1, 64), 'an integer from 1 to 64')
      .default(1)
      .describe(
        'browser clients: how many are tabs of one browser (one context, sharing its connections: over HTTP/1.1 at most 6 per origin); 1 gives each a browser of its own',
      ),
    h2ClientsPerConnection: oneOrMany(int(1, 400), 'an integer from 1 to 400')
      .default(1)
      .describe(
        "HTTP/2: virtual clients sharing one connection (as tabs of one browser, or a proxy's upstream); 1 gives each its own",
      ),
    burst: z
      .object({ size: int(2, 1000), gapMs: z.number().min(0).max(60_000) })
      .strict()
      .optional()
      .describe('publish in bursts of size updates gapMs apart; ratePerSec stays the average'),
    capacity: z
      .object({
        p99TargetMs: z
          .number()
          .positive()
          .max(600_000)
          .describe('the p99 delivery latency a step must stay under, ms'),
      })
      .strict()
      .optional()
      .describe(
        "find each transport's capacity: run the clients list in ascending order as a ladder, stopping at the first step whose p99 exceeds the target, that loses updates, or whose driver saturates",
      ),
    costCurve: z
      .object({
        p99TargetMs: z
          .number()
          .positive()
          .max(600_000)
          .describe(
            'the p99 delivery latency a step must stay under, ms; short polling: beyond its poll interval',
          ),
        busyShare: z
          .number()
          .positive()
          .max(1)
          .default(0.9)
          .describe(
            "a step whose server CPU is over this share of the server's core is past the knee",
          ),
        bisect: z
          .boolean()
          .default(true)
          .describe(
            'narrow the gap between the last passing and first failing step to 10% (false: the knee is the interval between two rungs, for short suites)',
          ),
      })
      .strict()
      .optional()
      .describe(
        "measure each transport's cost curve on one kept server: run the clients list in ascending order (each client polls or receives at a fixed rate, so the load grows with them), recording server CPU per second, events per second, connections, latency and memory at each step, until the knee (p99 over the target, the server's core over busyShare, an update lost); bisect past it to 10%, and fit CPU = fixed + marginal x events to the steps below it",
      ),
    rawTcpReference: z
      .boolean()
      .default(false)
      .describe(
        'add a raw TCP cell (same publisher, no HTTP or WebSocket) for each load: the in-run reference that `feedbench gate` divides latency by',
      ),
    warmupMs: int(0, 600_000).default(2_000).describe('publishing before the window opens, ms'),
    durationMs: int(100, 3_600_000).default(10_000).describe('measurement window, ms'),
    repetitions: int(1, 100).default(1).describe('times each cell is run'),
    driverProcesses: z
      .union([z.literal('auto'), int(1, 64)])
      .default('auto')
      .describe(
        'driver processes per cell: auto is one per driver core, and enough to keep each under 10,000 clients (open-file limits)',
      ),
    agents: int(1, 64)
      .optional()
      .describe(
        "run the clients on this many load agents instead of local drivers: each in a network namespace of its own with its own address (127.0.0.x processes where namespaces cannot be made), registered with the run, its shard of every cell's clients started at one instant and merged exactly (docs/agents.md). Cells that need feedbench's loopback-only parts (nchan, Socket.IO, TLS, HAProxy, browser pages, slow consumers) are not applicable; a network profile's proxy listens where the agents reach it",
      ),
    reuseDrivers: z
      .boolean()
      .default(true)
      .describe(
        "keep driver processes between cells, reset (clients closed, counters new), so each cell starts only its server; false starts fresh drivers for every cell, which also measures the driver's memory per connection",
      ),
    reuseServers: z
      .boolean()
      .default(true)
      .describe(
        "keep server processes between cells with the same server options (each cell still reads its own CPU, bytes and connections between its own samples; a kept server's cells report no RSS per connection); false starts a fresh server for every cell",
      ),
    settleMs: int(0, 600_000)
      .optional()
      .describe(
        "default 3000 (the environment's FEEDBENCH_SETTLE_MS when set: the tests run with 0, as they check behaviour, not CPU): the most a cell on a server that has not yet run its transport and HTTP version settles before its warm-up, ms: under the cell's load until two consecutive 500 ms slices of the server's CPU agree within 15% (or 15 ms/s). A fresh server compiles its paths in its first seconds (`npm run bench:warmup`: CPU per event two to three times steady in the first second, within 15% after 1-3 s at 2,000 events/s; a transport new to a kept server, up to 3 s); later cells of that transport on a kept server start warm",
      ),
    connectConcurrency: int(1, 100_000)
      .default(1)
      .describe(
        'connections a driver opens at once: 1 times each set-up alone; more makes a connection storm',
      ),
    cellTimeoutMs: int(1_000, 7_200_000)
      .optional()
      .describe('an unfinished cell is errored after this long; default: warm-up + window + 60 s'),
    ...transportBlocks,
    slowConsumers: SlowConsumersBlock.optional(),
    saturation: z
      .object({
        cpuShare: z.number().positive().max(64).default(DEFAULT_SATURATION.cpuShare),
        eventLoopP99Ms: z.number().positive().default(DEFAULT_SATURATION.eventLoopP99Ms),
      })
      .strict()
      .prefault({}),
    target: z
      .string()
      .regex(
        /^https?:\/\/[^/]+\/?$/,
        "must be an http:// or https:// URL of a server's origin, like http://127.0.0.1:8080",
      )
      .optional()
      .describe(
        'measure a server feedbench did not start, by URL (it must implement the feed protocol in README); no server CPU or memory then. https: TLS, and HTTP/2 by ALPN',
      ),
    targetKind: z
      .enum(['feed', 'socket.io'])
      .default('feed')
      .describe(
        'what the target speaks: feed (the feed protocol in README: /health, /clock, /feed) or socket.io (a Socket.IO 4 server that emits each update as an `update` event of {seq, ts, data} and acknowledges a `clock` event with {now, clock}; its cells run as server "socket.io")',
      ),
    targetCa: z
      .string()
      .min(1)
      .optional()
      .describe(
        "an https target: PEM file of the certificate or CA to trust (default: the system's CAs)",
      ),
    allowRemoteTarget: z
      .boolean()
      .default(false)
      .describe(
        'let `target` be a host other than loopback: load then leaves this machine, so it must be asked for',
      ),
    scaleOut: z
      .object({
        instances: oneOrMany(int(1, 64), 'an integer from 1 to 64')
          .default(1)
          .describe(
            'server instances behind one address; more than 1 shares the feed through the backplane (value or list)',
          ),
        balancer: z
          .enum(['auto', 'haproxy', 'cluster'])
          .default('auto')
          .describe("auto: HAProxy when installed, else Node's cluster module"),
        backplane: z
          .enum(['auto', 'local', 'redis'])
          .default('auto')
          .describe(
            "how the instances share the feed: local (the publisher process's own socket on this host, no external service) or redis (Redis Streams: several hosts); auto: redis when redisUrl is set, else local",
          ),
        redisUrl: z
          .string()
          .regex(/^rediss?:\/\/./, 'must be a redis:// or rediss:// URL')
          .optional()
          .describe('use this Redis instead of starting redis-server'),
        failover: z
          .object({
            killAtMs: int(0, 3_600_000).describe(
              "when, from the window's start, an instance is killed (SIGKILL), ms",
            ),
            instance: int(0, 63).default(0).describe('which instance is killed'),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({})
      .describe(
        'horizontal scale-out (claim C5): K instances behind a load balancer, a shared feed (local, or Redis), and optionally one instance killed mid-window',
      ),
    cores: z
      .object({ server: z.array(int(0, 1023)).min(1), driver: z.array(int(0, 1023)).min(1) })
      .strict()
      .optional()
      .describe(
        'CPU cores to pin server and driver to; default: server on core 0, driver on the rest',
      ),
  })
  .strict();

/** The fields of a scenario as parsed, before the checks across fields. */
export type ScenarioFields = z.output<typeof ScenarioObject>;
