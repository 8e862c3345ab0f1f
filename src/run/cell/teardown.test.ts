import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Teardown } from './teardown.ts';

/** A child process stand-in that exits when signalled. */
function fakeChild(log: string[], name: string) {
  const emitter = new EventEmitter();
  const process = Object.assign(emitter, {
    exitCode: null as number | null,
    signalCode: null as string | null,
    kill(signal: string) {
      log.push(`${name} ${signal}`);
      process.signalCode = signal;
      setImmediate(() => emitter.emit('exit'));
      return true;
    },
  });
  return { process: process as unknown as ChildProcess };
}

describe("a cell's teardown", () => {
  it('runs every clean-up first, even failing ones, then stops every child once', async () => {
    const log: string[] = [];
    const teardown = new Teardown();
    teardown.child(fakeChild(log, 'server'));
    teardown.cleanup(async () => void log.push('delete feed'));
    teardown.cleanup(async () => {
      log.push('failing clean-up');
      throw new Error('Redis is gone');
    });
    teardown.child(fakeChild(log, 'driver'));
    await teardown.run();
    expect(log).toEqual(['delete feed', 'failing clean-up', 'server SIGTERM', 'driver SIGTERM']);
    await teardown.run();
    expect(log).toHaveLength(4);
  });

  it('stops at once what is started after it ran (a cell timed out while its rig was starting)', async () => {
    const log: string[] = [];
    const teardown = new Teardown();
    teardown.child(fakeChild(log, 'server'));
    await teardown.run();
    teardown.child(fakeChild(log, 'late driver'));
    teardown.cleanup(async () => void log.push('late clean-up'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['server SIGTERM', 'late driver SIGTERM', 'late clean-up']);
  });

  it('gives lent children back when the cell finished, and stops them when it did not', async () => {
    const log: string[] = [];
    const finished = new Teardown();
    finished.child(fakeChild(log, 'server'));
    finished.lend(fakeChild(log, 'driver'), async () => void log.push('driver given back'));
    await finished.run(true);
    expect(log).toEqual(['server SIGTERM', 'driver given back']);

    log.length = 0;
    const failed = new Teardown();
    failed.lend(fakeChild(log, 'driver'), async () => void log.push('driver given back'));
    await failed.run();
    expect(log).toEqual(['driver SIGTERM']);
  });
});
