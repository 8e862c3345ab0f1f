import { existsSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { okCell, syntheticRun } from '../../test/helpers/synthetic-results.ts';
import { readResults } from './read-results.ts';
import type { ResultsFile } from './results-schema.ts';
import { newestResults, newestRun, resultsFilesIn } from './results-files.ts';
import { writeResults } from './write-results.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'feedbench-results-'));

describe('writing results', () => {
  it('writes a file the reader takes back whole, leaving no temporary file', () => {
    const dir = folder();
    const run = syntheticRun([okCell({ transport: 'sse' })]);
    writeResults(join(dir, 'r.json'), run);
    expect(readResults(join(dir, 'r.json'))).toEqual(run);
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it("refuses to write what the reader would refuse, naming the field, and leaves the old file", () => {
    const dir = folder();
    const path = join(dir, 'r.json');
    writeResults(path, syntheticRun([okCell({})]));
    const broken = syntheticRun([okCell({})]);
    (broken.cells[0] as { metrics: unknown }).metrics = { latency_us: 'fast' };
    expect(() => writeResults(path, broken)).toThrow(expect.objectContaining({
      message: expect.stringContaining('not written'),
      problems: expect.arrayContaining([expect.stringMatching(/^cells\.0\.metrics\.latency_us: /)]),
    }));
    expect(readResults(path).cells[0]!.state).toBe('ok');
  });
});

describe('finding results files in a folder', () => {
  it('skips the baseline, schemas and CI tool files, and finds every part of the newest suite run', () => {
    const dir = folder();
    const suite = { name: 'default', started_at: '2026-11-25T01:00:00.000Z' };
    const part = (name: string, s: typeof suite): ResultsFile => ({ ...syntheticRun([okCell({})], name), suite: s });
    writeResults(join(dir, 'old.json'), part('old', { name: 'default', started_at: '2026-11-24T00:00:00.000Z' }));
    writeResults(join(dir, 'default-a.json'), part('default-a', suite));
    writeResults(join(dir, 'default-b.json'), part('default-b', suite));
    for (const other of ['baseline.json', 'results.schema.json', 'x.bencher.json']) writeFileSync(join(dir, other), '{}');
    utimesSync(join(dir, 'old.json'), new Date(0), new Date(0));
    expect(resultsFilesIn(dir).map((f) => f.slice(dir.length + 1)).sort()).toEqual(['default-a.json', 'default-b.json', 'old.json']);
    expect(newestRun(dir).map((f) => f.slice(dir.length + 1))).toEqual(['default-a.json', 'default-b.json']);
  });

  it('says there is nothing to read in an empty folder', () => {
    const dir = folder();
    expect(() => newestResults(dir)).toThrow(expect.objectContaining({ problems: ['(folder): holds no results file; run `feedbench run` first'] }));
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
  });
});
