/**
 * Promises that resolve when a condition holds: whatever changes the state calls `wake`, and each
 * waiter checks its condition then, or gives up after its time-out.
 */
export class Waiters {
  readonly #waiters = new Set<() => void>();

  /** Something changed: every waiter checks its condition. */
  wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Resolves true once `ready` holds, false after `timeoutMs` or once `failed` holds. */
  until(
    ready: () => boolean,
    timeoutMs: number,
    failed: () => boolean = () => false,
  ): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (ready()) finish(true);
        else if (failed()) finish(false);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(value);
      };
      this.#waiters.add(check);
      check();
    });
  }
}
