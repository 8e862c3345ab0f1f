import type { TransportName } from '../protocol/feed-protocol.ts';
import { createLongPollClient, longPollServer } from './long-poll.ts';
import { createShortPollClient, shortPollServer } from './short-poll.ts';
import { createSseClient, sseServer } from './sse.ts';
import type { ClientFactory, ServerTransport, ServerTransportOptions } from './transport.ts';
import { createWebSocketClient, webSocketServer } from './websocket.ts';

/** The server halves of all four transports, for one server process. */
export function createServerTransports(options: ServerTransportOptions): ServerTransport[] {
  return [shortPollServer(), longPollServer(), sseServer(options.sseHeartbeatMs), webSocketServer(options.wsCompression)];
}

/** The client factory of each transport. */
export const CLIENT_FACTORIES: Readonly<Record<TransportName, ClientFactory>> = {
  'short-poll': createShortPollClient,
  'long-poll': createLongPollClient,
  sse: createSseClient,
  websocket: createWebSocketClient,
};
