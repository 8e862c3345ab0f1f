/** The most a cell settles by default, ms: long enough for the slowest transport measured. */
export const DEFAULT_SETTLE_MS = 3_000;

/**
 * A scenario's settle limit: its own `settleMs`, else FEEDBENCH_SETTLE_MS from the environment
 * (the test suite sets 0: tests check behaviour, not CPU, and a settle per fresh server made
 * them 100 s longer), else DEFAULT_SETTLE_MS.
 */
export function settleMsOf(scenario: { readonly settleMs?: number | undefined }): number {
  if (scenario.settleMs !== undefined) return scenario.settleMs;
  const fromEnv = Number(process.env.FEEDBENCH_SETTLE_MS ?? '');
  return process.env.FEEDBENCH_SETTLE_MS && Number.isFinite(fromEnv) && fromEnv >= 0
    ? fromEnv
    : DEFAULT_SETTLE_MS;
}

/**
 * A 2 s span's CPU rate may differ from the steady rate by this share (or by SETTLE_FLOOR_MS_PER_S,
 * whichever is more) and still count as settled.
 */
export const SETTLE_TOLERANCE = 0.15;
/** The tolerance's floor, ms of CPU per s: 1.5% of a core, below what a shared machine's noise is. */
export const SETTLE_FLOOR_MS_PER_S = 15;

/**
 * When a server's CPU rate settled: the start of the first whole second from which the mean of
 * every later 2 s span of `series` (CPU ms per s, one value per `sliceMs`) is within the
 * tolerance of `steady`; null when the last span still was not. Spans of 2 s, sliding by 1 s,
 * because a shorter slice on a shared machine is noisier than the warm-up it looks for.
 */
export function settledAtMs(
  series: readonly number[],
  sliceMs: number,
  steady: number,
): number | null {
  const perSecond = Math.max(1, Math.round(1000 / sliceMs));
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const spans: number[] = [];
  for (let i = 0; i + 2 * perSecond <= series.length; i += perSecond)
    spans.push(mean(series.slice(i, i + 2 * perSecond)));
  const tolerance = Math.max(SETTLE_TOLERANCE * steady, SETTLE_FLOOR_MS_PER_S);
  let lastOff = -1;
  spans.forEach((x, i) => {
    if (Math.abs(x - steady) > tolerance) lastOff = i;
  });
  return lastOff === spans.length - 1 ? null : (lastOff + 1) * 1000;
}

/**
 * Whether a server's CPU rate is steady: the last two slices' rates (ms per s) within the
 * tolerance of each other.
 */
export function isSteady(previous: number, last: number): boolean {
  const tolerance = Math.max(SETTLE_TOLERANCE * Math.max(previous, last), SETTLE_FLOOR_MS_PER_S);
  return Math.abs(last - previous) <= tolerance;
}
