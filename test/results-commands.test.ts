import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeResults } from '../src/results/index.ts';
import { okCell, syntheticRun } from './helpers/synthetic-results.ts';
import { runFeedbench } from './helpers/cli.ts';

/** A good results file and a doctored copy of it (a field of the wrong type, one missing). */
function files() {
  const dir = mkdtempSync(join(tmpdir(), 'feedbench-doctored-'));
  const good = syntheticRun([okCell({ transport: 'sse' }), okCell({ transport: 'websocket' })]);
  writeResults(join(dir, 'good.json'), good);
  const doctored = JSON.parse(JSON.stringify(good));
  doctored.cells[1].metrics.latency_us.p50 = 'fast';
  delete doctored.cells[0].params.clients;
  writeFileSync(join(dir, 'doctored.json'), JSON.stringify(doctored));
  writeFileSync(join(dir, 'truncated.json'), JSON.stringify(good).slice(0, 200));
  return dir;
}

describe('commands that read results files, given a bad one', () => {
  const dir = files();
  const doctored = join(dir, 'doctored.json');

  it.each([
    ['summary', [doctored]],
    ['report', [doctored, '--out', join(dir, 'r.html')]],
    ['compare', [join(dir, 'good.json'), doctored]],
  ])('%s lists every problem by field and exits 2', (command, args) => {
    const r = runFeedbench([command, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('doctored.json: 2 problems');
    expect(r.stderr).toContain('cells.1.metrics.latency_us.p50: expected number, received string');
    expect(r.stderr).toContain('cells.0.params.clients: expected number, received undefined');
    expect(r.stderr).not.toContain('    at ');
  });

  it('says a truncated file is not JSON, and exits 2', () => {
    const r = runFeedbench(['summary', join(dir, 'truncated.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/truncated\.json.*\n.*\(file\): not valid JSON/);
  });
});

describe('compare, given runs that do not hold the same cells', () => {
  const dir = mkdtempSync(join(tmpdir(), 'feedbench-compare-'));
  const both = syntheticRun([okCell({ transport: 'sse' }), okCell({ transport: 'websocket' })]);
  writeResults(join(dir, 'both.json'), both);
  writeResults(join(dir, 'sse-only.json'), syntheticRun([both.cells[0]!]));
  writeResults(join(dir, 'other.json'), syntheticRun([okCell({ transport: 'sse', clients: 7 })]));

  it('exits 2 with a sentence when no cell is in common', () => {
    const r = runFeedbench(['compare', join(dir, 'both.json'), join(dir, 'other.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no cell of the current run is in the baseline');
  });

  it('lists a baseline cell the current run lacks, and fails on it unless --allow-missing', () => {
    const strict = runFeedbench(['compare', join(dir, 'both.json'), join(dir, 'sse-only.json')]);
    expect(strict.status).toBe(4);
    expect(strict.stdout).toMatch(
      /websocket 100c 10\/s 128B\s+\(cell\)\s+present\s+absent\s+MISSING/,
    );
    expect(strict.stdout).toContain(
      '1 baseline cell(s) missing from the current run: websocket 100c 10/s 128B (each fails; --allow-missing lets them pass)',
    );
    const allowed = runFeedbench([
      'compare',
      join(dir, 'both.json'),
      join(dir, 'sse-only.json'),
      '--allow-missing',
    ]);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toContain('(allowed by --allow-missing)');
    expect(allowed.stdout).toContain('no regression');
  });
});
