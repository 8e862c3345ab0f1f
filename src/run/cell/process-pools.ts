import { DriverPool } from './driver-pool.ts';
import { ServerPool } from './server-pool.ts';
import type { DriverHandle } from './driver-group.ts';
import { LossyLinks } from './lossy-links.ts';

/**
 * The load agents of a distributed run, in index order: every cell's clients run on them, not on
 * local drivers.
 */
export interface AgentDrivers {
  readonly drivers: readonly DriverHandle[];
  /**
   * The address the run's own server listens on, which the agents reach (the host's end of their
   * links); undefined against a target.
   */
  readonly serverHost: string | undefined;
}

/** Driver and server processes a cell may take from and give back to; either may be absent. */
export interface ProcessPools {
  readonly drivers?: DriverPool | undefined;
  readonly servers?: ServerPool | undefined;
  readonly agents?: AgentDrivers | undefined;
  /** The run's lossy link, for cells whose network drops packets. */
  readonly lossyLinks?: LossyLinks | undefined;
}

/** The pools of one run (or one suite of runs): both kinds, stopped together at its end. */
export class RunPools implements ProcessPools {
  readonly drivers = new DriverPool();
  readonly servers = new ServerPool();
  readonly lossyLinks = new LossyLinks();

  /** What a scenario lets its cells use: each kind only where it keeps that kind. */
  for(scenario: { reuseDrivers: boolean; reuseServers: boolean }): ProcessPools {
    return {
      drivers: scenario.reuseDrivers ? this.drivers : undefined,
      servers: scenario.reuseServers ? this.servers : undefined,
      lossyLinks: this.lossyLinks,
    };
  }

  /** Stops every idle process: the end of the run. */
  async close(): Promise<void> {
    await Promise.all([this.drivers.close(), this.servers.close()]);
    this.lossyLinks.close();
  }
}
