/**
 * Figures as people read them, one way everywhere (tables, cards, progress lines): the unit in
 * the text, and `missing` where a figure was not measured; and as results files store them.
 */

type Figure = number | null | undefined;

/** µs as milliseconds: two decimals below 10 ms, one above (`1.25 ms`, `48.3 ms`). */
export function formatMs(
  us: Figure,
  { unit = true, missing = '-' }: { unit?: boolean; missing?: string } = {},
): string {
  if (us === null || us === undefined) return missing;
  return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)}${unit ? ' ms' : ''}`;
}

/** Bytes, one decimal below 20 (`13.5 B`, `294 B`). */
export function formatBytes(x: Figure, missing = '-'): string {
  return x === null || x === undefined ? missing : `${x.toFixed(x < 20 ? 1 : 0)} B`;
}

/**
 * A share as a whole percentage (`35%`); below 1 %, to two decimals (`0.19%`), so that a share
 * that is small but not nothing never reads as `0%`.
 */
export function formatPercent(share: Figure, missing = '-'): string {
  if (share === null || share === undefined) return missing;
  const percent = share * 100;
  return `${percent.toFixed(percent > 0 && percent < 1 ? 2 : 0)}%`;
}

/** A number to `digits` decimals. */
export function formatFixed(x: Figure, digits = 2, missing = '-'): string {
  return x === null || x === undefined ? missing : x.toFixed(digits);
}

/** Bytes as KiB, one decimal, no unit (table columns name it). */
export function formatKib(bytes: Figure, missing = '-'): string {
  return bytes === null || bytes === undefined ? missing : (bytes / 1024).toFixed(1);
}

/** A figure rounded to `digits` decimals, as results files store it. */
export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
