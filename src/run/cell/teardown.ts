import { stopChild, type ChildTracker, type StartedChild } from '../../process/children.ts';

type Stoppable = Pick<StartedChild<never>, 'process'>;

/**
 * Everything a cell started, ended in one place whatever happened (success, error, time-out):
 * clean-ups first (they may still talk to a child), then every child process, each at most once.
 */
export class Teardown implements ChildTracker {
  readonly #children: Stoppable[] = [];
  readonly #cleanups: (() => Promise<void>)[] = [];
  /** Children lent for the cell: given back when it finished, stopped otherwise. */
  readonly #lent: { child: Stoppable; giveBack: () => Promise<void> }[] = [];
  #ran = false;

  /**
   * A child to stop at the end. One that comes after the end (a cell timed out while its rig was
   * still starting it) is stopped at once, so nothing started late outlives the cell.
   */
  child<T extends Stoppable>(child: T): T {
    if (this.#ran) void stopChild(child);
    else this.#children.push(child);
    return child;
  }

  /**
   * A child lent for the cell (a pooled driver): `giveBack` returns it when the cell finished;
   * after a failure or a time-out it is stopped like any other.
   */
  lend<T extends Stoppable>(child: T, giveBack: () => Promise<void>): T {
    if (this.#ran) void stopChild(child);
    else this.#lent.push({ child, giveBack });
    return child;
  }

  /** True once the teardown has run: whatever is still starting belongs to a cell that ended. */
  get ran(): boolean {
    return this.#ran;
  }

  /** Work to do before the children are stopped (deleting a feed's keys from Redis, say). */
  cleanup(work: () => Promise<void>): void {
    if (this.#ran) void work().catch(() => {});
    else this.#cleanups.push(work);
  }

  /**
   * Runs every clean-up (their failures ignored: the children must still be stopped), then stops
   * every child; lent children go back when `finished`, and are stopped otherwise.
   */
  async run(finished = false): Promise<void> {
    this.#ran = true;
    const cleanups = this.#cleanups.splice(0);
    await Promise.all(cleanups.map((work) => work().catch(() => {})));
    const lent = this.#lent.splice(0);
    const stopped = [...this.#children.splice(0), ...(finished ? [] : lent.map((l) => l.child))];
    await Promise.all([
      ...stopped.map((child) => stopChild(child)),
      ...(finished ? lent.map((l) => l.giveBack()) : []),
    ]);
  }
}
