import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultsError, parseResults, readResults } from './read-results.ts';
import { RESULTS_SCHEMA_VERSION, resultsJsonSchema } from './results-schema.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}.json`, import.meta.url), 'utf8')) as Record<string, any>;
const problems = (json: unknown): string[] => {
  try {
    parseResults(json, 'f.json');
  } catch (error) {
    if (error instanceof ResultsError) return [...error.problems];
    throw error;
  }
  return [];
};

describe('reading results files', () => {
  it('migrates a version-1 file, filling what its time did not measure', () => {
    const v1 = fixture('ci-run');
    expect(v1.schema_version).toBe(1);
    expect(v1.cells[0].params.workload).toBeUndefined();
    const read = parseResults(v1, 'ci-run.json');
    expect(read.schema_version).toBe(RESULTS_SCHEMA_VERSION);
    const cell = read.cells[0]!;
    expect(cell.params).toMatchObject({ workload: 'feed', instances: 1, balancer: null, failover_at_ms: null });
    expect(cell.state === 'ok' && cell.metrics.upstream).toBeNull();
    expect(v1.cells[0].params.workload).toBeUndefined(); // the caller's object is left as it was
  });

  it('reads every committed fixture and the CI baseline', () => {
    for (const name of ['default-run', 'chat-run', 'echo-run', 'game-run', 'scale-out-backplane-run', 'scale-out-failover-run', 'update-interval-run']) {
      expect(() => parseResults(fixture(name), name), name).not.toThrow();
    }
    expect(readResults(new URL('../../results/baseline.json', import.meta.url).pathname).cells.length).toBeGreaterThan(0);
  });

  it('names every problem of a doctored file by its field', () => {
    const doctored = fixture('ci-run');
    doctored.cells[3].metrics.latency_us.p50 = 'fast';
    delete doctored.cells[5].metrics.delivery.lost;
    doctored.cells[6].state = 'finished';
    expect(problems(doctored)).toEqual([
      'cells.3.metrics.latency_us.p50: expected number, received string',
      'cells.5.metrics.delivery.lost: expected number, received undefined',
      "cells.6.state: Invalid discriminator value. Expected 'ok' | 'errored' | 'not-applicable'",
    ]);
  });

  it('requires the metrics of an ok cell, so readers need no assertions', () => {
    const doctored = fixture('ci-run');
    doctored.cells[0].metrics = null;
    expect(problems(doctored)).toEqual(['cells.0.metrics: expected object, received null']);
  });

  it('refuses a file that is not results, or from a newer feedbench, with a sentence', () => {
    expect(problems([])).toEqual(['(top level): expected a JSON object']);
    expect(problems({ cells: [] })[0]).toMatch(/^schema_version: expected an integer, got undefined: not a feedbench results file/);
    expect(problems({ ...fixture('ci-run'), schema_version: 99 })[0]).toMatch(/^schema_version: 99 is newer than this feedbench reads/);
    expect(problems({ ...fixture('ci-run'), schema_version: 0 })[0]).toMatch(/^schema_version: 0 is too old/);
  });

  it('says a truncated or missing file is not readable, not that it crashed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-results-'));
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, readFileSync(new URL('../../test/fixtures/ci-run.json', import.meta.url), 'utf8').slice(0, 500));
    expect(() => readResults(cut)).toThrow(/\(file\): not valid JSON, perhaps cut short/);
    expect(() => readResults(join(dir, 'none.json'))).toThrow(/\(file\): cannot read it \(ENOENT\)/);
  });

  it('publishes a JSON Schema that matches the validator', () => {
    const committed = JSON.parse(readFileSync(new URL('../../results/results.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(resultsJsonSchema()); // run `npx feedbench schema` after changing the schema
  });
});
