import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AgentCoordinator } from '../../agents/coordinator.ts';
import {
  createAgentNetwork,
  namespacesUnavailable,
  removeStaleNetworks,
  type AgentNetwork,
} from '../../process/namespaces.ts';
import { AgentRun } from './agent-run.ts';
import { hasTaskset, installExitGuards, pin } from '../../process/children.ts';

const FEEDBENCH_BIN = fileURLToPath(new URL('../../../bin/feedbench.js', import.meta.url));
/** How long every agent of a local fleet may take to start and register, ms. */
const LOCAL_ARRIVE_TIMEOUT_MS = 60_000;
/** How long an agent may take to exit once the run is over, before SIGKILL, ms. */
const EXIT_GRACE_MS = 3_000;

/** Agents this run started on this host, and what ends them. */
export interface AgentFleet {
  readonly run: AgentRun;
  /** How the agents were placed, in words (printed before the first cell). */
  readonly placement: string;
  /** Ends the run for the agents, stops any still running, and removes their namespaces. */
  close(): Promise<void>;
}

/** Waits for a process to exit, SIGKILLing it after the grace. */
async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `count` `feedbench agent` processes on this host, then pinned to `driverCores`, each in a
 * network namespace of its own (or, where namespaces cannot be made, on its own 127.0.0.x),
 * registers them with a coordinator in this process, and waits for all of them. Namespaces a
 * crashed run left are removed first; this run's go when it closes, or when this process exits.
 */
export async function startAgentFleet(
  count: number,
  driverCores: number[] | undefined,
): Promise<AgentFleet> {
  const unavailable = namespacesUnavailable();
  if (!unavailable) removeStaleNetworks();
  const network: AgentNetwork | undefined = unavailable ? undefined : createAgentNetwork(count);
  const children: ChildProcess[] = [];
  const stopAll = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    network?.remove();
  };
  // A signal exits through 'exit' too, so the namespaces go with this process however it ends.
  installExitGuards();
  process.once('exit', stopAll);
  try {
    const coordinator = await AgentCoordinator.listen({
      host: network?.hostAddress ?? '127.0.0.1',
      port: 0,
      agents: count,
      arriveTimeoutMs: LOCAL_ARRIVE_TIMEOUT_MS,
    });
    for (let i = 0; i < count; i++) children.push(spawnAgent(i, count, coordinator.url, network));
    const gone = new Promise<never>((_, reject) => {
      for (const [i, child] of children.entries())
        child.once('exit', (code, signal) =>
          reject(new Error(`agent ${i} exited before it arrived (${signal ?? `code ${code}`})`)),
        );
    });
    gone.catch(() => {});
    await Promise.race([coordinator.arrived(), gone]);
    // On the driver cores from now on, as local drivers are; they started on every core, which
    // halves the time 2N processes take to load.
    if (driverCores && hasTaskset)
      for (const pid of children.flatMap((c) => (c.pid === undefined ? [] : [c.pid])))
        for (const each of [pid, ...childrenOf(pid)]) pin(each, driverCores);
    const placement = network
      ? `${count} agents in network namespaces, on ${network.agents[0]?.address}-${network.agents.at(-1)?.address}; the server on ${network.hostAddress}`
      : `${count} agents as processes on 127.0.0.2-${count + 1} (network namespaces cannot be made here: ${unavailable})`;
    return {
      run: new AgentRun(
        coordinator,
        network?.hostAddress,
        network ? 'namespaces' : 'loopback',
        'run',
      ),
      placement,
      close: async () => {
        await coordinator.close();
        await Promise.all(children.map(ended));
        network?.remove();
        process.removeListener('exit', stopAll);
      },
    };
  } catch (error) {
    stopAll();
    await Promise.all(children.map(ended));
    process.removeListener('exit', stopAll);
    throw error;
  }
}

/** The PIDs of a process's children (the agent's driver), from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter((p) => p.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** Starts agent `i`: in its namespace, or from its own loopback address. */
function spawnAgent(
  i: number,
  count: number,
  coordinatorUrl: string,
  network: AgentNetwork | undefined,
): ChildProcess {
  const agentArgs = [
    FEEDBENCH_BIN,
    'agent',
    '--index',
    String(i),
    '--agents',
    String(count),
    '--coordinator',
    coordinatorUrl,
    ...(network ? [] : ['--local-address', `127.0.0.${i + 2}`]),
  ];
  const namespace = network?.agents[i]?.namespace;
  // `ip netns exec` execs node in the namespace: the PID is the agent's own.
  const [command, args] = namespace
    ? ['ip', ['netns', 'exec', namespace, process.execPath, ...agentArgs]]
    : [process.execPath, agentArgs];
  return spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}
