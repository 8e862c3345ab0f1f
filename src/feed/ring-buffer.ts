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
  /** True when a bound cut the answer short: more retained updates follow the last one given. */
  readonly more: boolean;
}

/** The most one read of the ring returns (a poll answer): whichever bound is reached first. */
export interface ReadBounds {
  readonly maxUpdates: number;
  /** Encoded bytes (`json` length); the first update is always given, however large. */
  readonly maxBytes: number;
}

const UNBOUNDED: ReadBounds = { maxUpdates: Infinity, maxBytes: Infinity };

/**
 * A bounded history of published updates that answers "everything after cursor N". It keeps at
 * most `capacity` updates and at most `maxBytes` of their encodings (the oldest go first), so
 * large payloads cannot grow it past a known size. Sequence numbers are dense (1, 2, 3, ...), so
 * slot = seq % capacity and lookups are O(1); each slot also knows the bytes published through
 * it, so the bytes between two cursors (a push client's lag) cost O(1) too.
 */
export class UpdateRing {
  readonly #slots: (EncodedUpdate | undefined)[];
  /** Bytes of every update published through each slot's seq (a running total). */
  readonly #bytesThrough: number[];
  #last = 0;
  #first = 1;
  #retainedBytes = 0;

  /**
   * @param capacity how many of the newest updates are retained.
   * @param maxBytes how many bytes of encoded updates are retained (the newest is always kept).
   */
  constructor(
    readonly capacity: number,
    readonly maxBytes = Infinity,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    if (!(maxBytes > 0)) throw new RangeError(`ring bytes must be positive, got ${maxBytes}`);
    this.#slots = new Array<EncodedUpdate | undefined>(capacity);
    this.#bytesThrough = new Array<number>(capacity).fill(0);
  }

  /** The newest sequence number published (0 when none). */
  get last(): number {
    return this.#last;
  }

  /** The oldest sequence number still retained (last + 1 when empty). */
  get first(): number {
    return this.#first;
  }

  /** Encoded bytes of the updates retained now. */
  get retainedBytes(): number {
    return this.#retainedBytes;
  }

  /**
   * Makes an empty ring continue a feed that began elsewhere: the next update pushed is
   * `last + 1` (a server instance joining a shared history whose oldest updates were trimmed).
   */
  continueAfter(last: number): void {
    if (this.#last !== 0) throw new RangeError('only an empty ring can continue another feed');
    this.#last = last;
    this.#first = last + 1;
  }

  /** Appends the next update; its seq must be exactly last + 1. The oldest go past either bound. */
  push(update: EncodedUpdate): void {
    if (update.seq !== this.#last + 1)
      throw new RangeError(`expected seq ${this.#last + 1}, got ${update.seq}`);
    if (update.seq - this.#first >= this.capacity) this.#dropOldest();
    const slot = update.seq % this.capacity;
    const before =
      this.#last === 0 || this.#first > this.#last ? 0 : this.#bytesThroughAt(this.#last);
    this.#slots[slot] = update;
    this.#bytesThrough[slot] = before + update.json.length;
    this.#last = update.seq;
    this.#retainedBytes += update.json.length;
    while (this.#retainedBytes > this.maxBytes && this.#first < this.#last) this.#dropOldest();
  }

  #dropOldest(): void {
    const slot = this.#first % this.capacity;
    this.#retainedBytes -= this.#slotOf(this.#first).json.length;
    this.#slots[slot] = undefined;
    this.#first++;
  }

  /** The update in the slot of a seq the ring retains (a missing one is a bug of the ring). */
  #slotOf(seq: number): EncodedUpdate {
    const update = this.#slots[seq % this.capacity];
    if (update === undefined)
      throw new Error(`internal error: update ${seq} is missing from the ring`);
    return update;
  }

  /** Bytes of every update pushed up to a retained seq, kept per slot (starts at 0). */
  #bytesThroughAt(seq: number): number {
    return this.#bytesThrough[seq % this.capacity] ?? 0;
  }

  /** The retained update with this seq, if any. */
  get(seq: number): EncodedUpdate | undefined {
    if (seq < this.#first || seq > this.#last) return undefined;
    return this.#slots[seq % this.capacity];
  }

  /**
   * Encoded bytes of the retained updates after `cursor` (what a client at that cursor has yet to
   * get, as far as the history still holds it).
   */
  bytesAfter(cursor: number): number {
    if (cursor >= this.#last) return 0;
    const newest = this.#bytesThroughAt(this.#last);
    if (cursor < this.#first) return this.#retainedBytes;
    return newest - this.#bytesThroughAt(cursor);
  }

  /**
   * The retained updates with seq > cursor, in order, up to `bounds` (`more` says some were left
   * for the next read), and a gap when some were dropped. A cursor ahead of `last` (a client
   * from a previous server life) gets nothing and no gap.
   */
  since(cursor: number, bounds: ReadBounds = UNBOUNDED): SinceResult {
    const last = this.#last;
    if (cursor >= last) return { updates: [], last, more: false };
    const first = this.#first;
    const start = Math.max(cursor + 1, first);
    const updates: EncodedUpdate[] = [];
    let bytes = 0;
    let seq = start;
    for (; seq <= last && updates.length < bounds.maxUpdates; seq++) {
      const update = this.#slotOf(seq);
      if (updates.length > 0 && bytes + update.json.length > bounds.maxBytes) break;
      bytes += update.json.length;
      updates.push(update);
    }
    const more = seq <= last;
    if (cursor + 1 < first)
      return { updates, last, gap: { from: cursor + 1, to: first - 1 }, more };
    return { updates, last, more };
  }
}

/**
 * The first and last seq of the retained updates whose `ts` lies in [fromUs, toUs), or
 * undefined when there are none. Scans back from the newest, since windows end near it.
 */
export function seqRangeInWindow(
  ring: UpdateRing,
  fromUs: number,
  toUs: number,
): { first: number; last: number } | undefined {
  let first = 0;
  let last = 0;
  for (let seq = ring.last; seq >= ring.first; seq--) {
    // Every seq from first to last is retained.
    const ts = ring.get(seq)?.ts ?? -Infinity;
    if (ts < fromUs) break;
    if (ts >= toUs) continue;
    if (last === 0) last = seq;
    first = seq;
  }
  return last === 0 ? undefined : { first, last };
}
