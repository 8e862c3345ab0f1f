import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInstalled } from '../src/process/external-program.ts';
import { stopChild } from '../src/process/children.ts';
import { startRedis, type RedisTarget } from '../src/scaleout/redis-server.ts';
import { RedisBackplane, feedKeys } from '../src/scaleout/redis-backplane.ts';

(isInstalled('redis-server') ? describe : describe.skip)('RedisBackplane', () => {
  let redis: RedisTarget;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    if (redis.program) await stopChild(redis.program.keeper);
  });

  it('gives concurrent writers distinct seqs, and every follower gets every update in seq order from the start', async () => {
    const keys = feedKeys(`test-${process.pid}`);
    const writers = [
      new RedisBackplane(redis.url, keys, 1000),
      new RedisBackplane(redis.url, keys, 1000),
    ];
    await Promise.all(writers.map((w) => w.connect()));
    const seqs = await Promise.all(
      Array.from({ length: 40 }, (_, i) => writers[i % 2]!.publish(`m${i}`, 1000 + i)),
    );
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const follower = new RedisBackplane(redis.url, keys, 1000);
    await follower.connect();
    const got: { seq: number; ts: number; data: string }[] = [];
    follower.follow(
      (u) => got.push(u),
      (e) => {
        throw e;
      },
    );
    await writers[0]!.publish('late', 5000);
    const deadline = Date.now() + 5000;
    while (got.length < 41 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(got.map((u) => u.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(got.at(-1)).toEqual({ seq: 41, ts: 5000, data: 'late' });
    expect(await follower.redisCpuUs()).toBeGreaterThan(0);
    await follower.deleteFeed();
    for (const b of [...writers, follower]) b.close();
  });

  it('says clearly when Redis cannot be reached', async () => {
    const nowhere = new RedisBackplane('redis://127.0.0.1:1', feedKeys('x'), 10);
    await expect(nowhere.connect()).rejects.toThrow(/cannot reach Redis at redis:\/\/127.0.0.1:1/);
  });
});
