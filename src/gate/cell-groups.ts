import type { CellParams, CellResult, OkCell } from '../results/index.ts';
import { median } from '../stats/percentile.ts';

/** One cell's repetitions in a run, matched by their parameters. */
export type Group = { params: CellParams; cells: CellResult[] };

/** A group's cells that measured. */
export const okCells = (g: Group | undefined) =>
  (g?.cells ?? []).filter((c): c is OkCell => c.state === 'ok');
/** The sum of a figure over cells. */
export const sum = (cells: OkCell[], f: (c: OkCell) => number) =>
  cells.reduce((s, c) => s + f(c), 0);
/** The median of a figure over the cells that have it; null when none has. */
export const medianOf = (cells: OkCell[], f: (c: OkCell) => number | null | undefined) => {
  const xs = cells.map(f).filter((x): x is number => typeof x === 'number');
  return xs.length > 0 ? median(xs) : null;
};

/** Per repetition: the cell's figure and its raw TCP reference's in the same repetition. */
export function inRunPairs(
  cells: OkCell[],
  reference: Group | undefined,
  figure: (c: OkCell) => number | null | undefined,
): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (const c of cells) {
    const ref = okCells(reference).find((r) => r.params.repetition === c.params.repetition);
    const a = figure(c);
    const b = ref ? figure(ref) : null;
    if (typeof a === 'number' && typeof b === 'number') pairs.push([a, b]);
  }
  return pairs;
}

/** Per repetition: the cell's figure divided by its raw TCP reference's in the same repetition. */
export const inRunRatios = (...args: Parameters<typeof inRunPairs>) =>
  inRunPairs(...args)
    .filter(([, b]) => b > 0)
    .map(([a, b]) => a / b);

/** Per repetition: the cell's figure minus its raw TCP reference's in the same repetition. */
export const inRunDifferences = (...args: Parameters<typeof inRunPairs>) =>
  inRunPairs(...args).map(([a, b]) => a - b);
