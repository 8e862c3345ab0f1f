import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readResults, type ResultsFile } from '../../src/results/index.ts';

/** Every cell of the results files in `dir` whose names start with `scenario` (a run's parts). */
export function cellsIn(dir: string, scenario: string): ResultsFile['cells'] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${scenario}-`))
    .flatMap((f) => readResults(join(dir, f)).cells);
}
