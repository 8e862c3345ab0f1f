import { lossUnavailable } from '../netem/lossy-link.ts';
import { onLossyLink } from '../netem/profiles.ts';
import type { CellParams } from '../results/index.ts';
import { profileOfCell } from './cell-network.ts';
import type { Scenario } from './scenario.ts';

/**
 * Why a cell whose network drops packets cannot run here, or null when it can (or drops nothing).
 * Its clients and proxy run in namespaces of the run's own and reach the server on their bridge,
 * so only what the run starts and listens there can be on the far side.
 */
export function lossReason(
  p: CellParams,
  { target, agents }: Partial<Pick<Scenario, 'target' | 'agents'>>,
): string | null {
  if (!onLossyLink(profileOfCell(p))) return null;
  const why = "a lossy link's clients and proxy run in network namespaces of the run's own";
  if (target) return `${why}, which reach only the server the run starts: not a target`;
  if (agents !== undefined)
    return `${why}: agents have links of their own, on which loss is not applied`;
  if (p.server === 'nchan' || p.server === 'socket.io')
    return `${why}, which reach the server on their bridge: ${p.server} listens on loopback only`;
  if (p.instances > 1)
    return `${why}, which reach the server on their bridge: scale-out's balancer listens on loopback only`;
  // Through caddy, TLS ends at caddy, whose certificate names the pages' host.
  if (p.tls && !p.front_proxy)
    return `${why}, and reach the server at the bridge's address: feedbench's certificate names 127.0.0.1 only (through caddy, frontProxy, TLS works)`;
  return lossUnavailable();
}
