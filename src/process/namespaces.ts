/**
 * Network namespaces: for load agents (each gets one, with its own address on a veth pair whose
 * host end hangs on a bridge of the run's own, as a pod gets), and for a lossy link (the clients in
 * one, the network profile's hop in another). Everything is named after the run's PID, so what a
 * crashed run left behind is found and removed by the next one.
 */
import { spawnSync } from 'node:child_process';
import { processAlive } from './alive.ts';

/** One namespace of a network: its name, its address, and both ends of its veth. */
export interface Member {
  readonly namespace: string;
  readonly address: string;
  /** The veth end inside the namespace. */
  readonly device: string;
  /** Its peer on the host, on the bridge. */
  readonly hostDevice: string;
}

/** The links of one run's namespaces. */
export interface AgentNetwork {
  /** The bridge's address: where the host's servers listen for the namespaces. */
  readonly hostAddress: string;
  /** Each namespace, by index. */
  readonly agents: readonly Member[];
  /** Deletes the namespaces, their veths and the bridge (synchronous: it runs on exit too). */
  remove(): void;
}

/**
 * Prefix of every name feedbench gives a namespace or link, then the run's PID: `fb` for agents,
 * `fl` for a lossy link, so a run may have both.
 */
const PREFIXES = { agents: 'fb', loss: 'fl' } as const;
/** What a network is for. */
export type NetworkKind = keyof typeof PREFIXES;
/** Any of PREFIXES, in a regular expression. */
const ANY_PREFIX = `(?:${Object.values(PREFIXES).join('|')})`;
/** The /16 the runs' subnets are taken from, one /24 each. */
const SUBNETS = '10.231';

/** Runs `ip` with args; throws with its error output when it fails. */
function ip(...args: string[]): string {
  const run = spawnSync('ip', args, { encoding: 'utf8' });
  if (run.error) throw new Error(`ip ${args.join(' ')}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`ip ${args.join(' ')}: ${run.stderr.trim()}`);
  return run.stdout;
}

/**
 * Why namespaces cannot be made here (not root, no `ip`), or null when they can: found by making
 * one and deleting it.
 */
export function namespacesUnavailable(): string | null {
  const probe = `${PREFIXES.agents}${process.pid}-probe`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The names of this host's network namespaces. */
const namespaceNames = (): string[] =>
  ip('netns', 'list')
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '');

/**
 * The links runs made that are on the host: bridges, and host ends of veths whose namespace
 * lingered (`fl123h0@if59`), each with the PID its name carries.
 */
function runLinks(): { name: string; pid: number }[] {
  const pattern = new RegExp(`^\\d+: (${ANY_PREFIX}(?:br)?(\\d+)(?:h\\d+)?)[@:]`);
  return ip('-o', 'link', 'show')
    .split('\n')
    .flatMap((line) => {
      const found = pattern.exec(line);
      return found?.[1] && found[2] ? [{ name: found[1], pid: Number(found[2]) }] : [];
    });
}

/** The namespaces and links of runs whose process is gone (a crash, a SIGKILL): deleted. */
export function removeStaleNetworks(): void {
  for (const name of namespaceNames()) {
    const pid = new RegExp(`^${ANY_PREFIX}(\\d+)-`).exec(name)?.[1];
    if (pid && !processAlive(Number(pid))) spawnSync('ip', ['netns', 'del', name]);
  }
  for (const link of runLinks())
    if (!processAlive(link.pid)) spawnSync('ip', ['link', 'del', link.name]);
}

/** A /24 under SUBNETS that no address of this host is in. */
function freeSubnet(): string {
  const used = ip('-o', '-4', 'addr', 'show');
  for (let k = 0; k < 256; k++) {
    const subnet = `${SUBNETS}.${(process.pid + k) % 256}`;
    if (!used.includes(` ${subnet}.`)) return subnet;
  }
  throw new Error(`no free /24 left in ${SUBNETS}.0.0/16 for the agents' links`);
}

/**
 * Makes `count` namespaces (at most 250) linked by veth pairs to a new bridge. A failure half-way
 * removes what was made.
 */
export function createAgentNetwork(count: number, kind: NetworkKind = 'agents'): AgentNetwork {
  if (count < 1 || count > 250) throw new RangeError(`${kind}: ${count} is not within 1-250`);
  const subnet = freeSubnet();
  const prefix = PREFIXES[kind];
  const bridge = `${prefix}br${process.pid}`;
  const agents: Member[] = Array.from({ length: count }, (_, i) => ({
    namespace: `${prefix}${process.pid}-${i}`,
    address: `${subnet}.${i + 2}`,
    device: `${prefix}${process.pid}a${i}`,
    hostDevice: `${prefix}${process.pid}h${i}`,
  }));
  const made: Member[] = [];
  const remove = () => {
    // The host's end of each veth first: deleting it deletes the pair at once, where a deleted
    // namespace can linger, with its end of the pair, while a socket in it still holds it (an
    // orphaned connection sending its FIN again on a lossy link did, for over a minute).
    for (const member of made) {
      spawnSync('ip', ['link', 'del', member.hostDevice]);
      spawnSync('ip', ['netns', 'del', member.namespace]);
    }
    spawnSync('ip', ['link', 'del', bridge]);
  };
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', `${subnet}.1/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    for (const member of agents) {
      const { namespace, address, device: agentEnd, hostDevice: hostEnd } = member;
      ip('netns', 'add', namespace);
      made.push(member);
      ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', agentEnd);
      ip('link', 'set', agentEnd, 'netns', namespace);
      ip('link', 'set', hostEnd, 'master', bridge, 'up');
      ip('-n', namespace, 'addr', 'add', `${address}/24`, 'dev', agentEnd);
      ip('-n', namespace, 'link', 'set', agentEnd, 'up');
      ip('-n', namespace, 'link', 'set', 'lo', 'up');
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { hostAddress: `${subnet}.1`, agents, remove };
}

/**
 * The namespaces, bridges and host ends of veths of this process's runs still present (for checks
 * after a run).
 */
export function networksOf(pid: number): string[] {
  const namespaces = namespaceNames().filter((name) =>
    new RegExp(`^${ANY_PREFIX}${pid}-`).test(name),
  );
  const links = runLinks()
    .filter((link) => link.pid === pid)
    .map((link) => link.name);
  return [...namespaces, ...links];
}
