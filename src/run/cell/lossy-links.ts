import { createLossyLink, type LossyLink } from '../../netem/lossy-link.ts';
import { installExitGuards } from '../../process/children.ts';

/**
 * The lossy link of a run, made when its first lossy cell starts and kept for the cells after it
 * (making one takes a few hundred ms of `ip` and `ethtool`); removed when the run ends, or when
 * this process exits however it ends.
 */
export class LossyLinks {
  #link: LossyLink | undefined;
  readonly #onExit = () => this.#link?.remove();

  /** The run's link, made on first use. */
  get(): LossyLink {
    if (this.#link) return this.#link;
    installExitGuards();
    this.#link = createLossyLink();
    process.once('exit', this.#onExit);
    return this.#link;
  }

  /** Removes the link, if one was made. */
  close(): void {
    this.#link?.remove();
    this.#link = undefined;
    process.removeListener('exit', this.#onExit);
  }
}
