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
export const DEFAULT_RECONNECT: ReconnectPolicy = {
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  maxAttempts: 20,
};

/** The wait before reconnect attempt `attempt` (0-based), ms. */
export function reconnectDelayMs(
  policy: ReconnectPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  return random() * Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt);
}

/**
 * A push client's reconnect loop: reports each drop, then reopens after the policy's backoff
 * until a connection is up again (which resets the attempts) or the attempts run out. Without a
 * policy a drop is only reported.
 */
export class Reconnector {
  #attempt = 0;

  constructor(
    private readonly policy: ReconnectPolicy | undefined,
    private readonly hooks: {
      isClosed(): boolean;
      reopen(): Promise<void>;
      report(message: string): void;
    },
  ) {}

  /** A connection dropped (or a reopen failed). */
  dropped(message: string): void {
    if (this.hooks.isClosed()) return;
    this.hooks.report(message);
    if (!this.policy || this.#attempt >= this.policy.maxAttempts) return;
    setTimeout(
      () => {
        if (this.hooks.isClosed()) return;
        this.hooks.reopen().catch((error: Error) => this.dropped(error.message));
      },
      reconnectDelayMs(this.policy, this.#attempt++),
    );
  }

  /** A connection is up: the next drop starts from the first wait again. */
  connected(): void {
    this.#attempt = 0;
  }
}
