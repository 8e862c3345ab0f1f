import { escapeHtml } from './escape-html.ts';

/**
 * The rows of a table with a figure per row: the first cell names what the rows are about and
 * spans them all; each row then has its figure's label and the cells `cells` gives it.
 */
export function figureRows<Pick>(
  what: string,
  figures: readonly (readonly [string, Pick])[],
  cells: (pick: Pick, row: number) => string,
): string[] {
  return figures.map(
    ([label, pick], i) =>
      `<tr>${i === 0 ? `<td rowspan="${figures.length}">${escapeHtml(what)}</td>` : ''}<td>${escapeHtml(label)}</td>${cells(pick, i)}</tr>`,
  );
}
