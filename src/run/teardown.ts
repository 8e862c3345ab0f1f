import { stopChild, type ChildTracker, type StartedChild } from '../process/children.ts';

type Stoppable = Pick<StartedChild<never>, 'process'>;

/**
 * Everything a cell started, ended in one place whatever happened (success, error, time-out):
 * clean-ups first (they may still talk to a child), then every child process, each at most once.
 */
export class Teardown implements ChildTracker {
  readonly #children: Stoppable[] = [];
  readonly #cleanups: (() => Promise<void>)[] = [];

  /** A child to stop at the end. */
  child<T extends Stoppable>(child: T): T {
    this.#children.push(child);
    return child;
  }

  /** Work to do before the children are stopped (deleting a feed's keys from Redis, say). */
  cleanup(work: () => Promise<void>): void {
    this.#cleanups.push(work);
  }

  /** Runs every clean-up (their failures ignored: the children must still be stopped), then stops every child. */
  async run(): Promise<void> {
    const cleanups = this.#cleanups.splice(0);
    await Promise.all(cleanups.map((work) => work().catch(() => {})));
    const children = this.#children.splice(0);
    await Promise.all(children.map((child) => stopChild(child)));
  }
}
