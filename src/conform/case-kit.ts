import {
  exchangeWithTarget,
  type TargetAddress,
  type TargetExchange,
  type TargetRequest,
} from '../run/target-http.ts';

/**
 * A case's verdict: it passed, failed (what was expected, what came, and the request), or does not
 * apply.
 */
export type CaseState = 'pass' | 'fail' | 'not-applicable';

/** One case as it ran. */
export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly state: CaseState;
  readonly expected: string | null;
  readonly got: string | null;
  /** The request that showed it (`GET /poll?since=abc`), for a failure. */
  readonly request: string | null;
  /** Why a case does not apply. */
  readonly reason: string | null;
  readonly ms: number;
}

/** A case's failure: thrown by `expectThat` and turned into its result. */
export class CaseFailure extends Error {
  constructor(
    readonly expected: string,
    readonly got: string,
    readonly request: string,
  ) {
    super(`expected ${expected}, got ${got} (${request})`);
  }
}

/**
 * Thrown by a case that does not apply to this target (a transport it does not serve, an optional
 * endpoint).
 */
export class NotApplicable extends Error {}

/** What every case may use: the target and what was learned of it before the cases ran. */
export interface CaseContext {
  readonly target: TargetAddress;
  /** The transports /health lists. */
  readonly transports: readonly string[];
  /**
   * Whether POST /feed answered (and stopped the target's own publishing): cases about a quiet feed
   * need it.
   */
  readonly feedControl: boolean;
}

/** One numbered rule of the protocol, checked against a target. */
export interface ConformCase {
  readonly id: string;
  readonly title: string;
  /** The transport the case is about; the case does not apply when /health does not list it. */
  readonly transport?: string;
  /** A quick case `run --target` checks before its cells (what a cell of that transport needs). */
  readonly quick?: boolean;
  run(ctx: CaseContext): Promise<void>;
}

/**
 * Fails the case unless `ok`, saying what was expected and what came (`got` is made only on
 * failure).
 */
export function expectThat(
  ok: boolean,
  expected: string,
  got: () => string,
  request: string,
): void {
  if (!ok) throw new CaseFailure(expected, got(), request);
}

/** A short, quoted excerpt of a body for a failure message. */
export const excerpt = (text: string): string =>
  JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}...` : text);

/** An answer with its JSON body parsed (null when it is not JSON) and the request named. */
export interface JsonExchange extends TargetExchange {
  readonly json: unknown;
  readonly request: string;
}

/** Sends a request; a target that cannot be reached fails the case with the cause. */
export async function exchange(
  ctx: CaseContext,
  path: string,
  req: TargetRequest = {},
): Promise<JsonExchange> {
  const request = `${req.method ?? 'GET'} ${path}${req.body === undefined ? '' : ` ${excerpt(req.body)}`}`;
  let answer: TargetExchange;
  try {
    answer = await exchangeWithTarget(ctx.target, path, req);
  } catch (error) {
    throw new CaseFailure('an answer', (error as Error).message, request);
  }
  let json: unknown = null;
  try {
    json = JSON.parse(answer.body);
  } catch {
    // Not JSON: the case says so if it expected JSON.
  }
  return { ...answer, json, request };
}

/** Expects a status and returns the body as an object (failing when it is not a JSON object). */
export function expectJson(answer: JsonExchange, status: number): Record<string, unknown> {
  expectThat(
    answer.status === status,
    `status ${status}`,
    () => `${answer.status} ${excerpt(answer.body)}`,
    answer.request,
  );
  const body = answer.json;
  expectThat(
    typeof body === 'object' && body !== null && !Array.isArray(body),
    'a JSON object',
    () => excerpt(answer.body),
    answer.request,
  );
  return body as Record<string, unknown>;
}

/** Expects an error answer: the status, and the body `{"error": <code>, "message": <sentence>}`. */
export function expectError(answer: JsonExchange, status: number, code?: string): void {
  const body = expectJson(answer, status);
  expectThat(
    typeof body.error === 'string' && typeof body.message === 'string',
    '{"error": "<code>", "message": "<sentence>"}',
    () => excerpt(answer.body),
    answer.request,
  );
  if (code)
    expectThat(
      body.error === code,
      `error ${JSON.stringify(code)}`,
      () => JSON.stringify(body.error),
      answer.request,
    );
}

/** Publishes `data` with POST /publish and returns its seq. */
export async function publish(ctx: CaseContext, data: string): Promise<number> {
  const answer = await exchange(ctx, '/publish', {
    method: 'POST',
    body: JSON.stringify({ data, id: 'conform' }),
    headers: { 'content-type': 'application/json' },
  });
  const body = expectJson(answer, 200);
  expectThat(
    Number.isInteger(body.seq),
    'an integer "seq"',
    () => excerpt(answer.body),
    answer.request,
  );
  return body.seq as number;
}

/** The newest seq the target published (`last` of GET /poll). */
export async function lastSeq(ctx: CaseContext): Promise<number> {
  const answer = await exchange(ctx, '/poll');
  const body = expectJson(answer, 200);
  expectThat(
    Number.isInteger(body.last),
    'an integer "last"',
    () => excerpt(answer.body),
    answer.request,
  );
  return body.last as number;
}

/** A data string no other case sends, to find one's own update. */
export const marker = (caseId: string): string =>
  `conform ${caseId} ${Math.random().toString(36).slice(2, 10)}`;
