import type { UpdateRing } from '../../feed/ring-buffer.ts';
import type { EncodedUpdate } from '../../feed/update.ts';
import type { SlowConsumerLimits } from '../../protocol/feed-protocol.ts';
import { required } from '../../metrics/required.ts';

/** A push connection as its cursor sees it: where frames go and how full the socket is. */
export interface PushSink {
  /** Writes one update; `frame` is its encoding shared by every connection, when at hand. */
  write(update: EncodedUpdate, frame?: Buffer): void;
  /** Writes a gap control message: updates `from`..`to` will not come. */
  writeGap(from: number, to: number): void;
  /** Bytes written but not yet taken by the kernel (the socket's own figure). */
  queuedBytes(): number;
  /** True while the socket asks for no more writes until it drains. */
  full(): boolean;
  /** Calls back once, at the socket's next drain. */
  onceDrained(callback: () => void): void;
  /** Ends the connection as a slow consumer, saying why. */
  disconnect(reason: string): void;
}

/**
 * How long a connection ended as a slow consumer may take to flush its end before it is cut, ms.
 */
export const DISCONNECT_GRACE_MS = 1_000;

/** What the slow-consumer policy did, summed over a server's push connections. */
export interface SlowConsumerCounts {
  /** Connections ended by the `disconnect` policy. */
  disconnects: number;
  /**
   * Times the `skip-to-latest` policy decided to skip a connection ahead (its gap goes out when the
   * socket next drains).
   */
  skips: number;
  /** Updates the gaps sent so far stood for. */
  skippedUpdates: number;
  /** The most one connection had outstanding (socket plus history not yet written), bytes. */
  peakQueuedBytes: number;
}

/** Counts that start at zero. */
export const noSlowConsumerCounts = (): SlowConsumerCounts => ({
  disconnects: 0,
  skips: 0,
  skippedUpdates: 0,
  peakQueuedBytes: 0,
});

/** Several transports' counts as one (the peak is the largest). */
export function sumSlowConsumerCounts(all: readonly SlowConsumerCounts[]): SlowConsumerCounts {
  const sum = noSlowConsumerCounts();
  for (const c of all) {
    sum.disconnects += c.disconnects;
    sum.skips += c.skips;
    sum.skippedUpdates += c.skippedUpdates;
    sum.peakQueuedBytes = Math.max(sum.peakQueuedBytes, c.peakQueuedBytes);
  }
  return sum;
}

/**
 * One push connection (SSE stream, WebSocket) as a cursor into the shared history: updates are
 * written while the socket takes them and read back from the history after it drains, so a
 * connection holds at most about one socket buffer of its own, however slowly its client reads.
 * A connection caught up writes each update as it is published (the shared frame, no copy).
 * Past `maxQueuedBytes` outstanding the policy applies: `disconnect` ends it; `skip-to-latest`
 * drops what it had yet to write, sends a gap message and goes on from the newest update. A
 * cursor older than the history (its updates were dropped) gets a gap as any client does.
 */
export class PushCursor {
  #sent: number;
  #waiting = false;
  #skipping = false;
  #ended = false;

  /** @param since the last seq the client has: the cursor writes from the one after. */
  constructor(
    private readonly ring: UpdateRing,
    private readonly sink: PushSink,
    private readonly limits: SlowConsumerLimits,
    private readonly counts: SlowConsumerCounts,
    since: number,
  ) {
    this.#sent = Math.min(since, ring.last);
    this.#pump();
  }

  /** A new update was published (it is already in the history). */
  published(update: EncodedUpdate, frame?: Buffer): void {
    if (this.#ended) return;
    if (
      !this.#waiting &&
      !this.#skipping &&
      this.#sent === update.seq - 1 &&
      update.seq >= this.ring.first
    ) {
      this.sink.write(update, frame);
      this.#sent = update.seq;
      if (this.sink.full()) this.#waitForDrain();
      return;
    }
    // Skipping already: all of it is skipped at the next drain.
    if (this.#skipping) return;
    const outstanding = this.sink.queuedBytes() + this.ring.bytesAfter(this.#sent);
    if (outstanding > this.counts.peakQueuedBytes) this.counts.peakQueuedBytes = outstanding;
    if (outstanding > this.limits.maxQueuedBytes) this.#overLimit(outstanding);
    else if (!this.#waiting) this.#pump();
  }

  /** Stops writing (the connection closed). */
  end(): void {
    this.#ended = true;
  }

  #overLimit(outstanding: number): void {
    if (this.limits.policy === 'disconnect') {
      this.#ended = true;
      this.counts.disconnects++;
      this.sink.disconnect(
        `slow consumer: ${outstanding} bytes outstanding, over the limit of ${this.limits.maxQueuedBytes}`,
      );
      return;
    }
    // skip-to-latest: what is already on the socket cannot be recalled; everything after it is
    // skipped when the socket next drains, up to the update newest then.
    this.counts.skips++;
    this.#skipping = true;
    if (!this.#waiting) this.#pump();
  }

  /** Writes from the history while the socket takes it; then waits for it to drain. */
  #pump(): void {
    if (this.#ended) return;
    if (this.#skipping) {
      this.#skipping = false;
      const to = this.ring.last - 1;
      if (to > this.#sent) {
        this.counts.skippedUpdates += to - this.#sent;
        this.sink.writeGap(this.#sent + 1, to);
        this.#sent = to;
      }
    }
    while (this.#sent < this.ring.last && !this.sink.full()) {
      const next = this.#sent + 1;
      if (next < this.ring.first) {
        // The history dropped what this connection had yet to get.
        this.sink.writeGap(next, this.ring.first - 1);
        this.#sent = this.ring.first - 1;
        continue;
      }
      this.sink.write(
        required(this.ring.get(next), `update ${next}, between the ring's first and last`),
      );
      this.#sent = next;
    }
    if (this.#sent < this.ring.last || this.sink.full()) this.#waitForDrain();
  }

  #waitForDrain(): void {
    if (this.#waiting) return;
    this.#waiting = true;
    this.sink.onceDrained(() => {
      this.#waiting = false;
      this.#pump();
    });
  }
}
