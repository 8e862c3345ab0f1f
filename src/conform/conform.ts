import { toolVersion, type ConformanceFile } from '../results/index.ts';
import { exchangeWithTarget, type TargetAddress } from '../run/target-http.ts';
import {
  CaseFailure,
  NotApplicable,
  type CaseContext,
  type CaseResult,
  type ConformCase,
} from './case-kit.ts';
import { BASIC_CASES } from './cases-basic.ts';
import { STREAM_CASES } from './cases-streams.ts';
import { WEBSOCKET_CASES } from './cases-websocket.ts';
import { HTTP2_CASES } from './cases-http2.ts';
import { GAP_CASES } from './cases-gaps.ts';

/** A case that runs longer than this has hung: it fails, saying so. */
const CASE_TIMEOUT_MS = 20_000;

/** Every case, in the order of their numbers. */
export const ALL_CASES: readonly ConformCase[] = [
  ...BASIC_CASES,
  ...STREAM_CASES,
  ...WEBSOCKET_CASES,
  ...HTTP2_CASES,
  ...GAP_CASES,
].sort((a, b) => {
  const [as = 0, ac = 0] = a.id.split('.').map(Number);
  const [bs = 0, bc = 0] = b.id.split('.').map(Number);
  return as - bs || ac - bc;
});

/**
 * What the cases need to know of a target before they run: the transports it lists, and whether its
 * feed can be stopped.
 */
async function context(target: TargetAddress): Promise<CaseContext> {
  let transports: string[] = [];
  try {
    const health = JSON.parse((await exchangeWithTarget(target, '/health')).body) as {
      transports?: unknown;
    };
    if (Array.isArray(health.transports))
      transports = health.transports.filter((t): t is string => typeof t === 'string');
  } catch {
    // Case 1.1 says what is wrong with /health; the transports' cases then do not apply.
  }
  let feedControl = false;
  try {
    // A quiet feed: the cases about holds and cursors must not race the target's own updates.
    feedControl =
      (
        await exchangeWithTarget(target, '/feed', {
          method: 'POST',
          body: '{"rate":0}',
          headers: { 'content-type': 'application/json' },
        })
      ).status === 200;
  } catch {
    // An unreachable target fails every case on its own.
  }
  return { target, transports, feedControl };
}

/** Runs one case to its result; a case that hangs fails after CASE_TIMEOUT_MS. */
async function runCase(c: ConformCase, ctx: CaseContext): Promise<CaseResult> {
  const base = { id: c.id, title: c.title, expected: null, got: null, request: null, reason: null };
  const startMs = performance.now();
  const ms = () => Math.round(performance.now() - startMs);
  if (c.transport && !ctx.transports.includes(c.transport))
    return {
      ...base,
      state: 'not-applicable',
      reason: `the target does not serve ${c.transport} (its /health lists ${ctx.transports.join(', ') || 'none'})`,
      ms: 0,
    };
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(
        () =>
          reject(
            new CaseFailure(`the case to finish within ${CASE_TIMEOUT_MS} ms`, 'it hung', c.title),
          ),
        CASE_TIMEOUT_MS,
      )),
  );
  try {
    await Promise.race([c.run(ctx), hung]);
    return { ...base, state: 'pass', ms: ms() };
  } catch (error) {
    if (error instanceof NotApplicable)
      return { ...base, state: 'not-applicable', reason: error.message, ms: ms() };
    if (error instanceof CaseFailure)
      return {
        ...base,
        state: 'fail',
        expected: error.expected,
        got: error.got,
        request: error.request,
        ms: ms(),
      };
    return {
      ...base,
      state: 'fail',
      expected: 'the case to run',
      got: `it threw: ${(error as Error).message}`,
      request: c.title,
      ms: ms(),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Which cases to run: all, or the quick ones of some transports (what `run --target` needs). */
export interface ConformSelection {
  readonly quick?: boolean;
  readonly transports?: readonly string[];
}

/**
 * Runs the feed protocol's cases against a target, one after another (they publish and read the
 * same feed), and reports each as it ends. The target's own publishing is stopped when it has
 * POST /feed.
 */
export async function runConformance(
  target: TargetAddress,
  selection: ConformSelection = {},
  onCase: (result: CaseResult) => void = () => {},
): Promise<ConformanceFile> {
  const ctx = await context(target);
  const chosen = ALL_CASES.filter(
    (c) =>
      (!selection.quick || c.quick) &&
      (!selection.transports || !c.transport || selection.transports.includes(c.transport)),
  );
  const cases: CaseResult[] = [];
  for (const c of chosen) {
    const result = await runCase(c, ctx);
    cases.push(result);
    onCase(result);
  }
  const count = (state: CaseResult['state']) => cases.filter((c) => c.state === state).length;
  return {
    kind: 'conformance',
    target: target.url.origin,
    created_at: new Date().toISOString(),
    tool: { version: toolVersion() },
    quick: selection.quick ?? false,
    cases,
    summary: {
      passed: count('pass'),
      failed: count('fail'),
      not_applicable: count('not-applicable'),
    },
  };
}
