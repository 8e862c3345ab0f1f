/**
 * Microseconds on CLOCK_MONOTONIC. `process.hrtime` reads the same clock in every process
 * of one host, so a server's `ts` and a driver's receive time compare directly.
 */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
