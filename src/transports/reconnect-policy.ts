/**
 * How a push client (SSE, WebSocket) comes back after its connection drops, as client libraries
 * do: exponential backoff with full jitter (a random wait between 0 and min(max, initial x
 * 2^attempt)), so that the clients of a dead instance do not all reconnect in the same
 * millisecond. The attempt count resets once a connection is up again.
 */
export interface ReconnectPolicy {
  /** Upper bound of the first wait, ms. */
  readonly initialDelayMs: number;
  /** The waits' ceiling, ms. */
  readonly maxDelayMs: number;
  /** Attempts before the client gives up and reports an error. */
  readonly maxAttempts: number;
}

/** feedbench's policy: first retry within 100 ms, doubling to at most 5 s, 20 attempts. */
export const DEFAULT_RECONNECT: ReconnectPolicy = { initialDelayMs: 100, maxDelayMs: 5_000, maxAttempts: 20 };

/** The wait before reconnect attempt `attempt` (0-based), ms. */
export function reconnectDelayMs(policy: ReconnectPolicy, attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt);
}
