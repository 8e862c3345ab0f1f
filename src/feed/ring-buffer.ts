import type { EncodedUpdate } from './update.ts';

/** The updates a cursor has missed because the buffer moved on: `from` to `to` inclusive. */
export interface Gap {
  readonly from: number;
  readonly to: number;
}

/** What a cursor gets from the ring: the retained updates after it, and the gap if any. */
export interface SinceResult {
  readonly updates: readonly EncodedUpdate[];
  /** The newest sequence number published so far (0 when none). */
  readonly last: number;
  /** Present when updates after the cursor are no longer retained. */
  readonly gap?: Gap;
}

/**
 * A bounded history of published updates that answers "everything after cursor N".
 * Sequence numbers are dense (1, 2, 3, ...), so slot = seq % capacity and lookups are O(1).
 */
export class UpdateRing {
  readonly #slots: (EncodedUpdate | undefined)[];
  #last = 0;

  /** @param capacity how many of the newest updates are retained. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.#slots = new Array(capacity);
  }

  /** The newest sequence number published (0 when none). */
  get last(): number {
    return this.#last;
  }

  /** The oldest sequence number still retained (last + 1 when empty). */
  get first(): number {
    return Math.max(1, this.#last - this.capacity + 1);
  }

  /**
   * Makes an empty ring continue a feed that began elsewhere: the next update pushed is
   * `last + 1` (a server instance joining a shared history whose oldest updates were trimmed).
   */
  continueAfter(last: number): void {
    if (this.#last !== 0) throw new RangeError('only an empty ring can continue another feed');
    this.#last = last;
  }

  /** Appends the next update; its seq must be exactly last + 1. */
  push(update: EncodedUpdate): void {
    if (update.seq !== this.#last + 1) throw new RangeError(`expected seq ${this.#last + 1}, got ${update.seq}`);
    this.#slots[update.seq % this.capacity] = update;
    this.#last = update.seq;
  }

  /** The retained update with this seq, if any. */
  get(seq: number): EncodedUpdate | undefined {
    if (seq < this.first || seq > this.#last) return undefined;
    return this.#slots[seq % this.capacity];
  }

  /**
   * Every retained update with seq > cursor, in order, and a gap when some were dropped.
   * A cursor ahead of `last` (a client from a previous server life) gets nothing and no gap.
   */
  since(cursor: number): SinceResult {
    const last = this.#last;
    if (cursor >= last) return { updates: [], last };
    const first = this.first;
    const start = Math.max(cursor + 1, first);
    const updates: EncodedUpdate[] = new Array(last - start + 1);
    for (let seq = start; seq <= last; seq++) updates[seq - start] = this.#slots[seq % this.capacity]!;
    if (cursor + 1 < first) return { updates, last, gap: { from: cursor + 1, to: first - 1 } };
    return { updates, last };
  }
}

/**
 * The first and last seq of the retained updates whose `ts` lies in [fromUs, toUs), or
 * undefined when there are none. Scans back from the newest, since windows end near it.
 */
export function seqRangeInWindow(ring: UpdateRing, fromUs: number, toUs: number): { first: number; last: number } | undefined {
  let first = 0;
  let last = 0;
  for (let seq = ring.last; seq >= ring.first; seq--) {
    const ts = ring.get(seq)!.ts;
    if (ts < fromUs) break;
    if (ts >= toUs) continue;
    if (last === 0) last = seq;
    first = seq;
  }
  return last === 0 ? undefined : { first, last };
}
