import { describe, expect, it } from 'vitest';
import { sumFields } from './sum-fields.ts';

describe('sumFields', () => {
  it('adds counters field by field', () => {
    expect(
      sumFields([
        { lost: 1, delivered: 10 },
        { lost: 0, delivered: 5 },
        { lost: 2, delivered: 0 },
      ]),
    ).toEqual({ lost: 3, delivered: 15 });
  });
  it('gives an empty object for no items', () => {
    expect(sumFields([])).toEqual({});
  });
});
