import { z } from 'zod';
import { readJsonFile } from './read-json-file.ts';
import { ResultsError, problemsOf } from './read-results.ts';

/** One conformance case as it ran against a target. */
export const ConformanceCaseSchema = z.object({
  id: z.string().describe('the case\'s number, section.case (1.1: /health)'),
  title: z.string().describe('the rule the case checks'),
  state: z.enum(['pass', 'fail', 'not-applicable']),
  expected: z.string().nullable().describe('a failure: what the rule asks for'),
  got: z.string().nullable().describe('a failure: what came back'),
  request: z.string().nullable().describe('a failure: the request that showed it'),
  reason: z.string().nullable().describe('why the case does not apply (a transport the target does not serve, an optional endpoint, no HTTP/2)'),
  ms: z.number().nonnegative(),
});

/** A `feedbench conform` run: a target, and every case of the feed protocol against it. */
export const ConformanceFileSchema = z.object({
  kind: z.literal('conformance'),
  target: z.string().describe('the target\'s origin'),
  created_at: z.string(),
  tool: z.object({ version: z.string() }),
  quick: z.boolean().describe('only the cases `run --target` checks before its cells'),
  cases: z.array(ConformanceCaseSchema),
  summary: z.object({ passed: z.number().int(), failed: z.number().int(), not_applicable: z.number().int() }),
});

/** One conformance case's result. */
export type ConformanceCase = z.infer<typeof ConformanceCaseSchema>;
/** A conformance file. */
export type ConformanceFile = z.infer<typeof ConformanceFileSchema>;

/**
 * Whether a file claims to be a conformance file (and not a results file); a file that cannot be
 * read is left to the results reader to explain.
 */
export function isConformanceFile(path: string): boolean {
  const read = readJsonFile(path);
  return 'json' in read && typeof read.json === 'object' && read.json !== null && (read.json as { kind?: unknown }).kind === 'conformance';
}

/** Reads and validates a conformance file; every problem listed as `field: what is wrong`. */
export function readConformance(path: string): ConformanceFile {
  const read = readJsonFile(path, ', perhaps cut short');
  if ('problem' in read) throw new ResultsError(path, [read.problem]);
  const result = ConformanceFileSchema.safeParse(read.json);
  if (!result.success) throw new ResultsError(path, problemsOf(result.error));
  return result.data;
}
