import { createServer, connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { establishedOnPorts } from './proc-stats.ts';

describe('establishedOnPorts', () => {
  it('counts the established connections a port accepted, not its listener nor other ports', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const accepted: Socket[] = [];
    server.on('connection', (s) => accepted.push(s));
    const clients = Array.from({ length: 7 }, () => connect(port, '127.0.0.1'));
    await Promise.all(clients.map((c) => new Promise((resolve) => c.once('connect', resolve))));
    while (accepted.length < 7) await new Promise((resolve) => setTimeout(resolve, 5));
    try {
      // The accepted side only: the clients' ends are on ports of their own.
      expect(await establishedOnPorts([port])).toBe(7);
      expect(await establishedOnPorts([port === 65535 ? 1 : port + 1])).toBe(0);
    } finally {
      for (const c of clients) c.destroy();
      server.close();
    }
  });
});
