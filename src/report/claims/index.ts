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

export type { ClaimAssessment, Verdict } from './claim.ts';

/** The article's claims and ours (CLAIMS.md), in the report's order. */
export const CLAIMS = [c1FullDuplex, c2ConnectionSetup, c3MessageOverhead, c4ReactionTime, c5ScaleOut, c6UpdateInterval, c7Secure, c8SlowConsumers] as const;

/** Judges every claim of CLAIMS.md against the cells of one report. */
export function assessClaims(cells: readonly ReportCell[]): ClaimAssessment[] {
  return CLAIMS.map(({ judge, ...claim }) => ({ ...claim, ...judge(cells) }));
}
