import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from './delay-proxy.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('delay proxy', () => {
  let proxy: DelayProxy | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await proxy?.close();
    server?.close();
  });

  it('passes bytes through unchanged in both directions, large and small writes', async () => {
    const upload = randomBytes(3 * 1024 * 1024);
    const download = randomBytes(2 * 1024 * 1024 + 17);
    let received = Buffer.alloc(0);
    const serverGot = new Promise<Buffer>((resolve) => {
      server = createServer((s) => {
        const parts: Buffer[] = [];
        s.on('data', (d) => parts.push(d));
        s.on('end', () => resolve(Buffer.concat(parts)));
        // Small writes one byte apart, then one large write.
        for (let i = 0; i < 100; i++) s.write(download.subarray(i, i + 1));
        s.end(download.subarray(100));
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    proxy = await startDelayProxy(
      { rttMs: 10, bandwidthBps: 400e6, jitterMs: 2 },
      { host: '127.0.0.1', port: (server!.address() as AddressInfo).port },
    );
    const client = connect({ host: '127.0.0.1', port: proxy.port });
    const clientDone = new Promise<void>((resolve) => {
      client.on('data', (d: Buffer) => (received = Buffer.concat([received, d])));
      client.on('end', () => resolve());
    });
    for (let i = 0; i < 50; i++) client.write(upload.subarray(i, i + 1));
    client.end(upload.subarray(50));
    const [atServer] = await Promise.all([serverGot, clientDone]);
    expect(sha(atServer)).toBe(sha(upload));
    expect(sha(received)).toBe(sha(download));
  });

  // How close to its setting the proxy's delay lands is a measurement, made by `feedbench
  // calibrate`; here only what cannot depend on a busy machine: it never delivers early.
  it("holds a new connection's first bytes at least one RTT, as a TCP handshake would take", async () => {
    server = createServer((s) => s.on('data', (d) => s.write(d)));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    proxy = await startDelayProxy(
      { rttMs: 30 },
      { host: '127.0.0.1', port: (server.address() as AddressInfo).port },
    );
    const start = performance.now();
    const client = connect({ host: '127.0.0.1', port: proxy.port });
    client.write('x');
    await new Promise((r) => client.once('data', r));
    const firstReplyMs = performance.now() - start;
    client.destroy();
    expect(firstReplyMs).toBeGreaterThanOrEqual(58); // handshake RTT + request RTT, 60 ms
  });
});
