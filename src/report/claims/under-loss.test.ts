import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { latency, okCell, reportOf, syntheticRun } from '../../../test/helpers/synthetic-results.ts';
import { lossyCell } from '../../../test/helpers/lossy-cell.ts';
import { writeResults } from '../../results/write-results.ts';
import { buildReport } from '../build-report.ts';
import type { CellParams, CellResult } from '../../results/index.ts';
import { assessClaims } from './index.ts';

const longPoll = { transport: 'long-poll' as const, keep_alive: true, long_poll_timeout_ms: 30_000 };
const shortPoll = { transport: 'short-poll' as const, poll_interval_ms: 1000, poll_mode: 'fixed-period' as const, keep_alive: true };

/** WebSocket, SSE and both pollings, their p50s in µs, on loopback or on a link dropping `loss` %. */
function fourTransports(wsUs: number, longUs: number, loss?: number): CellResult[] {
  const cell = (params: Partial<CellParams>, p50Us: number, tail = 3) =>
    loss === undefined
      ? okCell(params, { latency_us: latency(p50Us) })
      : lossyCell(params, loss, tail * p50Us, null, p50Us);
  return [
    cell({ transport: 'websocket' }, wsUs),
    cell({ transport: 'sse' }, wsUs * 1.1),
    // Under loss, long polling's tail stretches (a lost answer holds back the next poll too).
    cell(longPoll, longUs, 8),
    cell(shortPoll, 500_000),
  ];
}

// On loopback WebSocket is well ahead of long polling; at 3 % loss the two come within 25 %,
// and at 0 % loss (the same link, without drops) nothing is lost to judge apart.
const run = [...fourTransports(1_000, 5_000), ...fourTransports(40_000, 46_000, 3), ...fourTransports(21_000, 42_000, 0)];

describe('claims judged under loss', () => {
  const c4 = () => assessClaims(reportOf(run)).find((c) => c.id === 'C4')!;

  it('judges each network that drops packets on its own cells, and not the lossless ones', () => {
    expect(c4().verdict).toBe('supported');
    expect(c4().underLoss.map((j) => [j.network, j.http, j.verdict])).toEqual([['rtt40-loss3', '1.1', 'supported-with-condition']]);
  });

  it("gives the same judgement as the lossy network's cells alone", () => {
    const alone = assessClaims(reportOf(fourTransports(40_000, 46_000, 3))).find((c) => c.id === 'C4')!;
    const underLoss = c4().underLoss[0]!;
    for (const key of ['verdict', 'because', 'numbers', 'notes'] as const) {
      expect(underLoss[key]).toEqual(alone[key]);
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'fb-under-loss-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says on the claim card where the verdict changed under loss', () => {
    writeResults(join(dir, 'run.json'), syntheticRun(run));
    buildReport([join(dir, 'run.json')], join(dir, 'index.html'));
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const card = html.slice(html.indexOf('id="C4"'), html.indexOf('</section>', html.indexOf('id="C4"')));
    expect(card).toContain('<strong>Under loss</strong>');
    expect(card).toMatch(/rtt40-loss3, HTTP\/1\.1: .*<strong>changed under loss<\/strong>/);
    // The notes that loss brought: long polling's tail (8 x its p50) against WebSocket's.
    expect(card).toMatch(/rtt40-loss3, HTTP\/1\.1: [^]*At the tail, long polling's p99 \(368\.0 ms\)/);
    // A claim whose verdict held says so.
    expect(html).toContain('as without loss');
  });
});
