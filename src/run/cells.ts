import type { MeasuredTransport, Workload } from '../driver/driver-messages.ts';
import type { NetworkProfileName } from '../netem/profiles.ts';
import type { Scenario } from './scenario.ts';

/** The parameters of one matrix cell; `null` where a parameter does not apply to the transport. */
export interface CellParams {
  transport: MeasuredTransport;
  /** What the clients do (feed, chat, echo); results written before workloads existed are `feed`. */
  workload: Workload;
  clients: number;
  rate_per_s: number;
  payload_bytes: number;
  header_profile: 'minimal' | 'browser';
  poll_interval_ms: number | null;
  poll_mode: 'fixed-period' | 'sleep-after-response' | null;
  keep_alive: boolean | null;
  long_poll_timeout_ms: number | null;
  ws_compression: boolean | null;
  /** Network profile between driver and server (`loopback`: no proxy). */
  network: NetworkProfileName;
  tls: boolean;
  /** Publishing in bursts, or null for evenly spaced updates. */
  burst: { size: number; gap_ms: number } | null;
  /** Server instances behind one address (1: the classic single server; more share the feed through Redis). */
  instances: number;
  /** The balancer asked for when instances > 1 (`auto` is resolved at run time), else null. */
  balancer: 'auto' | 'haproxy' | 'cluster' | null;
  /** When an instance is killed, ms from the window's start; null when none is. */
  failover_at_ms: number | null;
  /** 1-based repetition of these parameters. */
  repetition: number;
}

/** One cell to run: an id unique in the run, and its parameters. */
export interface Cell {
  readonly id: string;
  readonly params: CellParams;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** A short human label for a cell, for progress lines, tables and charts. */
export function cellLabel(p: CellParams): string {
  // An echo over HTTP is a POST whatever transport the cell names: say so.
  const transport = p.workload === 'echo' && p.transport !== 'websocket' ? 'HTTP POST' : p.transport;
  const parts: string[] = [transport, `${p.clients}c`, `${p.rate_per_s}/s`, `${p.payload_bytes}B`];
  if ((p.workload ?? 'feed') !== 'feed') parts.unshift(p.workload); // files from before workloads have none
  if (p.poll_interval_ms !== null && p.transport === 'short-poll') parts.push(`every ${p.poll_interval_ms}ms`);
  if (p.keep_alive === false) parts.push('no-keepalive');
  if (p.ws_compression) parts.push('deflate');
  if (p.header_profile !== 'minimal') parts.push(p.header_profile);
  if (p.network !== 'loopback') parts.push(p.network);
  if (p.tls) parts.push('tls');
  if (p.burst) parts.push(`bursts of ${p.burst.size}`);
  if ((p.instances ?? 1) > 1) parts.push(`${p.instances} instances`);
  if (p.failover_at_ms !== null && p.failover_at_ms !== undefined) parts.push(`kill at ${p.failover_at_ms / 1000}s`);
  return parts.join(' ');
}

/**
 * Expands a scenario into its matrix of cells: transports x clients x rates x payloads x header
 * profiles x networks x TLS x the transport's own options, each repeated. Repetitions are interleaved (every cell
 * once, then every cell again) so slow drift on a shared machine spreads over all cells alike.
 */
export function expandCells(scenario: Scenario): Cell[] {
  const once: Omit<CellParams, 'repetition'>[] = [];
  for (const transport of scenario.transports) {
    for (const clients of list(scenario.clients))
      for (const rate of list(scenario.ratePerSec))
        for (const payload of list(scenario.payloadBytes))
          for (const headerProfile of list(scenario.headerProfile))
          for (const network of list(scenario.network))
          for (const tls of list(scenario.tls))
          for (const instances of list(scenario.scaleOut.instances)) {
            const base = {
              instances,
              balancer: instances > 1 ? scenario.scaleOut.balancer : null,
              failover_at_ms: instances > 1 && scenario.scaleOut.failover ? scenario.scaleOut.failover.killAtMs : null,
              transport, workload: scenario.workload, clients, rate_per_s: rate, payload_bytes: payload, header_profile: headerProfile,
              poll_interval_ms: null, poll_mode: null, keep_alive: null, long_poll_timeout_ms: null, ws_compression: null,
              network, tls, burst: scenario.burst ? { size: scenario.burst.size, gap_ms: scenario.burst.gapMs } : null,
            };
            if (scenario.workload === 'echo' && transport !== 'websocket') {
              // An echo over HTTP is a POST: only keep-alive matters, not polling.
              const keepAlives = transport === 'short-poll' ? scenario.shortPoll.keepAlive : transport === 'long-poll' ? scenario.longPoll.keepAlive : true;
              for (const keepAlive of list(keepAlives)) once.push({ ...base, keep_alive: keepAlive });
            } else if (transport === 'short-poll') {
              for (const interval of list(scenario.shortPoll.intervalMs))
                for (const keepAlive of list(scenario.shortPoll.keepAlive))
                  once.push({ ...base, poll_interval_ms: interval, poll_mode: scenario.shortPoll.mode, keep_alive: keepAlive });
            } else if (transport === 'long-poll') {
              for (const keepAlive of list(scenario.longPoll.keepAlive))
                once.push({ ...base, keep_alive: keepAlive, long_poll_timeout_ms: scenario.longPoll.timeoutMs });
            } else if (transport === 'websocket') {
              for (const compression of list(scenario.websocket.compression)) once.push({ ...base, ws_compression: compression });
            } else {
              once.push(base);
            }
          }
  }
  if (scenario.rawTcpReference) {
    for (const clients of list(scenario.clients))
      for (const rate of list(scenario.ratePerSec))
        for (const payload of list(scenario.payloadBytes))
          for (const network of list(scenario.network)) {
            once.push({
              transport: 'raw-tcp', workload: 'feed', instances: 1, balancer: null, failover_at_ms: null, clients, rate_per_s: rate, payload_bytes: payload, header_profile: 'minimal',
              poll_interval_ms: null, poll_mode: null, keep_alive: null, long_poll_timeout_ms: null, ws_compression: null,
              network, tls: false, burst: scenario.burst ? { size: scenario.burst.size, gap_ms: scenario.burst.gapMs } : null,
            });
          }
  }
  const cells: Cell[] = [];
  for (let repetition = 1; repetition <= scenario.repetitions; repetition++) {
    once.forEach((params, i) => cells.push({ id: `${i + 1}.${repetition}`, params: { ...params, repetition } }));
  }
  return cells;
}
