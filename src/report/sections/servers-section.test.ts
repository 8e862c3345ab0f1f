import { describe, expect, it } from 'vitest';
import { erroredCell, latency, okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { assessClaims } from '../claims/index.ts';
import { guideCosts } from './decision-guide.ts';
import { serverAgreement, serversSection } from './servers-section.ts';
import { referenceServer, serverRows } from '../servers.ts';
import type { CellParams, CellResult } from '../../results/index.ts';

const poll = { transport: 'short-poll' as const, poll_interval_ms: 250, poll_mode: 'fixed-period' as const, keep_alive: true };
const pollMetrics = (cpuMs: number) => ({ wire: { requests_per_update: 2, empty_poll_share: 0.5, overhead_bytes_per_update: 600 }, latency_us: latency(125_000), server: { cpu_ms_per_1k_updates: cpuMs } });
const notApplicable = (params: Partial<CellParams>, reason: string) => ({ ...erroredCell(params, reason), state: 'not-applicable', reason }) as CellResult;

/** A run of feedbench and nchan, where nchan's polling costs a tenth and its WebSocket over h2 is not applicable. */
function twoServers() {
  return reportOf([
    okCell({ transport: 'websocket' }),
    okCell(poll, pollMetrics(1_400)),
    okCell({ transport: 'websocket', server: 'nchan' }),
    okCell({ ...poll, server: 'nchan' }, pollMetrics(140)),
    notApplicable({ transport: 'websocket', server: 'nchan', http: '2' }, 'nginx does not offer WebSocket over HTTP/2'),
  ]);
}

describe('servers in the report', () => {
  it("judges the claims and the guide on feedbench's own cells, and each server's apart", () => {
    const cells = twoServers();
    expect(referenceServer(cells)).toBe('feedbench');
    const claims = assessClaims(cells);
    const ownOnly = assessClaims(cells.filter((c) => c.cell.params.server === 'feedbench'));
    expect(claims.map((c) => c.verdict)).toEqual(ownOnly.map((c) => c.verdict));
    for (const claim of claims) {
      expect(claim.byServer.map((j) => j.server)).toEqual(['feedbench', 'nchan']);
      expect(claim.byServer[0]!.verdict).toBe(claim.verdict);
    }
    // With one server there is nothing to split.
    expect(ownOnly.every((c) => c.byServer.length === 0)).toBe(true);
    // The guide's short-polling cost is feedbench's, not a mix of both servers.
    const shortPoll = guideCosts(cells).find((c) => c.transport === 'short-poll' && c.http === '1.1');
    expect(shortPoll).toBeDefined();
    expect(guideCosts(cells)).toEqual(guideCosts(cells.filter((c) => c.cell.params.server === 'feedbench')));
  });

  it('reads on the first server there is when feedbench is not in the run', () => {
    const cells = twoServers().filter((c) => c.cell.params.server === 'nchan');
    expect(referenceServer(cells)).toBe('nchan');
  });

  it('puts each cell asked of several servers side by side, with what was not applicable and why', () => {
    const cells = twoServers();
    expect(serverRows(cells).map((r) => `${r.what}: ${[...r.byServer.keys()].join(', ')}`)).toEqual([
      'websocket 100c 10/s 128B: feedbench, nchan',
      'short-poll 100c 10/s 128B every 250ms: feedbench, nchan',
    ]);
    const html = serversSection(cells, assessClaims(cells));
    expect(html).toContain('<h2 id="servers">The same transports on other servers</h2>');
    expect(html).toMatch(/server CPU ms per 1k updates<\/td><td class="n">1400\.0<\/td><td class="n">140\.0<\/td>/);
    // The h2c WebSocket cell was asked of nchan only: no row of its own.
    expect(html).not.toContain('does not offer WebSocket');
    expect(serversSection(cells.filter((c) => c.cell.params.server === 'nchan'), [])).toBe('');
  });

  it("says whether a claim's verdict holds on every server, leaving unmeasured servers aside", () => {
    const j = (server: 'feedbench' | 'node-http' | 'nchan', verdict: 'supported' | 'not-supported' | 'not-measured') => ({ server, verdict, because: '', numbers: [], notes: [] });
    expect(serverAgreement({ byServer: [j('feedbench', 'supported'), j('nchan', 'supported')] })).toBe('the same on feedbench, nchan');
    expect(serverAgreement({ byServer: [j('feedbench', 'supported'), j('nchan', 'not-supported')] })).toBe('depends on the server');
    expect(serverAgreement({ byServer: [j('feedbench', 'supported'), j('node-http', 'supported'), j('nchan', 'not-measured')] })).toBe('the same on feedbench, node-http (not measured on nchan)');
    expect(serverAgreement({ byServer: [j('feedbench', 'supported'), j('nchan', 'not-measured')] })).toBe('measured on feedbench only (not measured on nchan)');
  });
});
