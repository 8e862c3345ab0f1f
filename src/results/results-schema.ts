/**
 * THE results format: a zod schema that is the single source of the results types, of the
 * validating reader, and of the generated `results/results.schema.json`.
 */
import { z } from 'zod';
import {
  CellMetricsSchema,
  CellParamsSchema,
  CellResultSchema,
  ClockEstimateSchema,
  ErroredCellSchema,
  FailoverOutcomeSchema,
  NotApplicableCellSchema,
  OkCellSchema,
  PercentileSummarySchema,
  ScaleOutResultSchema,
  SERVERS,
} from './cell-schema.ts';

export { SERVERS, type ServerName } from './cell-schema.ts';

/** Version of the results format this feedbench writes; older versions are migrated on reading. */
export const RESULTS_SCHEMA_VERSION = 2;

/** One rung of a capacity ladder: a client count, and whether the target held there. */
const CapacityStepSchema = z.object({
  clients: z.number().int().min(1),
  cell_id: z.string(),
  p99_us: z.number().nullable(),
  lost: z.number().int().min(0),
  saturated: z.boolean(),
  passed: z.boolean(),
  reason: z.string().nullable().describe('why the step failed; null when it passed'),
  bisection: z.boolean().default(false).describe('a step of the bisection after the ladder, not a rung of it'),
});

/**
 * Capacity of one configuration: the most clients served while p99 stayed under the target with
 * nothing lost.
 */
const CapacityResultSchema = z.object({
  label: z.string().describe('the configuration, as a cell label without the client count'),
  transport: z.string(),
  p99_target_ms: z.number().positive(),
  steps: z.array(CapacityStepSchema),
  capacity_clients: z.number().int().min(0),
  interval: z
    .tuple([z.number().int().min(0), z.number().int().min(1)])
    .nullable()
    .default(null)
    .describe('[passing, failing] client counts after bisection: capacity lies between them; null when every step passed'),
  limit: z.string().describe('what ended the ladder, in words'),
  lower_bound: z.boolean().describe('true when the driver, not the server, was the limit'),
});

/** One step of a cost curve: a load, and what it cost the server there. */
const CostCurveStepSchema = z.object({
  clients: z.number().int().min(1),
  cell_id: z.string(),
  bisection: z.boolean().describe('a step of the bisection past the knee, not a rung of the ladder'),
  events_per_sec: z.number().min(0).describe('events the server handled per second of the window: requests answered (short polling) or updates delivered (long polling and push)'),
  requests_per_sec: z.number().min(0).describe('HTTP requests per second of the window (0 for push)'),
  server_cpu_ms_per_sec: z.number().nullable().describe('server CPU over the window, ms per s (1,000 is one core busy); its warm-up was settled first'),
  connections: z.number().nullable().describe('connections the server held at the window\'s close'),
  p50_us: z.number().nullable(),
  p99_us: z.number().nullable(),
  max_us: z.number().nullable(),
  rss_bytes: z.number().nullable(),
  live_bytes: z.number().nullable().describe('V8 heap used + external after a full GC, with the step\'s clients connected'),
  lost: z.number().int().min(0),
  saturated: z.boolean().describe('the driver saturated: the step measured the driver, not the server'),
  passed: z.boolean(),
  reason: z.string().nullable().describe('why the step is past the knee; null when it passed'),
});

/**
 * The cost curve of one transport over one HTTP version on one server process: its steps, and a
 * model fitted to the steps below the knee (CPU = fixed + marginal x events).
 */
const CostCurveSchema = z.object({
  label: z.string().describe('the configuration, as a cell label without the client count'),
  transport: z.string(),
  http: z.enum(['1.1', '2']),
  server: z.enum(SERVERS).default('feedbench').describe('the server the curve was measured on (absent in files before the server dimension: feedbench)'),
  event: z.enum(['request', 'update']).describe('what one event is: a request answered (short polling) or an update delivered'),
  p99_target_ms: z.number().positive().describe('the p99 a step must stay under (short polling: beyond its poll interval)'),
  busy_share: z.number().positive().describe('a step whose server CPU is over this share of its core is past the knee'),
  steps: z.array(CostCurveStepSchema),
  fixed_cpu_ms_per_sec: z.number().nullable().describe('the fit\'s intercept: CPU per second of one server process at no load (timers, publisher, GC), ms'),
  marginal_cpu_us_per_event: z.number().nullable().describe('the fit\'s slope: CPU per request (polling) or per delivered update (push), µs'),
  memory_per_conn_bytes: z.number().nullable().describe('live heap per held connection, median over the steps'),
  fit: z
    .object({ r2: z.number(), worst_error: z.number().describe('largest |fitted - measured| / measured over the fitted steps'), steps: z.number().int().min(2) })
    .nullable()
    .describe('how well the line fits the steps below the knee; null with fewer than two'),
  knee: z.object({
    interval: z.tuple([z.number().min(0), z.number().min(0)]).nullable().describe('[passing, failing] events/s per server core after bisection; null when no step failed'),
    at_least: z.number().min(0).describe('the most events/s per core of a passing step below the knee'),
    unit: z.literal('events/s per server core'),
    reason: z.string().describe('what the first failing step missed, or why there is no knee'),
    lower_bound: z.boolean().describe('true when the driver, not the server, gave out first (or no step failed): the knee is higher'),
  }),
});

