import { afterEach, describe, expect, it } from 'vitest';
import { startSocketIoApp, type SocketIoApp } from '../../test/helpers/socketio-app.ts';
import { TargetError } from './external-target.ts';
import {
  checkSocketIoTarget,
  openSocketIoControl,
  probeSocketIoTarget,
} from './socketio-target.ts';
import { createServer } from 'node:http';

describe('a Socket.IO target', () => {
  let app: SocketIoApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it("learns the target's clock by acknowledged `clock` events and sets its feed by `feed`", async () => {
    app = await startSocketIoApp();
    const target = { url: new URL(app.url) };
    await probeSocketIoTarget(target);
    const control = await openSocketIoControl(target);
    try {
      const clock = await control.clock(4);
      expect(clock).toMatchObject({ clock: 'realtime', samples: 4 });
      // The app's wall clock against this process's monotonic one: epoch µs minus uptime µs.
      const expectedUs =
        (performance.timeOrigin + performance.now()) * 1000 -
        Number(process.hrtime.bigint() / 1000n);
      expect(Math.abs(clock.offset_us - expectedUs)).toBeLessThan(clock.uncertainty_us + 5_000);
      expect(await control.feed({ rate: 50, payloadBytes: 16 })).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(app.emitted).toBeGreaterThan(0);
      expect(await control.feed({ rate: 0, payloadBytes: 0 })).toBe(true);
    } finally {
      control.close();
    }
  });

  it('says the feed is not controlled when `feed` is not acknowledged, and asks only once', async () => {
    app = await startSocketIoApp({ clock: true, feed: false });
    const control = await openSocketIoControl({ url: new URL(app.url) });
    try {
      const first = Date.now();
      expect(await control.feed({ rate: 10, payloadBytes: 16 })).toBe(false);
      expect(Date.now() - first).toBeGreaterThanOrEqual(1_900);
      const second = Date.now();
      expect(await control.feed({ rate: 0, payloadBytes: 0 })).toBe(false);
      // Not asked again: no second wait for an acknowledgement.
      expect(Date.now() - second).toBeLessThan(1_000);
    } finally {
      control.close();
    }
  });

  it('refuses a target without a `clock` handler, saying the handler to add', async () => {
    app = await startSocketIoApp({ clock: false, feed: true });
    const error = await checkSocketIoTarget({ url: new URL(app.url) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as Error).message).toMatch(
      /did not acknowledge the `clock` event within 2000 ms.*socket\.on\('clock'/,
    );
  });

  it('refuses a server that is not Socket.IO, saying what its handshake answered', async () => {
    // A server that answers every path but its own with 404, as a feed-protocol server does.
    const server = createServer((_req, res) => res.writeHead(404).end('not found'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const error = await probeSocketIoTarget({ url: new URL(`http://127.0.0.1:${port}`) }).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message).toMatch(
        /is not a Socket.IO 4 server: expected GET \/socket.io\/\?EIO=4&transport=polling to answer 200 with Engine.IO 4's open packet .*, got 404 "not found"/,
      );
    } finally {
      server.close();
    }
  });
});
