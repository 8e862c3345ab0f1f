import { readJsonFile } from '../results/index.ts';
import { z } from 'zod';
import { transportsUnderTest } from '../transports/registry.ts';
import { int, oneOrMany } from '../transports/shared/option-schemas.ts';
import { DEFAULT_SATURATION } from '../driver/saturation.ts';
import { NETWORK_PROFILE_NAMES } from '../netem/profiles.ts';
import { WORKLOADS } from '../driver/driver-messages.ts';
import { SlowConsumersBlock } from './slow-consumers.ts';

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
const ScenarioObject = z
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
    network: oneOrMany(
      z.enum(NETWORK_PROFILE_NAMES),
      `one of ${NETWORK_PROFILE_NAMES.map((n) => `"${n}"`).join(', ')}`,
    )
      .default('loopback')
      .describe(
        'network profile between driver and server: loopback (no proxy), lan (1 ms RTT), broadband (40 ms, 50 Mbit/s), mobile (150 ms, 5 Mbit/s, 10 ms jitter)',
      ),
    tls: oneOrMany(z.boolean(), 'true or false')
      .default(false)
      .describe('serve and connect over TLS (https, wss) with a certificate made at run time'),
    http: oneOrMany(z.enum(['1.1', '2']), '"1.1" or "2"')
      .default('1.1')
      .describe(
        'HTTP version: "2" is h2 by ALPN over TLS and h2c with prior knowledge without; WebSocket over HTTP/2 by RFC 8441',
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
    reuseDrivers: z
      .boolean()
      .default(true)
      .describe(
        "keep driver processes between cells, reset (clients closed, counters new), so each cell starts only its server; false starts fresh drivers for every cell, which also measures the driver's memory per connection",
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

export const ScenarioSchema = ScenarioObject.superRefine((s, ctx) => {
  if (s.target && !s.allowRemoteTarget && !isLoopbackHost(new URL(s.target).hostname)) {
    ctx.addIssue({
      code: 'custom',
      path: ['target'],
      message: `${new URL(s.target).hostname} is not loopback: load would leave this machine; set allowRemoteTarget (or --allow-remote-target) to mean it`,
    });
  }
  // With a target, a cell that needs feedbench's own server (the raw TCP floor, TLS on a plain
  // target, scale-out) is not refused here: it is recorded not-applicable, with the reason.
  if (s.targetCa && !s.target?.startsWith('https:'))
    ctx.addIssue({ code: 'custom', path: ['targetCa'], message: 'only with an https:// target' });
  const instances = Array.isArray(s.scaleOut.instances)
    ? s.scaleOut.instances
    : [s.scaleOut.instances];
  if (instances.some((k) => k > 1) && s.rawTcpReference)
    ctx.addIssue({
      code: 'custom',
      path: ['rawTcpReference'],
      message: 'the raw TCP floor is served by a single server: not with several instances',
    });
  const failover = s.scaleOut.failover;
  if (failover) {
    if (!instances.some((k) => k > 1))
      ctx.addIssue({
        code: 'custom',
        path: ['scaleOut', 'failover'],
        message: 'killing an instance needs at least 2 instances (scaleOut.instances)',
      });
    if (failover.killAtMs >= s.durationMs)
      ctx.addIssue({
        code: 'custom',
        path: ['scaleOut', 'failover', 'killAtMs'],
        message: `must fall inside the ${s.durationMs} ms window`,
      });
    const smallest = Math.min(...instances.filter((k) => k > 1));
    if (failover.instance >= smallest)
      ctx.addIssue({
        code: 'custom',
        path: ['scaleOut', 'failover', 'instance'],
        message: `must be below ${smallest}, the fewest instances of a cell that kills one`,
      });
  }
  if (s.capacity) {
    if (!Array.isArray(s.clients) || s.clients.length < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['clients'],
        message: 'a capacity ladder needs a list of at least 2 client counts',
      });
    if (s.repetitions > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['repetitions'],
        message: 'a capacity ladder runs each step once: repetitions must be 1',
      });
  }
  if (s.workload !== 'feed') {
    if (s.rawTcpReference)
      ctx.addIssue({
        code: 'custom',
        path: ['rawTcpReference'],
        message: `the raw TCP floor carries no upstream messages: not with workload "${s.workload}"`,
      });
    if (s.burst)
      ctx.addIssue({
        code: 'custom',
        path: ['burst'],
        message: `bursts shape the server's feed: not with workload "${s.workload}"`,
      });
  }
  const pause = s.slowConsumers?.pause;
  if (pause && pause.afterMs >= s.durationMs)
    ctx.addIssue({
      code: 'custom',
      path: ['slowConsumers', 'pause', 'afterMs'],
      message: `must fall inside the ${s.durationMs} ms window`,
    });
  if (s.slowConsumers && s.target && Array.isArray(s.slowConsumers.policy))
    ctx.addIssue({
      code: 'custom',
      path: ['slowConsumers', 'policy'],
      message: 'not a list with a target: its policy is its own',
    });
  if (!s.burst) return;
  for (const rate of Array.isArray(s.ratePerSec) ? s.ratePerSec : [s.ratePerSec]) {
    if ((s.burst.size - 1) * s.burst.gapMs >= (1000 * s.burst.size) / rate) {
      ctx.addIssue({
        code: 'custom',
        path: ['burst'],
        message: `a burst of ${s.burst.size} updates ${s.burst.gapMs} ms apart does not fit in its ${(1000 * s.burst.size) / rate} ms slot at ${rate} updates/s`,
      });
    }
  }
});

