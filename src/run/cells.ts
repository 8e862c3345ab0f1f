import type { CellParams } from '../results/index.ts';
import { frontProxyReason } from './front-proxy-rules.ts';
import { lossReason } from './loss-rules.ts';
import { cellNetwork } from './cell-network.ts';
import { listOf, type TransportParams } from '../transports/descriptor.ts';
import { floorTransport, transportNamed } from '../transports/registry.ts';
import type { Scenario } from './scenario.ts';
import { slowConsumerVariants } from './slow-consumers.ts';
import { serverReason } from './server-rules.ts';

/** One cell to run: an id unique in the run, and its parameters. */
export interface Cell {
  readonly id: string;
  readonly params: CellParams;
}

type Once = Omit<CellParams, 'repetition'>;
type Load = Omit<Once, 'transport' | 'slow_consumers' | keyof TransportParams>;

/**
 * The HTTP versions of a scenario, with HTTP/2's clients per connection (a list makes a cell each).
 */
function httpVariants(
  scenario: Scenario,
): Pick<CellParams, 'http' | 'h2_clients_per_connection'>[] {
  return listOf(scenario.http).flatMap(
    (http): Pick<CellParams, 'http' | 'h2_clients_per_connection'>[] =>
      http === '2'
        ? listOf(scenario.h2ClientsPerConnection).map((k) => ({
            http,
            h2_clients_per_connection: k,
          }))
        : [{ http, h2_clients_per_connection: null }],
  );
}

/**
 * The client kinds of a scenario, with the browser's tabs per browser (a list makes a cell each).
 */
function clientVariants(
  scenario: Scenario,
): Pick<CellParams, 'client_kind' | 'browser_tabs' | 'page_origin' | 'origin_check'>[] {
  type Variant = Pick<CellParams, 'client_kind' | 'browser_tabs' | 'page_origin' | 'origin_check'>;
  const browser = (check: boolean): Variant[] =>
    listOf(scenario.browserTabs).flatMap((tabs) =>
      listOf(scenario.pageOrigin).map((page) => ({
        client_kind: 'browser' as const,
        browser_tabs: tabs,
        page_origin: page,
        origin_check: check,
      })),
    );
  return listOf(scenario.originCheck).flatMap((check): Variant[] =>
    listOf(scenario.clientKind).flatMap((kind): Variant[] =>
      kind === 'browser'
        ? browser(check)
        : [{ client_kind: kind, browser_tabs: null, page_origin: null, origin_check: check }],
    ),
  );
}

/**
 * The servers a scenario's cells run on: its `server` dimension, or for a Socket.IO target
 * (`targetKind`) Socket.IO alone, so its clients speak Socket.IO and its rules apply.
 */
function cellServers(scenario: Scenario): readonly CellParams['server'][] {
  return scenario.target && scenario.targetKind === 'socket.io'
    ? ['socket.io']
    : listOf(scenario.server);
}

/**
 * The front proxies a scenario asks for, over one HTTP version: caddy or none; HTTP/3 reaches the
 * feed only through caddy, whatever the scenario says.
 */
function frontProxies(scenario: Scenario, http: CellParams['http']): CellParams['front_proxy'][] {
  if (http === '3') return ['caddy'];
  return [...new Set(listOf(scenario.frontProxy))].map((f) => (f === 'caddy' ? 'caddy' : null));
}

/** The load and environment of every cell of a scenario, before the transport's own parameters. */
function loads(scenario: Scenario): Load[] {
  const out: Load[] = [];
  for (const clients of listOf(scenario.clients))
    for (const rate of listOf(scenario.ratePerSec))
      for (const payload of listOf(scenario.payloadBytes))
        for (const headerProfile of listOf(scenario.headerProfile))
          for (const network of listOf(scenario.network))
            for (const server of cellServers(scenario))
              for (const tls of listOf(scenario.tls))
                for (const http of httpVariants(scenario))
                  for (const front_proxy of frontProxies(scenario, http.http))
                    for (const client of clientVariants(scenario))
                      for (const instances of listOf(scenario.scaleOut.instances)) {
                        out.push({
                          // An https:// target is measured over TLS: the cell says so.
                          workload: scenario.workload,
                          clients,
                          rate_per_s: rate,
                          payload_bytes: payload,
                          header_profile: headerProfile,
                          ...cellNetwork(network),
                          server,
                          tls: tls || Boolean(scenario.target?.startsWith('https:')),
                          ...http,
                          front_proxy,
                          ...client,
                          burst: scenario.burst
                            ? { size: scenario.burst.size, gap_ms: scenario.burst.gapMs }
                            : null,
                          instances,
                          balancer: instances > 1 ? scenario.scaleOut.balancer : null,
                          failover_at_ms:
                            instances > 1 && scenario.scaleOut.failover
                              ? scenario.scaleOut.failover.killAtMs
                              : null,
                        });
                      }
  return out;
}

/**
 * Expands a scenario into its matrix of cells: transports x clients x rates x payloads x header
 * profiles x networks x TLS x HTTP versions x instances x each transport's own variants (its
 * descriptor says which) x slow consumers (counts, and policies for push), each repeated.
 * Repetitions are interleaved (every cell once, then every cell again) so slow drift on a shared
 * machine spreads over all cells alike.
 */
