import { z } from 'zod';

/**
 * A value or a list of values in a scenario: a list makes that parameter a dimension of the matrix.
 */
export const oneOrMany = <T extends z.ZodType>(item: T, what: string) =>
  z.union([item, z.array(item).min(1)], {
    // A union that matched no branch says only "Invalid input": say what would have been valid.
    error: (issue) =>
      issue.code === 'invalid_union' ? `must be ${what}, or a non-empty list of them` : undefined,
  });

/** An integer from min to max, in a scenario. */
export const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** true, false, or a list of them. */
export const oneOrManyBooleans = () => oneOrMany(z.boolean(), 'true or false');
