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
/** One rung of a capacity ladder. */
export type CapacityStep = z.infer<typeof CapacityStepSchema>;

/**
 * The JSON Schema of results files, for editors and other tools (`results/results.schema.json`).
 */
export function resultsJsonSchema(): object {
  return z.toJSONSchema(ResultsFileSchema, { io: 'output' });
}
