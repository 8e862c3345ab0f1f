/**
 * Stalls: gaps between one client's deliveries longer than a threshold (a few update intervals),
 * which a lost packet makes by holding back everything behind it until it is sent again. Clients
 * are taken in groups (the clients of one shared HTTP/2 connection, or as many consecutive clients
 * on connections of their own). A stall shared by a whole connection ends for all its clients
 * at once, when the lost segment arrives: stalls of one group that end within SHARED_END_US of
 * each other are shared. Stalls that merely overlap are not enough: at a few percent loss,
 * independent stalls of a few hundred ms overlap by chance.
 */

/** Stall intervals kept per driver for the shared count; past it, stalls are only counted. */
const MAX_KEPT_STALLS = 20_000;
/** Stalls of one group that end this close together are one stall, shared, µs. */
export const SHARED_END_US = 10_000;

/** What a driver found, for one cell. */
export interface StallCounts {
  /** Gaps between deliveries longer than this are stalls, µs. */
  readonly threshold_us: number;
  readonly count: number;
  readonly longest_us: number;
  /** Clients that had at least one stall. */
  readonly clients: number;
  /** Clients per group for `shared`. */
  readonly group_size: number;
  /** Stalls that ended within SHARED_END_US of a stall of another client of their group. */
  readonly shared: number;
  /** Stalls that were compared (all, up to MAX_KEPT_STALLS per driver). */
  readonly compared: number;
}

interface Stall {
  readonly group: number;
  readonly client: number;
  readonly toUs: number;
}

/** Tracks the gaps between each client's first arrivals of the window's updates. */
export class StallTracker {
  readonly #lastUs: number[] = [];
  readonly #stalls: Stall[] = [];
  readonly #stalledClients = new Set<number>();
  #count = 0;
  #longestUs = 0;

  /**
   * @param thresholdUs a gap longer than this is a stall
   * @param groupSize clients per group, by their index in this driver
   */
  constructor(
    readonly thresholdUs: number,
    readonly groupSize: number,
  ) {}

  /** Client `client` (index in this driver) received a new update at `recvUs`. */
  arrival(client: number, recvUs: number): void {
    const last = this.#lastUs[client];
    this.#lastUs[client] = recvUs;
    if (last === undefined || recvUs - last <= this.thresholdUs) return;
    this.#count++;
    this.#longestUs = Math.max(this.#longestUs, recvUs - last);
    this.#stalledClients.add(client);
    if (this.#stalls.length < MAX_KEPT_STALLS)
      this.#stalls.push({
        group: Math.floor(client / this.groupSize),
        client,
        toUs: recvUs,
      });
  }

  /** The counts so far. */
  counts(): StallCounts {
    return {
      threshold_us: this.thresholdUs,
      count: this.#count,
      longest_us: this.#longestUs,
      clients: this.#stalledClients.size,
      group_size: this.groupSize,
      shared: shared(this.#stalls),
      compared: this.#stalls.length,
    };
  }
}

/** Stalls that end within SHARED_END_US of a stall of another client of the same group. */
function shared(stalls: readonly Stall[]): number {
  const byGroup = new Map<number, Stall[]>();
  for (const s of stalls) {
    const group = byGroup.get(s.group);
    if (group) group.push(s);
    else byGroup.set(s.group, [s]);
  }
  let count = 0;
  for (const group of byGroup.values())
    for (const s of group)
      if (group.some((o) => o.client !== s.client && Math.abs(o.toUs - s.toUs) <= SHARED_END_US))
        count++;
  return count;
}

/** Sums the counts of several drivers of one cell (the longest is the longest of all). */
export function mergeStallCounts(parts: readonly StallCounts[]): StallCounts | null {
  const [first] = parts;
  if (!first) return null;
  const sum = (pick: (c: StallCounts) => number) => parts.reduce((s, c) => s + pick(c), 0);
  return {
    threshold_us: first.threshold_us,
    count: sum((c) => c.count),
    longest_us: Math.max(...parts.map((c) => c.longest_us)),
    clients: sum((c) => c.clients),
    group_size: first.group_size,
    shared: sum((c) => c.shared),
    compared: sum((c) => c.compared),
  };
}
