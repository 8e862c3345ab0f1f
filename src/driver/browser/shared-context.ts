import type { BrowserContext } from 'playwright-core';

/**
 * One browser context shared by several browser clients, as tabs of one browser share its
 * connections (over HTTP/1.1 at most 6 per origin, over HTTP/2 one). The first to ask opens it,
 * the last to let go closes it.
 */
export class SharedBrowserContext {
  #context: Promise<BrowserContext> | undefined;
  #users = 0;

  /** The shared context, opened by `open` at the first call, with one more user. */
  async acquire(open: () => Promise<BrowserContext>): Promise<BrowserContext> {
    this.#context ??= open();
    const context = await this.#context;
    this.#users++;
    return context;
  }

  /** One user fewer; the last one closes the context. */
  release(): void {
    this.#users = Math.max(0, this.#users - 1);
    if (this.#users > 0) return;
    const context = this.#context;
    this.#context = undefined;
    void context?.then((c) => c.close(), () => {});
  }
}
