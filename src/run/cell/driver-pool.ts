import { stopChild, type StartedChild } from '../../process/children.ts';
import type { DriverProtocol } from '../../driver/driver-messages.ts';

/**
 * How long a driver may take to close its clients and start afresh before it is stopped instead,
 * ms.
 */
const RESET_TIMEOUT_MS = 5_000;

type Driver = StartedChild<DriverProtocol>;

/** The key drivers are matched on: the cores they were asked to run on. */
const coresKey = (cores: readonly number[] | undefined): string => (cores ?? []).join(',');

/**
 * Driver processes kept between the cells of one run. A driver takes most of a second to start
 * on a 2-core machine, a third of a short cell's overhead; a cell that finished gives its drivers
 * back, reset (clients closed, counters and histograms new), and the next cell asking for the
 * same cores takes them (servers are kept apart, in server-pool.ts). A reused driver reports no
 * memory per connection (its heap holds what earlier cells freed).
 */
export class DriverPool {
  readonly #idle: { driver: Driver; key: string }[] = [];

  /** An idle driver started for `cores`, still running, or undefined. */
  take(cores: readonly number[] | undefined): Driver | undefined {
    const key = coresKey(cores);
    const i = this.#idle.findIndex(
      (d) =>
        d.key === key && d.driver.process.exitCode === null && d.driver.process.signalCode === null,
    );
    return i < 0 ? undefined : this.#idle.splice(i, 1)[0]?.driver;
  }

  /**
   * Resets a driver whose cell finished and keeps it for the next; one that does not answer in time
   * is stopped.
   */
  async giveBack(driver: Driver, cores: readonly number[] | undefined): Promise<void> {
    try {
      await driver.ipc.request('reset', null, RESET_TIMEOUT_MS);
      this.#idle.push({ driver, key: coresKey(cores) });
    } catch {
      await stopChild(driver);
    }
  }

  /** Idle drivers kept. */
  get size(): number {
    return this.#idle.length;
  }

  /** Stops every idle driver: the end of the run. */
  async close(): Promise<void> {
    await Promise.all(this.#idle.splice(0).map(({ driver }) => stopChild(driver)));
  }
}
