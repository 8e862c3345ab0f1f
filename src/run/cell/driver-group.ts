import type {
  ConnectReply,
  ConnectRequest,
  DriverCellResult,
  DriverProtocol,
  FailureNotice,
  FinishRequest,
  UpstreamPlan,
  WindowRequest,
} from '../../driver/driver-messages.ts';
import { mergeDriverResults } from '../../driver/merge-driver-results.ts';
import { startChild, type StartedChild } from '../../process/children.ts';
import { IPC_TIMEOUT_MS, type IpcClient } from '../../process/ipc.ts';
import type { Teardown } from './teardown.ts';
import type { DriverPool } from './driver-pool.ts';
import type { SlowRead } from '../../transports/shared/read-gate.ts';
import { DEFAULT_RECONNECT } from '../../transports/shared/reconnect-policy.ts';
import { required } from '../../metrics/required.ts';

const DRIVER_MODULE = new URL('../../driver/driver-process.ts', import.meta.url);

/**
 * Clients one driver process holds at most by default: half the 20,000 open files a process may
 * have here.
 */
export const CLIENTS_PER_DRIVER = 10_000;

/**
 * How many driver processes a cell gets: as asked, or one per driver core and enough to keep each
 * under CLIENTS_PER_DRIVER.
 */
export function driverProcessCount(
  requested: number | 'auto',
  clients: number,
  driverCores: number,
): number {
  if (requested !== 'auto') return Math.min(requested, clients);
  return Math.min(clients, Math.max(driverCores, Math.ceil(clients / CLIENTS_PER_DRIVER)));
}

