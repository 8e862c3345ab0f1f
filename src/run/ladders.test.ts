import { describe, expect, it } from 'vitest';
import { erroredCell, okCell } from '../../test/helpers/synthetic-results.ts';
import type { CellResult } from '../results/index.ts';
import { ladderApplies } from './ladders.ts';

const notApplicable = (reason: string) =>
  ({
    ...erroredCell({ transport: 'sse', server: 'socket.io' }, reason),
    state: 'not-applicable',
    reason,
  }) as CellResult;

describe('a ladder that measured nothing', () => {
  it('reports no curve when every step was not applicable, and one when any step ran', () => {
    const none = new Map([
      ['1.1', notApplicable('Socket.IO offers long polling and WebSocket only')],
    ]);
    expect(ladderApplies({ cells: none })).toBe(false);
    const failed = new Map([['1.1', erroredCell({ transport: 'sse' }, 'no client could connect')]]);
    expect(ladderApplies({ cells: failed })).toBe(true);
    expect(ladderApplies({ cells: new Map([['1.1', okCell({ transport: 'sse' })]]) })).toBe(true);
  });
});
