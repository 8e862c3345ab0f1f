import { readFileSync } from 'node:fs';
import { nowUs } from '../metrics/clock.ts';
import type { Scenario } from './scenario.ts';
import type { ClockEstimate } from '../results/index.ts';
import type { ServerSide } from '../server/server-side.ts';
import type { FeedSettings } from '../server/server-messages.ts';
import { transportsUnderTest } from '../transports/registry.ts';
import {
  http2Support,
  requestTarget,
  type Http2Support,
  targetPort,
  type TargetAddress,
  type TargetAnswer,
} from './target-http.ts';
import { required } from '../metrics/required.ts';

/**
 * A target that cannot be measured: unreachable, or speaking the feed protocol wrongly. The CLI
 * exits 2.
 */
export class TargetError extends Error {}

async function get(target: TargetAddress, path: string): Promise<TargetAnswer> {
  try {
    return await requestTarget(target, path);
  } catch (error) {
    throw new TargetError(`cannot reach ${target.url.origin}${path}: ${(error as Error).message}`);
  }
}

/** A body as an error quotes it: JSON-quoted, its first 200 characters. */
export const excerpt = (body: string) =>
  JSON.stringify(body.length > 200 ? `${body.slice(0, 200)}...` : body);

/**
 * Checks that a target speaks the feed protocol (docs/protocol.md `GET /health`) and serves the
 * transports asked for, saying what was expected and what came back when it does not; and, when
 * HTTP/2 is asked for, finds out what it lacks for it: a target that speaks only HTTP/1.1 is
 * measured over HTTP/1.1, its HTTP/2 cells not applicable with the reason (null: not asked).
 */
export async function probeTarget(
  target: TargetAddress,
  transports: readonly string[],
  httpVersions: readonly string[] = ['1.1'],
): Promise<Http2Support | null> {
  const { url } = target;
  const { status, body } = await get(target, '/health');
  const expected = `expected GET /health to answer 200 {"protocol": 1, "transports": [...]}`;
  if (status !== 200)
    throw new TargetError(`${url.origin}: ${expected}, got ${status} ${excerpt(body)}`);
  let health: { protocol?: unknown; version?: unknown; transports?: unknown };
  try {
    health = JSON.parse(body) as typeof health;
  } catch {
    throw new TargetError(
      `${url.origin}: ${expected}, got a body that is not JSON: ${excerpt(body)}`,
    );
  }
  if (health.protocol !== 1 || !Array.isArray(health.transports))
    throw new TargetError(`${url.origin}: ${expected}, got ${excerpt(body)}`);
  // A version-1 target says no version; 1.x adds edges a version-1 driver need not know.
  if (
    health.version !== undefined &&
    !(typeof health.version === 'string' && /^1(\.\d+)?$/.test(health.version))
  )
    throw new TargetError(
      `${url.origin}: expected "version" in /health to be "1" or "1.<minor>" (or absent), got ${JSON.stringify(health.version)}`,
    );
  const missing = transports.filter((t) => !(health.transports as unknown[]).includes(t));
  if (missing.length > 0)
    throw new TargetError(
      `${url.origin} does not serve ${missing.join(', ')} (its /health lists ${(health.transports as unknown[]).join(', ') || 'none'}; feedbench knows ${transportsUnderTest()
        .map((t) => t.name)
        .join(', ')})`,
    );
  return httpVersions.includes('2') ? http2Support(target) : null;
}

/** A target's answer to one clock question: its now, µs, and which clock that is. */
export interface ClockReading {
  readonly now: number;
  readonly clock: string;
}

/**
 * A clock answer as the feed protocol's `/clock` and a Socket.IO target's `clock` event give it:
 * `now` a number (µs), `clock` its name where said; undefined when `now` is missing.
 */
export function clockReading(answer: unknown): ClockReading | undefined {
  const { now, clock } = (answer ?? {}) as { now?: unknown; clock?: unknown };
  if (typeof now !== 'number') return undefined;
  return { now, clock: typeof clock === 'string' ? clock : 'unknown' };
}

