/**
 * Network namespaces for load agents: each agent gets one, with its own address on a veth pair
 * whose host end hangs on a bridge of the run's own, as a pod gets. Everything is named after the
 * run's PID, so what a crashed run left behind is found and removed by the next one.
 */
import { spawnSync } from 'node:child_process';
import { processAlive } from './alive.ts';

/** The links of one run's agents. */
export interface AgentNetwork {
  /** The bridge's address: where the host's servers listen for the agents. */
  readonly hostAddress: string;
  /** Each agent's namespace and address, by index. */
  readonly agents: readonly { readonly namespace: string; readonly address: string }[];
  /** Deletes the namespaces, their veths and the bridge (synchronous: it runs on exit too). */
  remove(): void;
}

/** Prefix of every name feedbench gives a namespace or link, then the run's PID. */
const PREFIX = 'fb';
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
  const probe = `${PREFIX}${process.pid}-probe`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The namespaces and bridges of runs whose process is gone (a crash, a SIGKILL): deleted. */
export function removeStaleNetworks(): void {
  const names = ip('netns', 'list')
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '');
  for (const name of names) {
    const pid = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1];
    if (pid && !processAlive(Number(pid))) spawnSync('ip', ['netns', 'del', name]);
  }
  for (const line of ip('-o', 'link', 'show', 'type', 'bridge').split('\n')) {
    const pid = new RegExp(`^\\d+: ${PREFIX}br(\\d+):`).exec(line)?.[1];
    if (pid && !processAlive(Number(pid))) spawnSync('ip', ['link', 'del', `${PREFIX}br${pid}`]);
  }
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
export function createAgentNetwork(count: number): AgentNetwork {
  if (count < 1 || count > 250) throw new RangeError(`agents: ${count} is not within 1-250`);
  const subnet = freeSubnet();
  const bridge = `${PREFIX}br${process.pid}`;
  const agents = Array.from({ length: count }, (_, i) => ({
    namespace: `${PREFIX}${process.pid}-${i}`,
    address: `${subnet}.${i + 2}`,
  }));
  const made: string[] = [];
  const remove = () => {
    for (const namespace of made) spawnSync('ip', ['netns', 'del', namespace]);
    spawnSync('ip', ['link', 'del', bridge]);
  };
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', `${subnet}.1/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    for (const [i, { namespace, address }] of agents.entries()) {
      const hostEnd = `${PREFIX}${process.pid}h${i}`;
      const agentEnd = `${PREFIX}${process.pid}a${i}`;
      ip('netns', 'add', namespace);
      made.push(namespace);
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

/** The namespaces and bridges of this process's runs still present (for checks after a run). */
export function networksOf(pid: number): string[] {
  const namespaces = ip('netns', 'list')
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(`${PREFIX}${pid}-`));
  const bridges = ip('-o', 'link', 'show', 'type', 'bridge')
    .split('\n')
    .filter((line) => line.includes(`: ${PREFIX}br${pid}:`))
    .map(() => `${PREFIX}br${pid}`);
  return [...namespaces, ...bridges];
}
