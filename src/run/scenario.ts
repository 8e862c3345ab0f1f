import { readJsonFile } from '../results/index.ts';
import { z } from 'zod';
import { ScenarioObject } from './scenario-schema.ts';
import { checkScenario } from './scenario-rules.ts';
import type { Http2Support } from './target-http.ts';

export { isLoopbackHost } from './scenario-rules.ts';

/** A scenario: its fields, then the checks across them. */
export const ScenarioSchema = ScenarioObject.superRefine(checkScenario);

/**
 * A validated scenario with every default filled; each transport's own block (`shortPoll`, ...) is
 * its descriptor's to read.
 */
export type Scenario = z.output<typeof ScenarioSchema> & {
  readonly [transportBlock: string]: unknown;
  /**
   * What the target lacks for HTTP/2 cells, found by probing it before any cell (not a field of
   * the file): its HTTP/2 cells are then not applicable with the reason.
   */
  readonly targetHttp2?: Http2Support | null;
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
