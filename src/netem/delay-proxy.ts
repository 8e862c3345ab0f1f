import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { nowUs } from '../metrics/clock.ts';
import { DelayLine } from './delay-line.ts';
import type { NetworkProfile } from './profiles.ts';

/** Chunks waiting in one direction, released in order by one timer. */
class DirectionQueue {
  readonly #chunks: { releaseUs: number; data: Buffer }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(
    private readonly line: DelayLine,
    private readonly to: Socket,
    private readonly from: Socket,
    private readonly notBeforeUs: number,
    private readonly passThrough: boolean,
  ) {}

  push(data: Buffer): void {
    if (this.passThrough && this.#chunks.length === 0) {
      // No delay, no cap: forward at once, as a plain proxy would (loopback-proxy).
      if (!this.to.write(data)) {
        this.from.pause();
        this.to.once('drain', () => this.from.resume());
      }
      return;
    }
    const now = nowUs();
    const releaseUs = this.line.release(Math.max(now, this.notBeforeUs), data.length);
    this.#chunks.push({ releaseUs, data });
    if (this.#chunks.length === 1) this.#schedule();
  }

  /** The source ended: end the destination once everything queued has gone. */
  end(): void {
    this.#ended = true;
    if (this.#chunks.length === 0) this.to.end();
  }

  close(): void {
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    const head = this.#chunks[0];
    if (!head) return;
    const remainingUs = head.releaseUs - nowUs();
    // Node timers have millisecond granularity on a cached clock: they fire up to ~1 ms early or
    // late. Timers bring the release within a millisecond; setImmediate finishes the rest, so
    // the delay is right to tens of µs at the cost of a short busy wait per release.
    if (remainingUs > 1_000) this.#timer = setTimeout(this.#flush, (remainingUs - 1_000) / 1000);
    else setImmediate(this.#flush);
  }

  #flush = (): void => {
    const now = nowUs();
    for (
      let next = this.#chunks[0];
      next !== undefined && next.releaseUs <= now + 20;
      next = this.#chunks[0]
    ) {
      this.#chunks.shift();
      // Each chunk is written as it came: never split, never merged with its neighbours.
      if (!this.to.write(next.data)) {
        this.from.pause();
        this.to.once('drain', () => this.from.resume());
      }
    }
    if (this.#chunks.length > 0) this.#schedule();
    else if (this.#ended) this.to.end();
  };
}

/** A running proxy: where clients connect, and how to stop it. */
export interface DelayProxy {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy that puts a network profile between its clients and `target`: each direction is
 * delayed by RTT/2 (plus jitter) and capped at the profile's bandwidth, in order, byte for byte.
 * A connection's first bytes towards the server are also held one RTT, standing in for the TCP
 * handshake's round trip that the kernel completes at once on loopback.
 */
export async function startDelayProxy(
  profile: NetworkProfile,
  target: { host: string; port: number },
  listenHost = '127.0.0.1',
): Promise<DelayProxy> {
  const oneWayUs = (profile.rttMs * 1000) / 2;
  const jitterUs = (profile.jitterMs ?? 0) * 1000;
  const sockets = new Set<Socket>();
  // Half-open on both sides: when one peer finishes sending, the bytes still in the delay line
  // must reach the other before its side is ended (DirectionQueue.end), not be cut off.
  const server: Server = createServer({ noDelay: true, allowHalfOpen: true }, (client) => {
    const acceptedUs = nowUs();
    const upstream = connect({
      host: target.host,
      port: target.port,
      noDelay: true,
      allowHalfOpen: true,
    });
    sockets.add(client);
    sockets.add(upstream);
    const passThrough = oneWayUs === 0 && jitterUs === 0 && !profile.bandwidthBps;
    const up = new DirectionQueue(
      new DelayLine(oneWayUs, profile.bandwidthBps, jitterUs),
      upstream,
      client,
      acceptedUs + profile.rttMs * 1000,
      passThrough,
    );
    const down = new DirectionQueue(
      new DelayLine(oneWayUs, profile.bandwidthBps, jitterUs),
      client,
      upstream,
      0,
      passThrough,
    );
    client.on('data', (d: Buffer) => up.push(d));
    upstream.on('data', (d: Buffer) => down.push(d));
    client.on('end', () => up.end());
    upstream.on('end', () => down.end());
    const teardown = () => {
      up.close();
      down.close();
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', teardown);
    upstream.on('error', teardown);
    // A side that ends is ended on the far side once its queued bytes are through
    // (DirectionQueue.end).
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  await new Promise<void>((resolve) =>
    server.listen({ port: 0, host: listenHost, backlog: 4096 }, resolve),
  );
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
