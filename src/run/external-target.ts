import { nowUs } from '../metrics/clock.ts';
import type { ClockEstimate } from '../results/index.ts';
import type { ServerSide } from '../server/server-side.ts';
import { transportsUnderTest } from '../transports/registry.ts';

/** A target that cannot be measured: unreachable, or speaking the feed protocol wrongly. The CLI exits 2. */
export class TargetError extends Error {}

const REQUEST_TIMEOUT_MS = 5_000;

async function get(url: URL, path: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(new URL(path, url), { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new TargetError(`cannot reach ${url.origin}${path}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
}

const excerpt = (body: string) => JSON.stringify(body.length > 200 ? `${body.slice(0, 200)}...` : body);

/**
 * Checks that a target speaks the feed protocol (PROTOCOL.md `GET /health`) and serves the
 * transports asked for; says what was expected and what came back when it does not.
 */
export async function probeTarget(url: URL, transports: readonly string[]): Promise<void> {
  const { status, body } = await get(url, '/health');
  const expected = `expected GET /health to answer 200 {"protocol": 1, "transports": [...]}`;
  if (status !== 200) throw new TargetError(`${url.origin}: ${expected}, got ${status} ${excerpt(body)}`);
  let health: { protocol?: unknown; transports?: unknown };
  try {
    health = JSON.parse(body) as typeof health;
  } catch {
    throw new TargetError(`${url.origin}: ${expected}, got a body that is not JSON: ${excerpt(body)}`);
  }
  if (health.protocol !== 1 || !Array.isArray(health.transports)) throw new TargetError(`${url.origin}: ${expected}, got ${excerpt(body)}`);
  const missing = transports.filter((t) => !(health.transports as unknown[]).includes(t));
  if (missing.length > 0) throw new TargetError(`${url.origin} does not serve ${missing.join(', ')} (its /health lists ${(health.transports as unknown[]).join(', ') || 'none'}; feedbench knows ${transportsUnderTest().map((t) => t.name).join(', ')})`);
}

/**
 * NTP-style offset: for each exchange, offset = target's now − the midpoint of our send and
 * receive; the exchange with the shortest round trip wins (least queueing), and half its round
 * trip bounds the error.
 */
export async function estimateClockOffset(url: URL, samples = 8): Promise<ClockEstimate> {
  let best: ClockEstimate | undefined;
  for (let i = 0; i < samples; i++) {
    const t0 = nowUs();
    const { status, body } = await get(url, '/clock');
    const t1 = nowUs();
    let answer: { now?: unknown; clock?: unknown };
    try {
      answer = JSON.parse(body) as typeof answer;
    } catch {
      answer = {};
    }
    if (status !== 200 || typeof answer.now !== 'number') throw new TargetError(`${url.origin}: expected GET /clock to answer 200 {"now": <µs>, "clock": "monotonic" | "realtime"}, got ${status} ${excerpt(body)}`);
    const estimate = { offset_us: Math.round(answer.now - (t0 + t1) / 2), uncertainty_us: Math.round((t1 - t0) / 2), clock: String(answer.clock ?? 'unknown'), samples };
    if (!best || estimate.uncertainty_us < best.uncertainty_us) best = estimate;
  }
  return best!;
}

/**
 * A server feedbench did not start, measured by URL: no CPU or memory samples (reported as not
 * measured, never as zero), the feed set with `POST /feed` when the target has it (else measured
 * as it comes), and no window range (the drivers take the seqs they saw).
 */
export function externalTarget(url: URL): ServerSide & { feedControl: () => boolean } {
  let controlled = true;
  return {
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    ownPorts: {},
    cores: undefined,
    sample: async () => null,
    async feed(settings) {
      const response = await fetch(new URL('/feed', url), { method: 'POST', body: JSON.stringify({ rate: settings.rate, payloadBytes: settings.payloadBytes }), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).catch((error: Error) => {
        throw new TargetError(`cannot reach ${url.origin}/feed: ${error.message}`);
      });
      await response.text();
      // PROTOCOL.md: a server without its own publisher answers 404, and the feed is measured as it comes.
      if (response.status === 404) controlled = false;
      else if (response.status !== 200) throw new TargetError(`${url.origin}: expected POST /feed to answer 200 or 404, got ${response.status}`);
      return null;
    },
    publishLag: async () => null,
    windowRange: async () => undefined,
    feedControl: () => controlled,
  };
}
