import { runCell } from '../run/cell/run-cell.ts';
import { parseScenario } from '../run/scenario.ts';
import { SINGLE_CLIENT_CELL } from '../run/alternating-rounds.ts';

/** The load of one benchmark cell: every client receives `ratePerSec` updates. */
export interface PushCellLoad {
  /** The scenario's name, as the results and the server pool see it. */
  readonly name: string;
  /** A feed transport, or `raw-tcp` (the floor: a bare socket, a line per update). */
  readonly transport: string;
  readonly http: '1.1' | '2';
  readonly clients: number;
  readonly ratePerSec: number;
  readonly payloadBytes: number;
  readonly durationMs: number;
  /** False for a server of its own (a profiled run profiles one server, not a kept one). */
  readonly reuseServers?: boolean;
}

/** Runs one cell of `load` after a 1 s warm-up: what bench:driver and bench:profile measure. */
export function runPushCell(load: PushCellLoad): ReturnType<typeof runCell> {
  const scenario = parseScenario(
    {
      name: load.name,
      // The floor is not a scenario transport; the cell below names it.
      transports: [load.transport === 'raw-tcp' ? 'websocket' : load.transport],
      clients: load.clients,
      ratePerSec: load.ratePerSec,
      payloadBytes: load.payloadBytes,
      warmupMs: 1_000,
      durationMs: load.durationMs,
      ...(load.reuseServers === undefined ? {} : { reuseServers: load.reuseServers }),
    },
    load.name,
  );
  return runCell(
    {
      id: load.transport,
      params: {
        ...SINGLE_CLIENT_CELL,
        transport: load.transport,
        ws_compression: load.transport === 'websocket' ? false : null,
        http: load.http,
        clients: load.clients,
        rate_per_s: load.ratePerSec,
        payload_bytes: load.payloadBytes,
        repetition: 1,
      },
    },
    scenario,
  );
}
