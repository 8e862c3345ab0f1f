import { describe, expect, it } from 'vitest';
import { expandCells } from './cells.ts';
import { parseScenarios } from './scenario.ts';
import { nchanReason, serverReason } from './server-rules.ts';
import { notApplicableReason } from './cells.ts';
import { nchanMissing } from '../server/nchan/nchan-side.ts';
import { isInstalled } from '../process/external-program.ts';

/** The cells of a one-server nchan scenario with these fields. */
const nchanCells = (fields: object) =>
  expandCells(
    parseScenarios(
      { name: 's', clients: 10, ratePerSec: 5, payloadBytes: 16, server: 'nchan', ...fields },
      'test',
    )[0]!,
  ).map((c) => c.params);

describe('what nchan cells can run', () => {
  it('runs the four transports over HTTP/1.1, and all but WebSocket over HTTP/2', () => {
    const cells = nchanCells({
      transports: ['short-poll', 'long-poll', 'sse', 'websocket'],
      http: ['1.1', '2'],
    });
    expect(cells.map((p) => `${p.transport} ${p.http}: ${nchanReason(p) ?? 'runs'}`)).toEqual([
      'short-poll 1.1: runs',
      'short-poll 2: runs',
      'long-poll 1.1: runs',
      'long-poll 2: runs',
      'sse 1.1: runs',
      'sse 2: runs',
      'websocket 1.1: runs',
      'websocket 2: nginx does not offer WebSocket over HTTP/2 (no RFC 8441 extended CONNECT)',
    ]);
  });

  it('gives what it cannot do a reason: upstream workloads, browsers, TLS, scale-out', () => {
    const reason = (fields: object) =>
      nchanReason(nchanCells({ transports: ['sse'], ...fields })[0]!);
    expect(reason({ workload: 'echo' })).toMatch(/only receive.*workload "echo"/);
    expect(reason({ clientKind: 'browser', http: '1.1' })).toMatch(/Last-Modified and Etag/);
    expect(reason({ tls: true })).toMatch(/plain HTTP only/);
    expect(reason({ scaleOut: { instances: 2 } })).toMatch(/Redis mode/);
  });

  it('names the Debian package when the module is missing', () => {
    const missing = nchanMissing('/nonexistent/ngx_nchan_module.so');
    if (isInstalled('nginx'))
      expect(missing).toMatch(/install the Debian package libnginx-mod-nchan/);
    else expect(missing).toMatch(/nginx-light and libnginx-mod-nchan/);
  });

  it('runs Socket.IO over long polling (HTTP/1.1 and h2c) and WebSocket (from the start or upgraded, HTTP/1.1 only)', () => {
    const cells = nchanCells({
      server: 'socket.io',
      transports: ['short-poll', 'long-poll', 'sse', 'websocket'],
      http: ['1.1', '2'],
      websocket: { upgradeFromPolling: [false, true] },
    });
    const runs = cells
      .filter((p) => serverReason(p, undefined) === null)
      .map((p) => `${p.transport} ${p.http}${p.ws_upgrade_from_polling ? ' upgraded' : ''}`);
    expect(runs).toEqual([
      'long-poll 1.1',
      'long-poll 2',
      'websocket 1.1',
      'websocket 1.1 upgraded',
    ]);
    const h2WebSocket = cells.find((p) => p.transport === 'websocket' && p.http === '2')!;
    expect(serverReason(h2WebSocket, undefined)).toMatch(/an HTTP\/1.1 upgrade \(no RFC 8441\)/);
    const sse = cells.find((p) => p.transport === 'sse')!;
    expect(serverReason(sse, undefined)).toMatch(
      /long polling and WebSocket only: no Server-Sent Events/,
    );
    const upgradeOnFeedbench = {
      ...cells.find((p) => p.ws_upgrade_from_polling)!,
      server: 'feedbench' as const,
    };
    expect(serverReason(upgradeOnFeedbench, undefined)).toMatch(
      /only Socket.IO starts by long polling/,
    );
  });

  it('runs a Socket.IO target on its own TLS and HTTP/2 (long polling), and no other server against a target', () => {
    const fields = {
      transports: ['long-poll', 'websocket'],
      http: ['1.1', '2'],
      target: 'https://127.0.0.1:3000',
    };
    const onSocketIo = nchanCells({ ...fields, targetKind: 'socket.io' }).map(
      (p) =>
        `${p.server} ${p.transport} ${p.http} tls=${p.tls}: ${serverReason(p, { url: fields.target, kind: 'socket.io' }) ?? 'runs'}`,
    );
    expect(onSocketIo).toEqual([
      'socket.io long-poll 1.1 tls=true: runs',
      'socket.io long-poll 2 tls=true: runs',
      'socket.io websocket 1.1 tls=true: runs',
      "socket.io websocket 2 tls=true: Engine.IO's WebSocket is an HTTP/1.1 upgrade (no RFC 8441): over HTTP/2, Socket.IO long-polls only",
    ]);
    // A feed-protocol target runs the cells of server "feedbench" only.
    const scenario = parseScenarios(
      {
        name: 's',
        clients: 10,
        ratePerSec: 5,
        payloadBytes: 16,
        ...fields,
        server: ['feedbench', 'socket.io'],
      },
      'test',
    )[0]!;
    const reasons = expandCells(scenario)
      .filter((c) => c.params.http === '1.1' && c.params.transport === 'long-poll')
      .map((c) => `${c.params.server}: ${notApplicableReason(c.params, scenario) ?? 'runs'}`);
    expect(reasons).toEqual([
      'feedbench: runs',
      'socket.io: a target is a server feedbench did not start: the server dimension ("socket.io") applies to servers the run starts (a Socket.IO target is targetKind "socket.io")',
    ]);
  });
});
