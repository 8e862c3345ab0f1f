/** Field-by-field sums of objects of counters (delivery counts, wire totals): one object of the totals. */
export function sumFields<T extends Record<string, number>>(items: readonly T[]): T {
  const total = {} as Record<string, number>;
  for (const item of items) for (const [key, value] of Object.entries(item)) total[key] = (total[key] ?? 0) + value;
  return total as T;
}
