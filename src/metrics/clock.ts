/**
 * Microseconds on CLOCK_MONOTONIC. `process.hrtime` reads the same clock in every process
 * of one host, so a server's `ts` and a driver's receive time compare directly.
 */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * The system's real-time clock in ms, to the microsecond: what a browser page's
 * `performance.timeOrigin + performance.now()` and a message's wall-clock timestamp are on.
 */
export function nowRealMs(): number {
  return performance.timeOrigin + performance.now();
}
