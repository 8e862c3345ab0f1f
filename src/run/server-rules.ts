import { nchanMissing } from '../server/nchan/nchan-side.ts';
import type { CellParams } from '../results/index.ts';

/** A target, and what it speaks: the feed protocol, or Socket.IO (`targetKind`). */
export interface TargetOfCell {
  readonly url: string;
  readonly kind: 'feed' | 'socket.io';
}

/**
 * Why a cell cannot run on its server (docs/servers.md), or null when it can. feedbench's own
 * server and node-http run the same transport code, so every cell of the feed protocol runs on
 * both; a target is a server of its own: a feed-protocol target runs the cells of server
 * "feedbench", a Socket.IO target those of "socket.io", under Socket.IO's rules; nchan and
 * Socket.IO rule out what they do not offer, and what feedbench's set-up of them does not measure.
 */
export function serverReason(params: CellParams, target?: TargetOfCell): string | null {
  if (target && params.server !== (target.kind === 'socket.io' ? 'socket.io' : 'feedbench'))
    return targetReason(params);
  if (params.server === 'socket.io') return socketIoReason(params, target !== undefined);
  // The upgrade from polling is Engine.IO's: no other server has one.
  if (params.ws_upgrade_from_polling)
    return "only Socket.IO starts by long polling and upgrades to WebSocket (Engine.IO's upgrade)";
  if (params.server === 'feedbench' || params.server === 'node-http') return null;
  return nchanMissing() ?? nchanReason(params);
}

/** A cell of another server than the target is, asked of a target. */
function targetReason(params: CellParams): string {
  return `a target is a server feedbench did not start: the server dimension ("${params.server}") applies to servers the run starts (a Socket.IO target is targetKind "socket.io")`;
}

/**
 * What Socket.IO cannot do of a cell, or feedbench's Socket.IO server when `onTarget` is false
 * (a target brings its own TLS and HTTP/2); null when it can.
 */
export function socketIoReason(params: CellParams, onTarget = false): string | null {
  if (params.transport === 'short-poll' || params.transport === 'sse')
    return `Socket.IO offers long polling and WebSocket only: no ${params.transport === 'sse' ? 'Server-Sent Events' : 'short polling'}`;
  if (params.workload !== 'feed')
    return `feedbench's Socket.IO clients receive the feed; they send nothing upstream (workload "${params.workload}")`;
  if (params.client_kind === 'browser')
    return "browser pages speak the feed protocol; Socket.IO's pages need its client library";
  if (params.http === '2' && params.transport === 'websocket')
    return "Engine.IO's WebSocket is an HTTP/1.1 upgrade (no RFC 8441): over HTTP/2, Socket.IO long-polls only";
  if (params.tls && !onTarget) return "feedbench's Socket.IO server listens on plain HTTP only";
  if (params.instances > 1)
    return "scale-out runs several of feedbench's own servers; Socket.IO scales with its adapters, not measured here";
  if (params.slow_consumers)
    return "Socket.IO has no per-connection slow-consumer policy like feedbench's: it buffers per client";
  if (params.origin_check)
    return "Socket.IO checks Origin by its own `cors` option, not the feed protocol's rule";
  if (params.ws_compression)
    return "feedbench's Socket.IO clients offer no permessage-deflate (Socket.IO's default is off)";
  return null;
}

/** What nchan, or feedbench's set-up of it, cannot do of a cell; null when it can run it. */
export function nchanReason(params: CellParams): string | null {
  if (params.workload !== 'feed')
    return `nchan's subscribers only receive: its publishing is not the feed protocol's publish and echo (workload "${params.workload}")`;
  if (params.client_kind === 'browser')
    return "browser pages speak the feed protocol's cursors; nchan's are Last-Modified and Etag";
  if (params.http === '2' && params.transport === 'websocket')
    return 'nginx does not offer WebSocket over HTTP/2 (no RFC 8441 extended CONNECT)';
  if (params.tls) return "feedbench's nchan server listens on plain HTTP only";
  if (params.instances > 1)
    return "scale-out runs several of feedbench's own servers; nchan scales with its own Redis mode, not measured here";
  if (params.slow_consumers)
    return "nchan has no per-connection slow-consumer policy like feedbench's: it buffers per channel";
  if (params.origin_check) return "feedbench's nchan set-up checks no Origin";
  if (params.ws_compression)
    return "feedbench's nchan set-up offers no permessage-deflate (nchan_websocket_deflate is off)";
  if (params.sse_drop_every_ms)
    return "the reconnect experiment ends streams from inside feedbench's server; nchan has no such switch";
  return null;
}
