/** Events a log keeps before it stops (a page at 1,000 updates/s for 10 minutes fits). */
const MAX_EVENTS = 1_000_000;

/**
 * Bytes counted by someone else (a browser's DevTools), each at the time it was counted on the
 * monotonic clock, so that a span can be summed afterwards: the counts arrive late and in lumps,
 * but their timestamps say when the bytes moved. Bounded: past MAX_EVENTS it stops and says so.
 */
export class TimedByteLog {
  readonly #atUs: number[] = [];
  readonly #down: number[] = [];
  readonly #up: number[] = [];
  #overflowed = false;

  /** Records bytes received (`down`) and sent (`up`) at `atUs`. */
  add(atUs: number, down: number, up: number): void {
    if (this.#atUs.length >= MAX_EVENTS) {
      this.#overflowed = true;
      return;
    }
    this.#atUs.push(atUs);
    this.#down.push(down);
    this.#up.push(up);
  }

  /** Bytes counted at times in [fromUs, toUs); null once the log has overflowed. */
  between(fromUs: number, toUs: number): { down: number; up: number } | null {
    if (this.#overflowed) return null;
    let down = 0;
    let up = 0;
    this.#atUs.forEach((t, i) => {
      if (t < fromUs || t >= toUs) return;
      down += this.#down[i] ?? 0;
      up += this.#up[i] ?? 0;
    });
    return { down, up };
  }
}
