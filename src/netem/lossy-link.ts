/**
 * A link that loses packets for real: the clients in one network namespace, the network profile's
 * hop (the delay proxy, or caddy) in another, both on a bridge of the run's own where the server
 * listens. nftables drops packets where they arrive: in the clients' namespace those towards the
 * clients, in the hop's those from the clients (nft-loss-rules.ts says why not where they leave).
 * Every packet it drops is one TCP (or QUIC) between clients and hop must send again; the hop's
 * own link to the server loses nothing. Each namespace holds only its own traffic, so its TCP counters
 * (/proc/net/snmp) are the retransmissions of that side alone.
 */
import { spawnSync } from 'node:child_process';
import {
  createAgentNetwork,
  namespacesUnavailable,
  removeStaleNetworks,
  type AgentNetwork,
  type Member,
} from '../process/namespaces.ts';
import {
  LOSS_TABLE,
  bothSides,
  lossRuleset,
  outageEnd,
  outageStart,
  parseSideCounters,
  parseTcpSnmp,
  type LossCounters,
  type TcpCounters,
} from './nft-loss-rules.ts';
import type { Outage } from './profiles.ts';

/** Counters of the link at one moment. */
export interface LinkSample {
  /** Packets seen and dropped ("in": towards the clients, at them; "out": from them, at the hop). */
  readonly nft: LossCounters;
  readonly clientsTcp: TcpCounters;
  readonly hopTcp: TcpCounters;
}

/** A lossy link, made once per run and set for each cell. */
export interface LossyLink {
  /** Where the server listens: the bridge's address. */
  readonly hostAddress: string;
  /** The clients' namespace (the drivers run in it). */
  readonly clients: Member;
  /** The hop's namespace (the delay proxy runs in it). */
  readonly hop: Member;
  /** Replaces the drop rules with those for `lossPercent`. */
  setLoss(lossPercent: number): void;
  /**
   * Drops everything for `forMs` every `everyMs`, the first `firstInMs` from now; returns what
   * stops it (ending an outage in progress) and says how many there were.
   */
  startOutages(outage: Outage, firstInMs: number): () => number;
  sample(): LinkSample;
  /** Deletes the namespaces and the bridge (synchronous: it runs on exit too). */
  remove(): void;
}

/** Runs a command in a namespace; throws with its error output when it fails. */
function inNamespace(namespace: string, command: string[], input?: string): string {
  const run = spawnSync('ip', ['netns', 'exec', namespace, ...command], {
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
  });
  if (run.error) throw new Error(`${command.join(' ')} in ${namespace}: ${run.error.message}`);
  if (run.status !== 0)
    throw new Error(`${command.join(' ')} in ${namespace}: ${run.stderr.trim()}`);
  return run.stdout;
}

/** Whether a program runs here (`--version` exits 0). */
function runs(program: string): boolean {
  return spawnSync(program, ['--version'], { stdio: 'ignore' }).status === 0;
}

let unavailable: string | null | undefined;

/**
 * Why packets cannot be dropped here (not root, no `ip`, no `nft` or `ethtool`), or null when they
 * can; found once per process.
 */
export function lossUnavailable(): string | null {
  if (unavailable !== undefined) return unavailable;
  const noNamespaces = namespacesUnavailable();
  unavailable = noNamespaces
    ? `network namespaces cannot be made here (${noNamespaces}): loss needs root`
    : !runs('nft')
      ? 'nft is not installed (Debian: apt-get install nftables): loss needs it'
      : !runs('ethtool')
        ? 'ethtool is not installed (Debian: apt-get install ethtool): loss needs it to turn off segmentation offloads'
        : null;
  return unavailable;
}

/**
 * Turns off segmentation and receive offloads on both ends of a member's veth: otherwise one
 * "packet" nftables sees is a super-segment of up to 64 KB, and a loss rate means something else.
 */
function offloadsOff(member: Member): void {
  const off = ['tso', 'off', 'gso', 'off', 'gro', 'off'];
  inNamespace(member.namespace, ['ethtool', '-K', member.device, ...off]);
  const host = spawnSync('ethtool', ['-K', member.hostDevice, ...off], { encoding: 'utf8' });
  if (host.status !== 0) throw new Error(`ethtool -K ${member.hostDevice}: ${host.stderr.trim()}`);
}

/**
 * Makes the link: namespaces a crashed run left are removed first; this one's go with `remove`,
 * which the caller also runs on exit.
 */
export function createLossyLink(): LossyLink {
  removeStaleNetworks();
  const network: AgentNetwork = createAgentNetwork(2, 'loss');
  try {
    const [clients, hop] = network.agents;
    if (!clients || !hop) throw new Error('the lossy link has two namespaces');
    offloadsOff(clients);
    offloadsOff(hop);
    const nftIn = (member: Member) => (script: string) =>
      inNamespace(member.namespace, ['nft', '-f', '-'], script);
    const nft = { clients: nftIn(clients), hop: nftIn(hop) };
    const setLoss = (lossPercent: number) => {
      nft.clients(lossRuleset('clients', lossPercent, clients.address));
      nft.hop(lossRuleset('hop', lossPercent, clients.address));
    };
    setLoss(0);
    const counters = (member: Member, side: 'clients' | 'hop') =>
      parseSideCounters(
        inNamespace(member.namespace, [
          'nft',
          '-j',
          'list',
          'counters',
          'table',
          'inet',
          LOSS_TABLE,
        ]),
        side,
      );
    return {
      hostAddress: network.hostAddress,
      clients,
      hop,
      setLoss,
      startOutages: (outage, firstInMs) => outages(nft, outage, firstInMs),
      sample: () => ({
        nft: bothSides(counters(clients, 'clients'), counters(hop, 'hop')),
        clientsTcp: parseTcpSnmp(inNamespace(clients.namespace, ['cat', '/proc/net/snmp'])),
        hopTcp: parseTcpSnmp(inNamespace(hop.namespace, ['cat', '/proc/net/snmp'])),
      }),
      remove: () => network.remove(),
    };
  } catch (error) {
    network.remove();
    throw error;
  }
}

/** Runs an nft script on each side of the link. */
type SideNft = Record<'clients' | 'hop', (script: string) => void>;

/** The outage timer: rules added at each outage's start and flushed at its end, on both sides. */
function outages(nft: SideNft, outage: Outage, firstInMs: number): () => number {
  let count = 0;
  let down = false;
  let timer: NodeJS.Timeout | undefined;
  const both = (script: (side: 'clients' | 'hop') => string) => {
    nft.clients(script('clients'));
    nft.hop(script('hop'));
  };
  const begin = () => {
    both(outageStart);
    down = true;
    count++;
    timer = setTimeout(end, outage.forMs);
  };
  const end = () => {
    both(outageEnd);
    down = false;
    timer = setTimeout(begin, outage.everyMs - outage.forMs);
  };
  timer = setTimeout(begin, firstInMs);
  return () => {
    clearTimeout(timer);
    if (down) both(outageEnd);
    return count;
  };
}
