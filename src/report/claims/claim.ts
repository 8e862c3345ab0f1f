import type { ReportCell } from '../report-cells.ts';
import type { ServerName } from '../../results/index.ts';

/** A verdict computed from the data; never written by hand. */
export type Verdict = 'supported' | 'supported-with-condition' | 'not-supported' | 'not-measured';

/** One claim of the article, judged against a run's cells. */
export interface ClaimAssessment {
  readonly id: string;
  readonly title: string;
  /** The claim in the article's words. */
  readonly articleWords: string;
  /** The experiment that tests it. */
  readonly experiment: string;
  readonly verdict: Verdict;
  /** Why, in one or two sentences with the deciding numbers. */
  readonly because: string;
  /** Key figures, label and formatted value. */
  readonly numbers: readonly (readonly [string, string])[];
  /** Conditions and caveats that the data shows or that the run did not cover. */
  readonly notes: readonly string[];
  /** Keys of ANCHORS to show beside the numbers. */
  readonly anchors: readonly string[];
  /** Ids of the charts that hold the evidence, the one the deciding figure belongs to first. */
  readonly charts: readonly string[];
  /**
   * The same claim judged on each HTTP version's cells alone, side by side (the fields above are
   * HTTP/1.1's, or the only version's); one entry when the run has one version.
   */
  readonly byHttp: readonly HttpJudgement[];
  /**
   * The same claim judged on browser clients' cells, per HTTP version, for the verdict table's
   * client-kind columns; empty when the run has none, or the claim is not judged on them.
   */
  readonly byBrowser: readonly HttpJudgement[];
  /**
   * True when a browser client's figures answer this claim as feedbench's own do; otherwise why
   * not.
   */
  readonly browserJudged: true | string;
  /**
   * The same claim judged on each server's cells alone (over the first HTTP version), when the run
   * has several servers; the fields above are the reference server's. Empty with one server.
   */
  readonly byServer: readonly ServerJudgement[];
  /**
   * The same claim judged on the cells of each network that drops packets alone, per HTTP version,
   * where it could be judged there: whether its verdict holds under loss. Empty without such cells.
   */
  readonly underLoss: readonly LossJudgement[];
}

/** A claim's judgement on the cells of one lossy network and one HTTP version. */
export type LossJudgement = Judgement & { readonly network: string; readonly http: '1.1' | '2' };

/** A claim's judgement on one server's cells. */
export type ServerJudgement = Judgement & { readonly server: ServerName };

/** A claim's judgement on one HTTP version's cells. */
export type HttpJudgement = Judgement & { readonly http: '1.1' | '2' };

/** What judging a claim yields: the verdict and the evidence behind it. */
export type Judgement = Pick<ClaimAssessment, 'verdict' | 'because' | 'numbers' | 'notes'> & {
  /**
   * The cells the verdict was computed from: what the claim's card draws. Absent when it used none.
   */
  readonly used?: readonly ReportCell[];
  /** The deciding figure in a few words, written on the card's first chart. */
  readonly deciding?: string;
};

/**
 * A claim: what it says and how it is tested, and the function that judges it from a run's cells.
 */
export type Claim = Omit<ClaimAssessment, 'verdict' | 'because' | 'numbers' | 'notes' | 'byHttp' | 'byBrowser' | 'browserJudged' | 'byServer' | 'underLoss'> & {
  readonly judge: (cells: readonly ReportCell[]) => Judgement;
  /** Why a browser client's cells cannot judge this claim; absent when they can. */
  readonly notForBrowsers?: string;
};

/** The judgement of a claim the run has no evidence for, saying what it would need. */
export function notMeasured(why: string): Judgement {
  return { verdict: 'not-measured', because: `Not measured in this run: ${why}`, numbers: [], notes: [] };
}
