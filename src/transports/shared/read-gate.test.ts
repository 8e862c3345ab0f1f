import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ReadGate, type GateClock } from './read-gate.ts';

/** A clock whose timers fire only when the test moves it on. */
function manualClock(): GateClock & { advance(ms: number): void } {
  let now = 0;
  const timers: { at: number; callback: () => void }[] = [];
  return {
    nowMs: () => now,
    after: (ms, callback) => void timers.push({ at: now + ms, callback }),
    advance(ms) {
      now += ms;
      for (const t of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.callback();
      }
    },
  };
}

class FakeSocket extends EventEmitter {
  paused = false;
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  read(bytes: number) {
    this.emit('data', Buffer.alloc(bytes));
  }
}

describe('ReadGate', () => {
  it('holds a socket to its rate: paused after reading ahead of it, resumed when the rate catches up', () => {
    const clock = manualClock();
    const gate = new ReadGate({ bytesPerSec: 1000 }, clock);
    const socket = new FakeSocket();
    gate.attach(socket);
    socket.read(500); // 0.5 s worth, read at once
    expect(socket.paused).toBe(true);
    clock.advance(499);
    expect(socket.paused).toBe(true);
    clock.advance(1);
    expect(socket.paused).toBe(false);
  });

  it('a pause holds every socket, one opened during it too', () => {
    const clock = manualClock();
    const gate = new ReadGate({ pause: { afterMs: 0, forMs: 2000 } }, clock);
    const before = new FakeSocket();
    gate.attach(before);
    gate.pauseFor(2000);
    const during = new FakeSocket();
    gate.attach(during);
    expect([before.paused, during.paused]).toEqual([true, true]);
    clock.advance(2000);
    expect([before.paused, during.paused]).toEqual([false, false]);
  });

  it('the end of a pause leaves a socket that is still waiting out its rate paused', () => {
    const clock = manualClock();
    const gate = new ReadGate({ bytesPerSec: 1000 }, clock);
    const socket = new FakeSocket();
    gate.attach(socket);
    socket.read(5000); // 5 s worth
    gate.pauseFor(1000);
    clock.advance(1000);
    expect(socket.paused).toBe(true);
    clock.advance(4000);
    expect(socket.paused).toBe(false);
  });

  it('forgets a closed socket', () => {
    const clock = manualClock();
    const gate = new ReadGate({}, clock);
    const socket = new FakeSocket();
    gate.attach(socket);
    socket.emit('close');
    gate.pauseFor(10);
    expect(socket.paused).toBe(false);
  });
});
