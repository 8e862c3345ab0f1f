import { describe, expect, it } from 'vitest';
import { afterArrivals } from './turn-queue.ts';

/** Resolves after the immediates queued so far have run: one turn of the event loop. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('afterArrivals', () => {
  it('runs queued work in order, ten callbacks a turn, so timers and reads come between', async () => {
    const ran: number[] = [];
    for (let i = 0; i < 25; i++) afterArrivals(() => ran.push(i));
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toHaveLength(10);
    await nextTurn();
    expect(ran).toHaveLength(20);
    await nextTurn();
    expect(ran).toEqual([...Array(25).keys()]);
  });

  it('runs work queued by queued work after what was already waiting', async () => {
    const ran: string[] = [];
    afterArrivals(() => {
      ran.push('a');
      afterArrivals(() => ran.push('c'));
    });
    afterArrivals(() => ran.push('b'));
    await nextTurn();
    await nextTurn();
    expect(ran).toEqual(['a', 'b', 'c']);
  });
});
