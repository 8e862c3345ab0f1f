import type { ServerProcessOptions, ServerProtocol } from '../../server/server-messages.ts';
import { LONG_POLL_TIMEOUT_MS } from '../../protocol/feed-protocol.ts';
import { singleServer, type ServerSide } from '../../server/server-side.ts';
import { NCHAN_PROCESS_MODULE, type NchanProcessOptions } from '../../server/nchan/nchan-side.ts';
import { startChild } from '../../process/children.ts';
import type { CellParams } from '../../results/index.ts';
import type { Teardown } from './teardown.ts';

/**
 * Messages nchan keeps in the channel: a poller's cursor older than these is past what it can
 * give, so it is as long as a cell's backlog can grow (10 s at 1,000 updates/s).
 */
const NCHAN_BUFFER_LENGTH = 10_000;

/**
 * nginx with nchan for the cell, new for each cell (it starts in milliseconds and, being C, needs
 * no warm-up), on the server's cores, and its publisher with it, as feedbench's own server's
 * publisher shares that server's core: beside the drivers, its POSTs waited behind their work
 * (at 100 clients and 20 updates/s, p99 4-6 ms on the server's core against 8 ms beside the
 * drivers).
 */
export async function startNchanServer(
  p: CellParams,
  options: ServerProcessOptions,
  cores: number[] | undefined,
  teardown: Teardown,
  readyTimeoutMs: number,
): Promise<ServerSide> {
  const nchan: NchanProcessOptions = {
    http2: p.http === '2',
    ...(cores ? { nginxCores: cores } : {}),
    bufferLength: NCHAN_BUFFER_LENGTH,
    longPollHoldMs: p.long_poll_timeout_ms ?? LONG_POLL_TIMEOUT_MS.default,
    historySize: options.historySize,
    historyBytes: options.historyBytes,
  };
  const child = teardown.child(
    await startChild<ServerProtocol>('nchan', NCHAN_PROCESS_MODULE, [JSON.stringify(nchan)], {
      cores,
      readyTimeoutMs,
    }),
  );
  // The CPU measured is nginx's, not the publisher's.
  return { ...singleServer(child), cores };
}
