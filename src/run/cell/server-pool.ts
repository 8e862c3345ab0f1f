import { setTimeout as sleep } from 'node:timers/promises';
import { stopChild, type StartedChild } from '../../process/children.ts';
import type { ServerProtocol } from '../../server/server-messages.ts';

type Server = StartedChild<ServerProtocol>;

/** A kept server. */
export type KeptServer = Kept;

/** How long a given-back server may take to see its last clients go, ms; then it is stopped. */
const QUIET_TIMEOUT_MS = 3_000;

/** A server kept between cells, and the loads it has already run long enough to be warm. */
interface Kept {
  readonly server: Server;
  readonly key: string;
  readonly warm: Set<string>;
}

/**
 * Server processes kept between the cells of one run, by their options and cores. A fresh Node
 * server spends its first seconds compiling (its CPU per event is two to three times the steady
 * rate in the first second: `npm run bench:warmup`), so a cell on a server new to its transport
 * gets the scenario's `settleMs` of extra warm-up, and later cells of that transport on the same
 * server start warm. Every cell still reads its own CPU, bytes and connections between its own
 * samples; a kept server's RSS does not shrink, so such a cell reports no RSS per connection.
 */
export class ServerPool {
  readonly #idle: Kept[] = [];

  /** An idle server started with `key`'s options, still running, or undefined. */
  take(key: string): Kept | undefined {
    const i = this.#idle.findIndex(
      (k) =>
        k.key === key && k.server.process.exitCode === null && k.server.process.signalCode === null,
    );
    return i < 0 ? undefined : this.#idle.splice(i, 1)[0];
  }

  /** A new server to keep under `key`: nothing warm yet. */
  static fresh(server: Server, key: string): Kept {
    return { server, key, warm: new Set() };
  }

  /**
   * Keeps a server whose cell finished, once its clients are gone (its feed was stopped by the
   * cell's drain); one that still holds connections after QUIET_TIMEOUT_MS is stopped instead.
   */
  async giveBack(kept: Kept): Promise<void> {
    try {
      const until = Date.now() + QUIET_TIMEOUT_MS;
      while ((await kept.server.ipc.request('sample', { gc: false })).connections > 0) {
        if (Date.now() > until) throw new Error('connections left open');
        await sleep(25);
      }
      this.#idle.push(kept);
    } catch {
      await stopChild(kept.server);
    }
  }

  /** Stops every idle server: the end of the run. */
  async close(): Promise<void> {
    await Promise.all(this.#idle.splice(0).map(({ server }) => stopChild(server)));
  }
}
