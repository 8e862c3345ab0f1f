import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Publisher } from '../../feed/publisher.ts';

/**
 * The measurement floor, not a transport under test: each update's JSON and a newline written
 * straight to raw TCP sockets, fed by the same publisher as the four transports. `feedbench
 * selftest` compares WebSocket latency against it to show what the harness itself adds.
 */
export async function startRawTcpFloor(
  publisher: Publisher,
  host: string,
): Promise<{ port: number; close(): void }> {
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => sockets.delete(socket));
  });
  publisher.onPublish((update) => {
    const line = Buffer.from(`${update.json}\n`);
    for (const socket of sockets) socket.write(line);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
