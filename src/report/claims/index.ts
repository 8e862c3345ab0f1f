import type { ReportCell } from '../report-cells.ts';
import type { ClaimAssessment } from './claim.ts';
import { c1FullDuplex } from './c1-full-duplex.ts';
import { c2ConnectionSetup } from './c2-connection-setup.ts';
import { c3MessageOverhead } from './c3-message-overhead.ts';
import { c4ReactionTime } from './c4-reaction-time.ts';
import { c5ScaleOut } from './c5-scale-out.ts';
import { c6UpdateInterval } from './c6-update-interval.ts';
import { c7Secure } from './c7-secure.ts';
import { c8SlowConsumers } from './c8-slow-consumers.ts';
import { required } from '../../metrics/required.ts';
import { onReferenceServer, serversOf } from '../servers.ts';

export type { ClaimAssessment, HttpJudgement, LossJudgement, ServerJudgement, Verdict } from './claim.ts';

/** The article's claims and ours (docs/claims.md), in the report's order. */
export const CLAIMS = [c1FullDuplex, c2ConnectionSetup, c3MessageOverhead, c4ReactionTime, c5ScaleOut, c6UpdateInterval, c7Secure, c8SlowConsumers] as const;

/** The HTTP versions a report's cells were measured over, HTTP/1.1 first. */
export function httpVersionsOf(cells: readonly ReportCell[]): ('1.1' | '2')[] {
  const versions = new Set(cells.map((c) => c.cell.params.http));
  return (['1.1', '2'] as const).filter((v) => versions.has(v));
}

/**
 * Judges every claim of docs/claims.md against the cells of one report, on the reference server's
 * cells (servers.ts: feedbench's own when present), and on each server's apart when there are
 * several: on each HTTP version's cells apart (the same judge, the same thresholds: neither version's answer is written in), the
 * first version's judgement also standing as the claim's own. A claim's verdict is feedbench's own
 * clients'; where the run has browser clients, the same judge on their cells alone gives the
 * verdict table's browser columns, for the claims whose figures a page carries as they are (a
 * page's set-up time is mostly opening the page, not the transport's).
 */
export function assessClaims(all: readonly ReportCell[]): ClaimAssessment[] {
  const isBrowser = (c: ReportCell) => c.cell.params.client_kind === 'browser';
  const everyServer = all.filter((c) => !isBrowser(c));
  const cells = onReferenceServer(everyServer);
  const pages = onReferenceServer(all.filter(isBrowser));
  const versions = httpVersionsOf(cells);
  if (versions.length === 0) versions.push('1.1');
  const servers = serversOf(everyServer);
  // Networks that drop packets (a loss above 0, or outages): each judged alone.
  const lossy = [...new Set(cells.filter((c) => (c.cell.params.network_profile?.loss_percent ?? 0) > 0 || c.cell.params.network_profile?.outage).map((c) => c.cell.params.network))].sort();
  const onServer = (server: string) => everyServer.filter((c) => c.cell.params.server === server && c.cell.params.http === versions[0]);
  return CLAIMS.map(({ judge, notForBrowsers, ...claim }) => {
    const byHttp = versions.map((http) => ({ http, ...judge(cells.filter((c) => c.cell.params.http === http)) }));
    const byBrowser = notForBrowsers ? [] : httpVersionsOf(pages).map((http) => ({ http, ...judge(pages.filter((c) => c.cell.params.http === http)) }));
    const byServer = servers.length < 2 ? [] : servers.map((server) => ({ server, ...judge(onServer(server)) }));
    const { http: _first, ...primary } = required(byHttp[0], 'the judgement over the first HTTP version');
    const underLoss = lossy.flatMap((network) => versions.map((http) => ({ network, http, ...judge(cells.filter((c) => c.cell.params.network === network && c.cell.params.http === http)) }))).filter((j) => j.verdict !== 'not-measured');
    return { ...claim, ...primary, byHttp, byBrowser, browserJudged: notForBrowsers ?? true, byServer, underLoss };
  });
}
