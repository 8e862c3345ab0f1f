/**
 * Field-by-field sums of objects of counters (delivery counts, wire totals): one object of the
 * totals.
 */
export function sumFields<T extends Record<string, number>>(items: readonly T[]): T {
  const total = {} as Record<string, number>;
  for (const item of items)
    for (const [key, value] of Object.entries(item)) total[key] = (total[key] ?? 0) + value;
  return total as T;
}

/**
 * Field-by-field sums where a field may be unknown (null): a sum with an unknown part is unknown.
 */
export function sumKnownFields<T extends Record<string, number | null>>(items: readonly T[]): T {
  const total = {} as Record<string, number | null>;
  for (const item of items) {
    for (const [key, value] of Object.entries(item)) {
      const sofar = key in total ? (total[key] ?? null) : 0;
      total[key] = sofar === null || value === null ? null : sofar + value;
    }
  }
  return total as T;
}
