import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Publisher } from '../feed/publisher.ts';
import { UpdateRing } from '../feed/ring-buffer.ts';
import { nowUs } from '../metrics/clock.ts';
import { LocalBackplane, LocalFeedHub } from './local-backplane.ts';

type Update = { seq: number; ts: number; data: string };

const until = async (ready: () => boolean, what: string) => {
  const deadline = Date.now() + 3_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('the local backplane: K instances share one feed on one host without Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'feedbench-hub-'));
  const closers: (() => void)[] = [];
  afterEach(() => closers.splice(0).forEach((close) => close()));

  async function hubWith(history: number): Promise<{ publisher: Publisher; path: string }> {
    const publisher = new Publisher(new UpdateRing(history), nowUs);
    const hub = new LocalFeedHub(publisher);
    const path = join(dir, `${Math.random().toString(36).slice(2)}.sock`);
    await hub.listen(path);
    closers.push(() => hub.close());
    return { publisher, path };
  }

  async function follower(path: string): Promise<{ link: LocalBackplane; seen: Update[] }> {
    const link = new LocalBackplane(path);
    await link.connect();
    const seen: Update[] = [];
    link.follow(
      (u) => seen.push(u),
      () => {},
    );
    closers.push(() => link.close());
    return { link, seen };
  }

  it("gives every instance the retained history from its start, then each update in seq order; an instance's publish gets the next seq and reaches all", async () => {
    const { publisher, path } = await hubWith(3);
    for (const data of ['a', 'b', 'c', 'd']) publisher.publishNow(data);
    const one = await follower(path);
    const two = await follower(path);
    await until(() => one.seen.length === 3 && two.seen.length === 3, 'the history');
    // A history of 3: seq 1 is gone; any instance answers any cursor the history still holds.
    expect(one.seen.map((u) => `${u.seq}${u.data}`)).toEqual(['2b', '3c', '4d']);
    expect(await two.link.publish('from two')).toBe(5);
    publisher.publishNow('e');
    await until(() => one.seen.length === 5 && two.seen.length === 5, 'the new updates');
    for (const { seen } of [one, two])
      expect(seen.slice(3).map((u) => `${u.seq} ${u.data}`)).toEqual(['5 from two', '6 e']);
    expect(one.seen[3]!.ts).toBeGreaterThan(0);
  });

  it("fails an instance's pending publish, and tells it, when the hub goes", async () => {
    const { path } = await hubWith(10);
    const link = new LocalBackplane(path);
    await link.connect();
    let lost: Error | undefined;
    link.follow(
      () => {},
      (error) => (lost = error),
    );
    closers.splice(0).forEach((close) => close());
    await until(() => lost !== undefined, 'the loss');
    expect(lost!.message).toBe("the shared feed's hub closed the connection");
    await expect(link.publish('late')).rejects.toThrow(/not connected/);
    rmSync(dir, { recursive: true, force: true });
  });
});
