import { readJsonFile } from './read-json-file.ts';
import type { z } from 'zod';
import { RESULTS_SCHEMA_VERSION, ResultsFileSchema, type ResultsFile } from './results-schema.ts';
import { migrateResults } from './migrate-results.ts';

/**
 * A results file that cannot be read; `problems` lists each as `field: what is wrong`. The CLI
 * exits 2.
 */
export class ResultsError extends Error {
  constructor(readonly source: string, readonly problems: readonly string[]) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Every issue of a failed parse, as `cells.3.metrics.latency_us.p50: expected number`. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message.replace(/^Invalid input: /, '')}`);
}

/**
 * Validates parsed JSON as a results file, migrating an older schema version first. Throws a
 * ResultsError naming every problem; the result needs no non-null assertions to read.
 */
export function parseResults(json: unknown, source: string): ResultsFile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ResultsError(source, ['(top level): expected a JSON object']);
  const version = (json as { schema_version?: unknown }).schema_version;
  if (typeof version !== 'number' || !Number.isInteger(version)) throw new ResultsError(source, [`schema_version: expected an integer, got ${JSON.stringify(version)}: not a feedbench results file`]);
  if (version > RESULTS_SCHEMA_VERSION) {
    throw new ResultsError(source, [`schema_version: ${version} is newer than this feedbench reads (${RESULTS_SCHEMA_VERSION}); update feedbench to read it`]);
  }
  const current = version < RESULTS_SCHEMA_VERSION ? migrateResults(json as Record<string, unknown>, version) : json;
  if (current === undefined) throw new ResultsError(source, [`schema_version: ${version} is too old for this feedbench to read; run the scenario again`]);
  const result = ResultsFileSchema.safeParse(current);
  if (!result.success) throw new ResultsError(source, problemsOf(result.error));
  return result.data;
}

/** Reads and validates a results file; a missing file or bad JSON is a ResultsError too. */
export function readResults(path: string): ResultsFile {
  const read = readJsonFile(path, ', perhaps cut short');
  if ('problem' in read) throw new ResultsError(path, [read.problem]);
  return parseResults(read.json, path);
}
