import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let served: Promise<string> | undefined;

/**
 * Another origin on this machine: a plain HTTP server of the driver's own on a free loopback port,
 * answering every path with an empty page. A page loaded from it is a page of another origin than
 * the feed's (another port), fetched over the network, so Chromium knows its address space.
 */
export function otherOrigin(): Promise<string> {
  served ??= new Promise((resolve, reject) => {
    const server = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>another origin</title>'),
    );
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
  return served;
}
