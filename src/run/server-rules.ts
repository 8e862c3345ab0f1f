import { nchanMissing } from '../server/nchan/nchan-side.ts';
import type { CellParams } from '../results/index.ts';

/**
 * Why a cell cannot run on its server (docs/servers.md), or null when it can. feedbench's own
 * server and node-http run the same transport code, so every cell runs on both; a target is a
 * server of its own, so it leaves the dimension out; nchan rules out what it does not offer, and
 * what feedbench's nchan set-up does not measure.
 */
export function serverReason(params: CellParams, target: string | undefined): string | null {
  if (params.server === 'feedbench') return null;
  if (target)
    return `a target is a server feedbench did not start: the server dimension ("${params.server}") applies to servers the run starts`;
  if (params.server === 'node-http') return null;
  return nchanMissing() ?? nchanReason(params);
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