/** True for a loopback host name or address (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    hostname === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * A validated scenario with every default filled; each transport's own block (`shortPoll`, ...) is
 * its descriptor's to read.
 */
export type Scenario = z.output<typeof ScenarioSchema> & {
  readonly [transportBlock: string]: unknown;
};

/** A scenario file that could not be used; `problems` lists each as `field: what is wrong`. */
export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
}

/**
 * A suite: several scenarios run one after another into one report (the default bench is one).
 * Fields beside `parts` are shared; each part adds or overrides fields and names itself, and runs
 * as the scenario `<suite name>-<part name>`.
 */
const SuiteSchema = ScenarioObject.partial()
  .extend({
    name: ScenarioObject.shape.name,
    parts: z.array(ScenarioObject.partial().extend({ name: ScenarioObject.shape.name })).min(1),
  })
  .strict();

const problemsOf = (error: z.ZodError, prefix: (string | number)[] = []) =>
  error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    return `${path.length > 0 ? path.join('.') : '(top level)'}: ${issue.message}`;
  });

/** Validates parsed JSON as a scenario; throws ScenarioError listing every problem. */
export function parseScenario(json: unknown, source: string): Scenario {
  const result = ScenarioSchema.safeParse(json);
  if (result.success) return result.data;
  throw new ScenarioError(source, problemsOf(result.error));
}

/** True when parsed JSON is a suite (has `parts`) rather than one scenario. */
function isSuite(
  json: unknown,
): json is { name: string; parts: Record<string, unknown>[] } & Record<string, unknown> {
  return typeof json === 'object' && json !== null && 'parts' in json;
}

/**
 * Validates parsed JSON as a scenario or a suite of them; returns the scenarios to run, in order.
 * Every problem of every part is listed, as `parts.N.field: what is wrong` for a part's own.
 */
export function parseScenarios(json: unknown, source: string): Scenario[] {
  if (!isSuite(json)) return [parseScenario(json, source)];
  const shape = SuiteSchema.safeParse(json);
  // Problems in shared fields or in the list itself are the suite's; a part's own are found
  // below, merged with what it shares, so they all show at once.
  if (
    !shape.success &&
    (!Array.isArray(json.parts) ||
      shape.error.issues.some(
        (i) =>
          i.path[0] !== 'parts' ||
          i.path.length < 2 ||
          typeof json.parts[i.path[1] as number] !== 'object',
      ))
  ) {
    throw new ScenarioError(source, problemsOf(shape.error));
  }
  const { parts, name, description: _, $schema: __, ...shared } = json;
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  parts.forEach((part, i) => {
    const merged = { ...shared, ...part, name: `${name}-${String(part.name)}` };
    const result = ScenarioSchema.safeParse(merged);
    // A problem in a shared field shows once per part that uses it, named where the part can fix
    // it.
    if (result.success) scenarios.push(result.data);
    else
      problems.push(
        ...problemsOf(result.error).map((p) => `parts.${i} (${String(part.name)}): ${p}`),
      );
  });
  if (problems.length > 0) throw new ScenarioError(source, problems);
  return scenarios;
}

/** Reads and validates a scenario or suite file into the scenarios it runs. */
export function loadScenarios(path: string): Scenario[] {
  return parseScenarios(readJson(path), path);
}

function readJson(path: string): unknown {
  const read = readJsonFile(path);
  if ('problem' in read) throw new ScenarioError(path, [read.problem]);
  return read.json;
}

/**
 * Reads and validates a file holding one scenario; a missing file or bad JSON is a ScenarioError
 * too.
 */
export function loadScenario(path: string): Scenario {
  return parseScenario(readJson(path), path);
}

/** The JSON Schema of scenario files, for editors (`scenarios/scenario.schema.json`). */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(z.union([ScenarioSchema, SuiteSchema]), { io: 'input' });
}
