import { describe, expect, it } from 'vitest';
import { CellRecorder } from './cell-recorder.ts';

/** A recorder whose window holds updates 1-10 (ts 1..10 µs), with `clients` clients. */
function recorder(clients: number) {
  const r = new CellRecorder();
  r.setWindow(1, 11);
  const c = Array.from({ length: clients }, () => r.forClient());
  const deliver = (client: number, seqs: number[]) => {
    for (const seq of seqs) c[client]!.update(seq, seq, 10, 100);
  };
  return { r, c, deliver };
}

describe('who the drain waits for past its grace', () => {
  it('a client short of the last update that had updates and then failed: it may be coming back', () => {
    const { r, c, deliver } = recorder(2);
    deliver(0, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    deliver(1, [1, 2, 3]);
    expect(r.comingBack(10)).toBe(false);
    c[1]!.error('the server closed the WebSocket (1006 )');
    expect(r.comingBack(10)).toBe(true);
    deliver(1, [4, 5, 6, 7, 8, 9, 10]);
    expect(r.comingBack(10)).toBe(false);
    expect(r.allReached(10)).toBe(true);
  });

  it('not a client that never received anything (a page refused by CORS), however often it failed', () => {
    const { r, c, deliver } = recorder(2);
    deliver(0, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    c[1]!.error('fetch: blocked by CORS');
    c[1]!.error('fetch: blocked by CORS');
    expect(r.allReached(10)).toBe(false);
    expect(r.comingBack(10)).toBe(false);
  });
});
