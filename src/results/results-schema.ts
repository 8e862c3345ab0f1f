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
} from './cell-schema.ts';

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
/** One rung of a capacity ladder. */
export type CapacityStep = z.infer<typeof CapacityStepSchema>;

/**
 * The JSON Schema of results files, for editors and other tools (`results/results.schema.json`).
 */
export function resultsJsonSchema(): object {
  return z.toJSONSchema(ResultsFileSchema, { io: 'output' });
}
