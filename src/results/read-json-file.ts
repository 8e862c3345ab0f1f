import { readFileSync } from 'node:fs';

/**
 * Reads a JSON file for a validator: its parsed content, or the one problem that stopped it, in
 * the validators' `field: what is wrong` form (`(file): cannot read it (ENOENT)`).
 * @param cutShortHint added to a parse error where a file may have been cut short (results files)
 */
export function readJsonFile(path: string, cutShortHint = ''): { json: unknown } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { problem: `(file): cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `(file): not valid JSON${cutShortHint} (${(error as Error).message})` };
  }
}
