/**
 * `value`, or an Error that names what was missing: the checked stand-in for a non-null
 * assertion (`!`), for values the code's own logic guarantees (an index inside its array, a map
 * entry set a line above). Should the guarantee ever break, the message says which one.
 */
export function required<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`internal error: ${what} is missing`);
  return value;
}
