import { describe, expect, it } from 'vitest';
import { erroredCell, latency, okCell, reportOf, syntheticRun } from '../../../test/helpers/synthetic-results.ts';
import { reportCells } from '../report-cells.ts';
import { referenceCostCurves } from '../servers.ts';
import { costCurveSection } from './cost-curve-section.ts';
import type { CostCurve } from '../../results/index.ts';
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

  it("sets each server's knee side by side, and keeps the guide's curves and the charts to the reference server's", () => {
    const knee = (at: number, next: number) => ({ interval: [at, next] as [number, number], at_least: at, unit: 'events/s per server core' as const, reason: 'busy', lower_bound: false });
    const curve = (transport: string, server: CostCurve['server'], at: number): CostCurve => ({
      label: transport, transport, http: '1.1', server, event: transport === 'short-poll' ? 'request' : 'update', p99_target_ms: 50, busy_share: 0.9,
      steps: [], fixed_cpu_ms_per_sec: 10, marginal_cpu_us_per_event: 1e6 / at, memory_per_conn_bytes: null, fit: null, knee: knee(at, at * 1.1),
    });
    const run = { ...syntheticRun([okCell(poll, pollMetrics(1_400)), okCell({ ...poll, server: 'nchan' }, pollMetrics(140))], 'curves'), cost_curves: [curve('short-poll', 'feedbench', 6_000), curve('short-poll', 'nchan', 40_000), curve('sse', 'nchan', 90_000)] };
    const cells = reportCells([run]);
    expect(referenceCostCurves(cells).map((c) => `${c.transport} ${c.server}`)).toEqual(['short-poll feedbench']);
    const html = serversSection(cells, assessClaims(cells));
    expect(html).toContain('<h3>Knees by server</h3>');
    // Short polling was curved on both servers; SSE on nchan alone, so it has no row.
    expect(html).toMatch(/<td>short-poll, HTTP\/1\.1<\/td><td class="n"><span title="busy">6,000<\/span><br><small>166\.7 µs per request<\/small><\/td><td class="n"><span title="busy">40,000<\/span><br>/);
    expect(html).not.toContain('sse, HTTP/1.1');
    // A cost curve's steps are compared by their knees, not step by step.
    expect(html).not.toContain('server-pairs');
    const section = costCurveSection(run.cost_curves, 'feedbench');
    expect(section.html).toContain('<th>server</th>');
    expect(section.html).toContain("The charts draw feedbench's curves");
  });
});