export function expandCells(scenario: Scenario): Cell[] {
  const once: Once[] = [];
  for (const name of scenario.transports) {
    const transport = transportNamed(name);
    const options = transport.scenarioOptions ? scenario[transport.scenarioOptions.key] : undefined;
    for (const load of loads(scenario)) {
      for (const variant of transport.cellVariants(options, scenario.workload)) {
        for (const slow of slowConsumerVariants(scenario.slowConsumers, transport.kind))
          once.push({ ...load, transport: name, ...variant, slow_consumers: slow });
      }
    }
  }
  if (scenario.rawTcpReference) {
    // The floor once per load a transport was measured at: on one instance, plain TCP, minimal
    // headers.
    const floor = floorTransport();
    const seen = new Set<string>();
    for (const load of loads(scenario)) {
      const reference = {
        ...load,
        workload: 'feed' as const,
        header_profile: 'minimal' as const,
        server: 'feedbench' as const,
        tls: false,
        http: '1.1' as const,
        h2_clients_per_connection: null,
        client_kind: 'node' as const,
        browser_tabs: null,
        page_origin: null,
        origin_check: false,
        instances: 1,
        balancer: null,
        failover_at_ms: null,
      };
      const key = JSON.stringify(reference);
      if (seen.has(key)) continue;
      seen.add(key);
      for (const variant of floor.cellVariants(undefined, 'feed'))
        once.push({ ...reference, transport: floor.name, ...variant, slow_consumers: null });
    }
  }
  const cells: Cell[] = [];
  for (let repetition = 1; repetition <= scenario.repetitions; repetition++) {
    once.forEach((params, i) =>
      cells.push({ id: `${i + 1}.${repetition}`, params: { ...params, repetition } }),
    );
  }
  return cells;
}

/**
 * What a cell run on load agents in this host's namespaces cannot have: the parts that listen on
 * loopback only, or that run beside the drivers rather than on an agent.
 */
function agentsReason(p: CellParams): string | null {
  const loopbackOnly = 'listens on loopback only, which an agent in a namespace cannot reach';
  if (p.server === 'nchan' || p.server === 'socket.io')
    return `on agents, feedbench's own server (feedbench or node-http) runs: ${p.server} ${loopbackOnly}`;
  if (p.tls) return "on agents, plain HTTP: feedbench's certificate names 127.0.0.1 only";
  if (p.balancer === 'haproxy')
    return `on agents, Node's cluster balancer: HAProxy ${loopbackOnly}`;
  if (p.client_kind === 'browser')
    return "on agents, feedbench's own clients: browser pages run on one host";
  if (p.slow_consumers)
    return 'on agents, no slow consumers: they run in a driver of their own beside the run';
  return null;
}

/**
 * Why a cell of the matrix cannot be run as asked, or null when it can: such a cell is recorded
 * `not-applicable` with the reason, rather than run as something it is not.
 */
export function notApplicableReason(
  params: CellParams,
  {
    target,
    targetHttp2,
    targetKind = 'feed',
    agents,
  }: Partial<Pick<Scenario, 'target' | 'targetHttp2' | 'targetKind' | 'agents'>> = {},
): string | null {
  const onServer = serverReason(params, target ? { url: target, kind: targetKind } : undefined);
  if (onServer) return onServer;
  if (agents !== undefined) {
    const onAgents = agentsReason(params);
    if (onAgents) return onAgents;
  }
  const throughFront = frontProxyReason(params, { target, agents });
  if (throughFront) return throughFront;
  const onLossyLink = lossReason(params, { target, agents });
  if (onLossyLink) return onLossyLink;
  if (target) {
    if (params.transport === floorTransport().name)
      return "the raw TCP floor is served by feedbench's own server: not measured against a target";
    if (params.tls && !target.startsWith('https:'))
      return 'the target is plain http://: a cell over TLS needs an https:// target (feedbench makes certificates only for its own server)';
    if (params.instances > 1)
      return "scale-out runs several of feedbench's own servers: a target is one address feedbench does not run";
    // Probed on the target's own scheme: a TLS cell against http:// has its reason above.
    if (params.http === '2' && targetHttp2?.refused) return targetHttp2.refused;
    if (params.http === '2' && params.transport === 'websocket' && targetHttp2?.noWebSocket)
      return targetHttp2.noWebSocket;
  }
  if (params.http === '2' && params.ws_compression === true) {
    return 'WebSocket compression over HTTP/2 is not offered: ws negotiates permessage-deflate only inside its HTTP/1.1 handshake';
  }
  if (params.client_kind === 'browser') {
    if (params.workload !== 'feed')
      return `browser clients receive the feed; they do not send upstream yet (workload "${params.workload}")`;
    if (params.http === '2' && !params.tls)
      return 'browsers speak HTTP/2 only over TLS (no h2c): a browser cell over HTTP/2 needs tls: true';
    if (params.ws_compression === true)
      return 'a browser offers permessage-deflate by itself; the cell measures without it';
    if (params.page_origin === 'other' && params.tls)
      return 'the page of another origin is served over plain HTTP only (an https page may not use an http feed, and the other origin has no certificate)';
    if (params.header_profile !== 'minimal')
      return "a browser sends its own headers; headerProfile applies to feedbench's own clients";
  }
  return null;
}
