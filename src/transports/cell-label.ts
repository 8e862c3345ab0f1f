import type { CellParams } from '../results/index.ts';
import { findTransport } from './registry.ts';

/** A short human label for a cell, for progress lines, tables and charts. */
export function cellLabel(p: CellParams): string {
  const transport = findTransport(p.transport);
  // An echo over HTTP is a POST whatever transport the cell names: say so.
  const name =
    p.workload === 'echo' && transport?.upstream === 'http-post' ? 'HTTP POST' : p.transport;
  const parts: string[] = [name, `${p.clients}c`, `${p.rate_per_s}/s`, `${p.payload_bytes}B`];
  if (p.workload !== 'feed') parts.unshift(p.workload);
  parts.push(...(transport?.labelParts(p) ?? []));
  if (p.keep_alive === false) parts.push('no-keepalive');
  if (p.ws_compression) parts.push('deflate');
  if (p.header_profile !== 'minimal') parts.push(p.header_profile);
  // Another server than feedbench's own is named: `on node-http`.
  if (p.server !== 'feedbench') parts.push(`on ${p.server}`);
  if (p.network !== 'loopback') parts.push(p.network);
  if (p.tls) parts.push('tls');
  // h2 over TLS, h2c without; "x10/conn" when clients share connections.
  if (p.http === '2')
    parts.push(
      `${p.tls ? 'h2' : 'h2c'}${p.h2_clients_per_connection && p.h2_clients_per_connection > 1 ? ` x${p.h2_clients_per_connection}/conn` : ''}`,
    );
  if (p.http === '3') parts.push('h3');
  if (p.front_proxy) parts.push(`via ${p.front_proxy}`);
  if (p.burst) parts.push(`bursts of ${p.burst.size}`);
  if (p.origin_check) parts.push('origin-checked');
  if (p.page_origin === 'other') parts.push('page of another origin');
  if (p.client_kind === 'browser')
    parts.push(
      p.browser_tabs && p.browser_tabs > 1
        ? `in Chromium, ${p.browser_tabs} tabs per browser`
        : 'in Chromium',
    );
  if (p.instances > 1) parts.push(`${p.instances} instances`);
  if (p.failover_at_ms !== null) parts.push(`kill at ${p.failover_at_ms / 1000}s`);
  if (p.slow_consumers)
    parts.push(
      `+${p.slow_consumers.clients} slow${p.slow_consumers.policy ? ` (${p.slow_consumers.policy})` : ''}`,
    );
  return parts.join(' ');
}
