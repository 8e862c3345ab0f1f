import { caddyMissing } from '../netem/caddy-front.ts';
import type { CellParams } from '../results/index.ts';
import { profileOfCell } from './cell-network.ts';
import type { Scenario } from './scenario.ts';

/**
 * Why a cell over HTTP/3, or through caddy, cannot run here, or null when it can. HTTP/3 reaches
 * feedbench's feed only through caddy, and only from Chromium's pages.
 */
export function frontProxyReason(
  p: CellParams,
  { target, agents }: Partial<Pick<Scenario, 'target' | 'agents'>>,
): string | null {
  if (p.http === '3') {
    if (p.client_kind !== 'browser')
      return "Node 20 has no QUIC: HTTP/3 clients are Chromium's pages (clientKind: browser)";
    if (!p.tls) return 'HTTP/3 runs over QUIC, which is always encrypted: it needs tls: true';
    if (p.transport === 'websocket')
      return 'Chromium does not open WebSocket over HTTP/3 (RFC 9220): it uses HTTP/1.1 or HTTP/2 for them';
  }
  if (p.front_proxy !== 'caddy') return null;
  if (target) return 'caddy is started in front of the server the run starts: not a target';
  if (agents !== undefined) return "on agents, no caddy: it runs beside the run's own server";
  if (p.server !== 'feedbench' && p.server !== 'node-http')
    return `caddy runs in front of feedbench's own servers (feedbench, node-http), not ${p.server}`;
  if (p.instances > 1) return 'caddy stands in front of one server, not of a scale-out';
  if (p.client_kind !== 'browser')
    return "through caddy, the clients are Chromium's pages (clientKind: browser)";
  if (!p.tls) return 'caddy serves HTTPS only here (its HTTP/2 and HTTP/3 need TLS): tls: true';
  if (p.transport === 'websocket')
    return 'through caddy 2.6, a WebSocket is an HTTP/1.1 upgrade of its own (no RFC 8441), whatever the page speaks';
  if (p.page_origin === 'other') return "through caddy, the page is of the feed's own origin";
  const profile = profileOfCell(p);
  if (profile && (profile.rttMs > 0 || profile.jitterMs || profile.bandwidthBps))
    return "caddy's HTTP/3 is UDP, which the delay proxy (TCP) cannot carry: through caddy, a network may drop packets but not delay them (rttMs 0, no jitter or bandwidth)";
  return caddyMissing();
}