/** One cell's figures per load agent, in agent order. */
const AgentCellSchema = z.object({
  cell_id: z.string(),
  clients: z.array(z.number().int().min(0)).describe("each agent's shard of the cell's clients"),
  connect_ms: z.array(z.number().nullable()).describe('how long each agent took to connect its shard, ms, as the coordinator timed it'),
  window_open_late_us: z.array(z.number().nullable()).describe("how late each agent's window opened, µs on its own clock (null: the cell ended before it opened)"),
  start_skew_us: z.number().nullable().describe('spread of the agents\' window openings (latest minus earliest lateness), µs; each is right to within half its clock ping\'s round trip'),
});

/** The load agents of a distributed run: who they were, their clocks, and how each cell went. */
const AgentsSchema = z.object({
  count: z.number().int().min(1),
  placement: z.enum(['namespaces', 'loopback', 'hosts']).describe("where the agents ran: network namespaces of this host (each its own address on a veth pair), processes on this host's 127.0.0.x, or hosts of their own (`feedbench agent`)"),
  coordinator: z.enum(['run', 'agent 0']).describe('who coordinated: the `feedbench run` that started the agents, or agent 0 of a `feedbench agent` Job'),
  members: z.array(
    z.object({
      index: z.number().int().min(0),
      hostname: z.string(),
      address: z.string().nullable().describe('the address it reached the coordinator from'),
      pid: z.number().int(),
      clock_offset_us: z.number().describe("its monotonic clock minus the coordinator's, µs, from the fastest of 8 pings"),
      clock_rtt_us: z.number().describe("that ping's round trip, µs: the offset is right to within half of it"),
    }),
  ),
  cells: z.array(AgentCellSchema),
  failure: z
    .object({
      agent: z.number().int().min(0),
      reason: z.string(),
      cell_id: z.string().nullable().describe('the cell it was lost in (errored); null between cells'),
      cells_not_run: z.number().int().min(0).describe('cells of the scenario that did not run after it'),
    })
    .nullable()
    .describe('the agent lost mid-run, which ended the run (exit 3); null when every agent lasted'),
});

const MachineSchema = z.object({ node: z.string(), os: z.string(), cpu_model: z.string(), cores: z.number().int().min(1), memory_bytes: z.number() });

/**
 * The scenario as run. Its own schema belongs to the orchestrator (scenarios change more often than
 * results readers do): here only what readers use is required, and the rest is kept as written.
 */
const RecordedScenarioSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  durationMs: z.number().positive(),
  warmupMs: z.number().min(0),
  repetitions: z.number().int().min(1),
});

/** A whole results file: self-describing, written atomically after every cell. */
export const ResultsFileSchema = z.object({
  schema_version: z.literal(RESULTS_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('feedbench'), version: z.string(), commit: z.string().nullable(), commit_dirty: z.boolean().nullable() }),
  machine: MachineSchema,
  created_at: z.string(),
  finished_at: z.string().nullable(),
  complete: z.boolean().describe('false while the run is going on, or when it was cut short'),
  scenario: RecordedScenarioSchema,
  cells: z.array(CellResultSchema),
  suite: z.object({ name: z.string(), started_at: z.string() }).optional().describe('a part of a suite: every part of one run has the same'),
  merged_from: z.array(z.object({ source: z.string(), machine: MachineSchema, created_at: z.string() })).optional(),
  capacity: z.array(CapacityResultSchema).optional(),
  cost_curves: z.array(CostCurveSchema).optional(),
  agents: AgentsSchema.optional().describe('the load agents, when the run had them'),
});

/** A whole results file. */
export type ResultsFile = z.infer<typeof ResultsFileSchema>;
/** One cell in a results file, by state. */
export type CellResult = z.infer<typeof CellResultSchema>;
/** A cell that ran to the end. */
export type OkCell = z.infer<typeof OkCellSchema>;
/** A cell that failed. */
export type ErroredCell = z.infer<typeof ErroredCellSchema>;
/** A cell that could not apply to this run. */
export type NotApplicableCell = z.infer<typeof NotApplicableCellSchema>;
/** The parameters of one matrix cell. */
export type CellParams = z.infer<typeof CellParamsSchema>;
/** The metrics of one cell that ran. */
export type CellMetrics = z.infer<typeof CellMetricsSchema>;
/** Percentiles of a histogram. */
export type PercentileSummary = z.infer<typeof PercentileSummarySchema>;
/** What a scale-out cell adds. */
export type ScaleOutResult = z.infer<typeof ScaleOutResultSchema>;
/** How clients came through an instance's death. */
export type FailoverOutcome = z.infer<typeof FailoverOutcomeSchema>;
/** A target's clock against ours. */
export type ClockEstimate = z.infer<typeof ClockEstimateSchema>;
/** One capacity ladder's outcome. */
export type CapacityResult = z.infer<typeof CapacityResultSchema>;
/** One transport's cost curve. */
export type CostCurve = z.infer<typeof CostCurveSchema>;
/** One step of a cost curve. */
export type CostCurveStep = z.infer<typeof CostCurveStepSchema>;
/** The load agents of a distributed run. */
export type AgentsRecord = z.infer<typeof AgentsSchema>;
/** One cell's figures per agent. */
export type AgentCellRecord = z.infer<typeof AgentCellSchema>;
/** One rung of a capacity ladder. */
export type CapacityStep = z.infer<typeof CapacityStepSchema>;

/**
 * The JSON Schema of results files, for editors and other tools (`results/results.schema.json`).
 */
export function resultsJsonSchema(): object {
  return z.toJSONSchema(ResultsFileSchema, { io: 'output' });
}
