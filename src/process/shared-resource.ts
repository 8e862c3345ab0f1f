/**
 * One resource several users share (an HTTP/2 connection, a browser context): the first to ask
 * opens it, the last to let go closes it, and one that is no longer usable is opened anew.
 */
export class SharedResource<T> {
  #resource: Promise<T> | undefined;
  #users = 0;

  /** @param close ends the resource when its last user lets go. */
  constructor(private readonly close: (resource: T) => unknown) {}

  /**
   * The shared resource, opened by `open` when there is none or `usable` says it is spent, with one
   * more user.
   */
  async acquire(open: () => Promise<T>, usable: (resource: T) => boolean = () => true): Promise<T> {
    const current = this.#resource && (await this.#resource.catch(() => undefined));
    const pending =
      current === undefined || !usable(current) || !this.#resource ? open() : this.#resource;
    this.#resource = pending;
    const resource = await pending;
    this.#users++;
    return resource;
  }

  /** One user fewer; the last one closes the resource. */
  release(): void {
    this.#users = Math.max(0, this.#users - 1);
    if (this.#users > 0) return;
    const resource = this.#resource;
    this.#resource = undefined;
    void resource?.then(
      (r) => this.close(r),
      () => {},
    );
  }
}
