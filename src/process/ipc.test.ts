import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC_TIMEOUT_MS, IpcClient } from './ipc.ts';

type Proto = { add: { request: { a: number; b: number }; reply: number } };

/** A child process as far as IpcClient sees one: messages in, sends out, an exit. */
class FakeChild extends EventEmitter {
  connected = true;
  /** A channel closing under a send, as when the child dies with a request on its way. */
  failSends = false;
  readonly sent: { id: number; kind: string; payload: unknown }[] = [];
  send(
    message: { id: number; kind: string; payload: unknown },
    callback?: (error: Error | null) => void,
  ): boolean {
    this.sent.push(message);
    setImmediate(() => callback?.(this.failSends ? new Error('channel closed') : null));
    return true;
  }
}

function pair() {
  const child = new FakeChild();
  return { child, client: new IpcClient<Proto>(child as unknown as ChildProcess, 'adder') };
}

afterEach(() => vi.useRealTimers());

describe('IPC from a parent to its child', () => {
  it('matches replies to requests by id, whatever order they come in', async () => {
    const { child, client } = pair();
    const first = client.request('add', { a: 1, b: 2 });
    const second = client.request('add', { a: 3, b: 4 });
    const [one, two] = child.sent;
    child.emit('message', { id: two!.id, reply: 7 });
    child.emit('message', { id: one!.id, reply: 3 });
    expect(await Promise.all([first, second])).toEqual([3, 7]);
  });

  it("rejects with the child's error, named", async () => {
    const { child, client } = pair();
    const answer = client.request('add', { a: 1, b: 2 });
    child.emit('message', { id: child.sent[0]!.id, error: 'no handler for add' });
    await expect(answer).rejects.toThrow('adder: no handler for add');
  });

  it('rejects what is pending when the child exits, and refuses when it is gone', async () => {
    const { child, client } = pair();
    const answer = client.request('add', { a: 1, b: 2 });
    child.emit('exit', null, 'SIGKILL');
    await expect(answer).rejects.toThrow('adder exited (SIGKILL)');
    child.connected = false;
    await expect(client.request('add', { a: 1, b: 2 })).rejects.toThrow('adder is not running');
  });

  it('gives up after the time limit', async () => {
    vi.useFakeTimers();
    const { client } = pair();
    const answer = client.request('add', { a: 1, b: 2 });
    const seen = expect(answer).rejects.toThrow(
      `adder did not answer add within ${IPC_TIMEOUT_MS} ms`,
    );
    await vi.advanceTimersByTimeAsync(IPC_TIMEOUT_MS);
    await seen;
  });

  it('rejects a request whose send fails, and an error on the channel rejects what is pending, without throwing', async () => {
    const { child, client } = pair();
    child.failSends = true;
    await expect(client.request('add', { a: 1, b: 2 })).rejects.toThrow(
      'adder: could not send add (channel closed)',
    );
    child.failSends = false;
    const pending = client.request('add', { a: 1, b: 2 });
    child.emit('error', new Error('write EPIPE'));
    await expect(pending).rejects.toThrow('adder: write EPIPE');
  });
});
