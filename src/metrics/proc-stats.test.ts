import { createServer, connect, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { establishedOnPorts } from './proc-stats.ts';

/** A loopback server with `n` clients connected and accepted; its port and how to end it all. */
async function serverWith(n: number): Promise<{ port: number; close(): void }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const accepted: Socket[] = [];
  server.on('connection', (s) => accepted.push(s));
  const clients = Array.from({ length: n }, () => connect(port, '127.0.0.1'));
  await Promise.all(clients.map((c) => new Promise((resolve) => c.once('connect', resolve))));
  while (accepted.length < n) await new Promise((resolve) => setTimeout(resolve, 5));
  return {
    port,
    close: () => {
      for (const c of clients) c.destroy();
      server.close();
    },
  };
}

describe('establishedOnPorts', () => {
  it("counts the established connections each port accepted, not its listener nor another port's", async () => {
    // Two servers of this test's own: any other port may be another test's, with its own clients.
    const [seven, two] = await Promise.all([serverWith(7), serverWith(2)]);
    try {
      // The accepted side only: the clients' ends are on ports of their own.
      expect(await establishedOnPorts([seven.port])).toBe(7);
      expect(await establishedOnPorts([two.port])).toBe(2);
      expect(await establishedOnPorts([seven.port, two.port])).toBe(9);
    } finally {
      seven.close();
      two.close();
    }
  });
});
