/** Gaps wider than this are counted, not remembered seq by seq (bounds memory on a huge gap). */
const MAX_REMEMBERED_HOLES = 100_000;

/** What one arrival was, from its sequence number. */
export type Arrival = 'new' | 'reordered' | 'duplicate';

/**
 * Exactly-once, in-order accounting for one client from sequence numbers alone: each seq is
 * new (first arrival, in order), reordered (first arrival, but after a later seq) or a
 * duplicate (seen before). O(1) per in-order arrival; holes are remembered until filled.
 */
export class DeliveryTracker {
  /** Distinct seqs received. */
  delivered = 0;
  /** Arrivals of a seq already received. */
  duplicated = 0;
  /** First arrivals of a seq after a higher seq had arrived. */
  reordered = 0;
  #lowest = Infinity;
  #highest = -Infinity;
  readonly #holes = new Set<number>();
  #forgottenHoles = 0;

  /** The lowest seq received so far (Infinity before any). */
  get lowest(): number {
    return this.#lowest;
  }

  /** The highest seq received so far (-Infinity before any). */
  get highest(): number {
    return this.#highest;
  }

  /** Records one arrival and says what it was. */
  record(seq: number): Arrival {
    if (this.delivered === 0) {
      this.#lowest = this.#highest = seq;
      this.delivered = 1;
      return 'new';
    }
    if (seq === this.#highest + 1) {
      this.#highest = seq;
      this.delivered++;
      return 'new';
    }
    if (seq > this.#highest) {
      this.#remember(this.#highest + 1, seq - 1);
      this.#highest = seq;
      this.delivered++;
      return 'new';
    }
    if (seq < this.#lowest) {
      this.#remember(seq + 1, this.#lowest - 1);
      this.#lowest = seq;
      this.delivered++;
      this.reordered++;
      return 'reordered';
    }
    if (this.#holes.delete(seq)) {
      this.delivered++;
      this.reordered++;
      return 'reordered';
    }
    this.duplicated++;
    return 'duplicate';
  }

  /** Holes too wide to remember: arrivals inside them would be miscounted as duplicates. */
  get forgottenHoles(): number {
    return this.#forgottenHoles;
  }

  #remember(from: number, to: number): void {
    if (to < from) return;
    if (to - from + 1 + this.#holes.size > MAX_REMEMBERED_HOLES) {
      this.#forgottenHoles += to - from + 1;
      return;
    }
    for (let s = from; s <= to; s++) this.#holes.add(s);
  }
}
