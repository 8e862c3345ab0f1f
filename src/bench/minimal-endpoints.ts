/**
 * A child process for `npm run bench:http2`: the smallest `node:http` and `node:http2` (h2c)
 * servers that answer every request with feedbench's empty poll answer, as a scale for what the
 * HTTP layer alone costs per poll on each version. Reports both ports with its readiness.
 */
import { createServer } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import type { AddressInfo, Server } from 'node:net';
import { serveIpc } from '../process/ipc.ts';
import { exitWithParent } from '../process/exit-with-parent.ts';
import { EMPTY_POLL_ANSWER } from './nginx-poll-target.ts';

const ANSWER = EMPTY_POLL_ANSWER;
const HEADERS = { 'content-type': 'application/json', 'content-length': String(ANSWER.length) };
const http1 = createServer((_req, res) => res.writeHead(200, HEADERS).end(ANSWER));
http1.keepAliveTimeout = 60_000;
const http2 = createHttp2Server((_req, res) => res.writeHead(200, HEADERS).end(ANSWER));
const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
exitWithParent(() => {
  http1.close();
  http2.close();
});
const ports = { http1: await listen(http1), http2: await listen(http2) };
serveIpc<Record<string, never>>({}, ports);