/**
 * NTP-style offset from `samples` questions asked by `ask`: for each exchange, offset = target's
 * now − the midpoint of our send and receive; the exchange with the shortest round trip wins
 * (least queueing), and half its round trip bounds the error.
 */
export async function clockFromExchanges(
  samples: number,
  ask: () => Promise<ClockReading>,
): Promise<ClockEstimate> {
  let best: ClockEstimate | undefined;
  for (let i = 0; i < samples; i++) {
    const t0 = nowUs();
    const answer = await ask();
    const t1 = nowUs();
    const estimate = {
      offset_us: Math.round(answer.now - (t0 + t1) / 2),
      uncertainty_us: Math.round((t1 - t0) / 2),
      clock: answer.clock,
      samples,
    };
    if (!best || estimate.uncertainty_us < best.uncertainty_us) best = estimate;
  }
  return required(best, `a clock estimate from ${samples} exchanges`);
}

/** The target's clock against ours, by `GET /clock` (docs/protocol.md). */
export function estimateClockOffset(target: TargetAddress, samples = 8): Promise<ClockEstimate> {
  return clockFromExchanges(samples, async () => {
    const { status, body } = await get(target, '/clock');
    let answer: unknown;
    try {
      answer = JSON.parse(body);
    } catch {
      answer = undefined;
    }
    const reading = clockReading(answer);
    if (status !== 200 || !reading)
      throw new TargetError(
        `${target.url.origin}: expected GET /clock to answer 200 {"now": <µs>, "clock": "monotonic" | "realtime"}, got ${status} ${excerpt(body)}`,
      );
    return reading;
  });
}

/**
 * Sets a target's feed: true when it took the settings, false when it has no such control (its
 * feed is then measured as it comes).
 */
export type FeedControl = (settings: FeedSettings) => Promise<boolean>;

/** The feed protocol's control: `POST /feed`, which a server without its own publisher 404s. */
function postFeed(target: TargetAddress): FeedControl {
  const { url } = target;
  return async (settings) => {
    const response = await requestTarget(
      target,
      '/feed',
      'POST',
      JSON.stringify({ rate: settings.rate, payloadBytes: settings.payloadBytes }),
    ).catch((error: Error) => {
      throw new TargetError(`cannot reach ${url.origin}/feed: ${error.message}`);
    });
    // docs/protocol.md: a server without its own publisher answers 404, and the feed is measured
    // as it comes.
    if (response.status === 404) return false;
    if (response.status !== 200)
      throw new TargetError(
        `${url.origin}: expected POST /feed to answer 200 or 404, got ${response.status}`,
      );
    return true;
  };
}

/**
 * A server feedbench did not start, measured by URL: no CPU or memory samples (reported as not
 * measured, never as zero), the feed set by `control` (the feed protocol's `POST /feed` unless
 * given) when the target has it (else measured as it comes), and no window range (the drivers take
 * the seqs they saw).
 */
export function externalTarget(
  target: TargetAddress,
  control: FeedControl = postFeed(target),
): ServerSide & { feedControl: () => boolean } {
  let controlled = true;
  return {
    port: targetPort(target.url),
    ownPorts: {},
    cores: undefined,
    sample: () => Promise.resolve(null),
    async feed(settings) {
      controlled = await control(settings);
      return null;
    },
    publishLag: () => Promise.resolve(null),
    windowRange: () => Promise.resolve(undefined),
    feedControl: () => controlled,
  };
}

/**
 * Where a scenario's target is and what to trust there (its `targetCa` file read), or undefined
 * without a target.
 */
export function targetAddress(
  scenario: Pick<Scenario, 'target' | 'targetCa'>,
): TargetAddress | undefined {
  if (!scenario.target) return undefined;
  const url = new URL(scenario.target);
  if (!scenario.targetCa) return { url };
  try {
    return { url, ca: readFileSync(scenario.targetCa, 'utf8') };
  } catch (error) {
    throw new TargetError(
      `targetCa: cannot read ${scenario.targetCa} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}