/** Splits n clients over k drivers as evenly as possible: the first n mod k get one more. */
export function splitClients(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

/**
 * A driver as the group drives it: a local driver process, or a load agent elsewhere
 * (agents/remote-agent.ts) that takes the same requests.
 */
export interface DriverHandle {
  readonly name: string;
  readonly ipc: Pick<IpcClient<DriverProtocol>, 'request'>;
  readonly cores: number[] | undefined;
}

/**
 * A cell's driver processes, driven as one: each runs a share of the clients (from its own
 * 127.0.0.x source address when there are several, so no one address runs out of ports), and
 * their results merge exactly into one (mergeDriverResults).
 */
export class DriverGroup {
  private constructor(
    readonly drivers: readonly DriverHandle[],
    readonly shares: readonly number[],
    /**
     * The slow consumers' own driver, apart so their figures stay apart; undefined when the cell
     * has none.
     */
    readonly slow:
      | {
          readonly driver: StartedChild<DriverProtocol>;
          readonly clients: number;
          readonly read: SlowRead;
        }
      | undefined,
    /** The drivers are load agents, each with an address of its own. */
    readonly onAgents = false,
  ) {}

  /**
   * The cell's clients on load agents, a contiguous shard each (agent i runs clients
   * [i·C/N, (i+1)·C/N), as k6's execution segments): their drivers are reset when the cell ends,
   * whatever happened.
   */
  static onAgentsOf(agents: readonly DriverHandle[], clients: number, teardown: Teardown) {
    teardown.cleanup(async () => {
      await Promise.all(agents.map((a) => a.ipc.request('reset', null).catch(() => null)));
    });
    return new DriverGroup(agents, splitClients(clients, agents.length), undefined, true);
  }

  /**
   * Starts `count` driver processes pinned to `cores` (and one for `slow` clients), each stopped
   * by `teardown`; with a `pool`, the normal drivers are taken from it where it has them, and go
   * back to it when the cell finished. In a `namespace` (a lossy link's), fresh ones only.
   */
  static async start(
    count: number,
    clients: number,
    cores: number[] | undefined,
    teardown: Teardown,
    slow?: { clients: number; read: SlowRead },
    pool?: DriverPool,
    namespace?: string,
  ): Promise<DriverGroup> {
    const drivers: StartedChild<DriverProtocol>[] = [];
    const start = (name: string) =>
      startChild<DriverProtocol>(name, DRIVER_MODULE, [], {
        cores,
        readyTimeoutMs: 20_000,
        namespace,
        // Memory per connection is read between two collections (cell-state.ts).
        nodeOptions: ['--expose-gc'],
      });
    for (let i = 0; i < count; i++) {
      if (!pool) {
        drivers.push(teardown.child(await start(count > 1 ? `driver ${i}` : 'driver')));
        continue;
      }
      const driver = pool.take(cores) ?? (await start(count > 1 ? `driver ${i}` : 'driver'));
      drivers.push(teardown.lend(driver, () => pool.giveBack(driver, cores)));
    }
    const slowDriver = slow
      ? { ...slow, driver: teardown.child(await start('slow driver')) }
      : undefined;
    return new DriverGroup(drivers, splitClients(clients, count), slowDriver);
  }

  /** Every driver process, the slow consumers' last. */
  get #everyDriver(): DriverHandle[] {
    return this.slow ? [...this.drivers, this.slow.driver] : [...this.drivers];
  }

  /** Cores the drivers are pinned to (all alike), or null. */
  get cores(): number[] | null {
    return this.drivers[0]?.cores ?? null;
  }

  #all<K extends keyof DriverProtocol>(
    kind: K,
    payload: (i: number) => DriverProtocol[K]['request'],
    timeoutMs = IPC_TIMEOUT_MS,
  ): Promise<DriverProtocol[K]['reply'][]> {
    return Promise.all(this.drivers.map((d, i) => d.ipc.request(kind, payload(i), timeoutMs)));
  }

  /** Connects every driver's share of the clients; the replies summed. */
  async connect(
    request: Omit<ConnectRequest, 'clients' | 'firstIndex'>,
    timeoutMs: number,
  ): Promise<ConnectReply> {
    const several =
      this.drivers.length > 1 && request.client.host === '127.0.0.1' && !this.onAgents;
    const normal = this.#all(
      'connect',
      (i) =>
        ({
          ...request,
          clients: this.shareOf(i),
          firstIndex: this.shares.slice(0, i).reduce((a, b) => a + b, 0),
          client: several
            ? { ...request.client, localAddress: `127.0.0.${i + 1}` }
            : request.client,
        }) satisfies ConnectRequest,
      timeoutMs,
    );
    // Slow consumers come back after a disconnect, as EventSource and client libraries do, from
    // their cursor.
    const slow = this.slow?.driver.ipc.request(
      'connect',
      {
        ...request,
        clients: this.slow.clients,
        firstIndex: this.shares.reduce((a, b) => a + b, 0),
        client: { ...request.client, reconnect: request.client.reconnect ?? DEFAULT_RECONNECT },
        slowRead: this.slow.read,
      },
      timeoutMs,
    );
    const replies = [...(await normal), ...(slow ? [await slow] : [])];
    return {
      connected: replies.reduce((s, r) => s + r.connected, 0),
      failed: replies.reduce((s, r) => s + r.failed, 0),
      firstError: replies.find((r) => r.firstError)?.firstError ?? null,
    };
  }

  /** Opens the measurement window in every driver. */
  async window(request: WindowRequest): Promise<void> {
    await Promise.all(this.#everyDriver.map((d) => d.ipc.request('window', request)));
  }

  /** Clients driver `i` runs (a missing share is a bug: there is one per driver). */
  shareOf(i: number): number {
    return required(this.shares[i], `driver ${i}'s share of the clients`);
  }

  /** Starts the upstream messages, each driver sending its clients' share of the rate. */
  async upstream(plan: Omit<UpstreamPlan, 'firstIndex'>, totalClients: number): Promise<void> {
    await this.#all('upstream', (i) => ({
      ...plan,
      ratePerSec: (plan.ratePerSec * this.shareOf(i)) / totalClients,
      firstIndex: this.shares.slice(0, i).reduce((a, b) => a + b, 0),
    }));
  }

  /** Tells every driver an instance was killed at `atUs`. */
  async failure(notice: FailureNotice): Promise<void> {
    await Promise.all(this.#everyDriver.map((d) => d.ipc.request('failure', notice)));
  }

  /** Bytes every driver's clients (slow ones included) have moved since they opened, both ways. */
  async wireTotal(): Promise<number> {
    const totals = await Promise.all(
      this.#everyDriver.map((d) => d.ipc.request('wire-total', null)),
    );
    return totals.reduce((a, b) => a + b, 0);
  }

  /**
   * Drains and collects every driver's results: the normal clients' merged, the slow consumers'
   * apart (null without).
   */
  async finish(
    request: FinishRequest,
    timeoutMs: number,
  ): Promise<{ normal: DriverCellResult; slow: DriverCellResult | null }> {
    const slow = this.slow?.driver.ipc.request('finish', request, timeoutMs);
    const normal = mergeDriverResults(await this.#all('finish', () => request, timeoutMs));
    return { normal, slow: slow ? await slow : null };
  }
}
