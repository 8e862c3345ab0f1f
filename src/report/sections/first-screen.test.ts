import { describe, expect, it } from 'vitest';
import { erroredCell, latency, okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { assessClaims } from '../claims/index.ts';
import { honestyFlags, verdictTable } from './first-screen.ts';

const poll = { transport: 'short-poll' as const, poll_interval_ms: 250, poll_mode: 'fixed-period' as const, keep_alive: true };
const pollMetrics = { wire: { requests_per_update: 2, empty_poll_share: 0.5, overhead_bytes_per_update: 600 }, latency_us: latency(125_000) };

describe('the first screen', () => {
  it('has a verdict column per HTTP version and client kind, and says where a claim is not judged on browser pages', () => {
    const cells = reportOf([
      okCell({ transport: 'websocket' }), okCell(poll, pollMetrics),
      okCell({ transport: 'websocket', http: '2' }), okCell({ ...poll, http: '2' }, pollMetrics),
      okCell({ transport: 'websocket', client_kind: 'browser', browser_tabs: 1, page_origin: 'same' }), okCell({ ...poll, client_kind: 'browser', browser_tabs: 1, page_origin: 'same' }, pollMetrics),
    ]);
    const claims = assessClaims(cells);
    const html = verdictTable(claims);
    expect(html).toContain('<th>feedbench clients, HTTP/1.1</th><th>feedbench clients, HTTP/2</th><th>Chromium pages, HTTP/1.1</th>');
    // C1 is judged on the pages' own cells; C2 is not (a page's set-up time is mostly opening the
    // page).
    expect(claims.find((c) => c.id === 'C1')!.byBrowser.map((j) => j.verdict)).toEqual(['supported']);
    expect(claims.find((c) => c.id === 'C2')!.byBrowser).toEqual([]);
    expect(html).toContain('title="not judged on browser pages: a page\'s set-up time is mostly opening the page');
    // The feedbench-client verdicts do not change when browser cells join the run.
    expect(claims.find((c) => c.id === 'C1')!.byHttp.map((j) => j.verdict)).toEqual(['supported', 'supported']);
  });

  it('names every flagged cell under what is wrong with it, and says so when nothing is', () => {
    const flags = honestyFlags(reportOf([
      erroredCell({ transport: 'sse' }, 'the server crashed'),
      okCell({ transport: 'websocket', clients: 7 }, { driver: { saturated: true, reason: 'driver CPU at 99%' } }),
      okCell({ transport: 'long-poll' }, { delivery: { lost: 3 } }),
      okCell({ transport: 'websocket', clients: 9 }, { publisher: { lag_us: { ...latency(100), p99: 12_000 } } }),
    ]));
    expect(flags).toMatch(/1 errored<\/span>[^<]*: <span title="errored: the server crashed">sse 100c/);
    expect(flags).toContain('1 driver saturated');
    expect(flags).toContain('1 updates lost');
    expect(flags).toMatch(/1 noisy<\/span>.*websocket 9c/);
    expect(honestyFlags(reportOf([okCell({ transport: 'websocket' })]))).toContain('Every one of the 1 cells finished');
  });
});
