import { createServer as createHttp1Server } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http2Connection } from './http2-connection.ts';

/** The client connection preface every HTTP/2 connection starts with (RFC 9113, section 3.4). */
const PREFACE_BYTES = 24;
const HEADERS = 0x1;

/**
 * Frame types a raw TCP server saw from the client after its preface, the server never sending a
 * byte (no SETTINGS).
 */
function silentServer(seen: number[]): Promise<Server> {
  const server = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    let offset = PREFACE_BYTES;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= offset + 9) {
        const length = buffered.readUIntBE(offset, 3);
        seen.push(buffered[offset + 3]!);
        offset += 9 + length;
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

describe('an HTTP/2 client connection', () => {
  it("sends its first request right behind the preface, as a browser does, without waiting for the server's SETTINGS", async () => {
    const seen: number[] = [];
    const server = await silentServer(seen);
    servers.push(server);
    const connection = await Http2Connection.open({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
    });
    connection.request({ ':path': '/poll' }, undefined, { onEnd: () => {}, onError: () => {} });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toContain(HEADERS);
    connection.close();
  });

  it('fails its requests with a sentence when the server does not speak HTTP/2, and so does waiting for its SETTINGS', async () => {
    const server = createHttp1Server((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    servers.push(server);
    const target = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
    const connection = await Http2Connection.open(target);
    const failed = await new Promise<Error>((resolve) =>
      connection.request({ ':path': '/poll' }, undefined, { onEnd: () => {}, onError: resolve }),
    );
    expect(failed.message).toMatch(/did not answer as HTTP\/2 \(h2c with prior knowledge\)/);
    await expect(Http2Connection.openSettled(target)).rejects.toThrow(/did not answer as HTTP\/2/);
  });
});
