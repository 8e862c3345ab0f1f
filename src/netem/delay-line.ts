/**
 * One direction of an emulated link: chunks go in, and come out after the one-way delay (plus
 * jitter) and their serialization time at the link's bandwidth, in the order they went in.
 * Chunks are never split or merged here. Pure scheduling: `release` says when; the proxy writes.
 */
export class DelayLine {
  #linkFreeAtUs = 0;
  #lastReleaseUs = 0;

  /**
   * @param delayUs one-way delay.
   * @param bandwidthBps bits per second, or undefined for no cap.
   * @param jitterUs upper bound of extra uniform delay per chunk.
   * @param random injectable for tests.
   */
  constructor(
    private readonly delayUs: number,
    private readonly bandwidthBps: number | undefined,
    private readonly jitterUs = 0,
    private readonly random: () => number = Math.random,
  ) {}

  /** When a chunk of `bytes` that arrives at `nowUs` leaves the far end of the link, µs. */
  release(nowUs: number, bytes: number): number {
    // The link sends one chunk at a time: a chunk waits for the one before it to be on the wire.
    const startUs = Math.max(nowUs, this.#linkFreeAtUs);
    const serializationUs = this.bandwidthBps ? (bytes * 8 * 1e6) / this.bandwidthBps : 0;
    this.#linkFreeAtUs = startUs + serializationUs;
    const jitter = this.jitterUs > 0 ? this.random() * this.jitterUs : 0;
    // Jitter never reorders: TCP would hand the bytes over in order anyway.
    const releaseUs = Math.max(this.#lastReleaseUs, this.#linkFreeAtUs + this.delayUs + jitter);
    this.#lastReleaseUs = releaseUs;
    return releaseUs;
  }
}
