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
