import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ResultsError, readResults } from './read-results.ts';

/** Files beside results files that are not results: the CI baseline and the CI tools' JSON. */
const NOT_RESULTS = [/^baseline\.json$/, /\.bencher\.json$/, /\.github-action-benchmark\.json$/, /\.schema\.json$/, /\.conform\.json$/];

/** The results files in a folder. */
export function resultsFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !NOT_RESULTS.some((pattern) => pattern.test(f)))
    .map((f) => join(dir, f));
}

/** The newest results file in a folder; a ResultsError when it holds none. */
export function newestResults(dir: string): string {
  const files = resultsFilesIn(dir).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  const newest = files[0];
  if (newest === undefined) throw new ResultsError(dir, ['(folder): holds no results file; run `feedbench run` first']);
  return newest;
}

/**
 * The newest results file in a folder and, when it is part of a suite run, every other part of that
 * run.
 */
export function newestRun(dir: string): string[] {
  const newest = newestResults(dir);
  const suite = readResults(newest).suite;
  if (!suite) return [newest];
  return resultsFilesIn(dir)
    .filter((f) => {
      try {
        const other = readResults(f).suite;
        return other?.name === suite.name && other.started_at === suite.started_at;
      } catch {
        return false; // not a results file this version reads: not part of the run
      }
    })
    .sort();
}
