import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ResultsFileSchema, type ResultsFile } from './results-schema.ts';
import { ResultsError, problemsOf } from './read-results.ts';

/**
 * Writes a file atomically: a temporary file in the same folder, then a rename, so a reader (or a
 * run cut short) sees the previous complete file or the new one, never a torn one.
 */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Writes JSON to `path` atomically (see writeFileAtomic). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Writes a results file atomically, checked against the schema first: a writer's mistake is
 * found where it is made, not by the next reader.
 */
export function writeResults(path: string, results: ResultsFile): void {
  const check = ResultsFileSchema.safeParse(results);
  if (!check.success) throw new ResultsError(`${path} (not written)`, problemsOf(check.error));
  writeJsonAtomic(path, results);
}
