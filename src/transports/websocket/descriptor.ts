import { z } from 'zod';
import { pushModel } from '../../stats/latency-models.ts';
import { NO_TRANSPORT_PARAMS, listOf, type TransportDescriptor } from '../descriptor.ts';
import { oneOrManyBooleans } from '../shared/option-schemas.ts';
import { createWebSocketClient } from './client.ts';
import { webSocketServer } from './server.ts';

const options = z
  .object({
    compression: oneOrManyBooleans().default(false).describe('permessage-deflate (RFC 7692)'),
    upgradeFromPolling: oneOrManyBooleans()
      .default(false)
      .describe(
        "Socket.IO only: start by long polling and upgrade to WebSocket (Engine.IO's upgrade, Socket.IO's default)",
      ),
  })
  .strict()
  .prefault({});

type Options = z.output<typeof options>;

/**
 * WebSocket (RFC 6455, `ws`): one connection, one text frame per update, upstream on the same
 * connection.
 */
export const webSocket: TransportDescriptor = {
  name: 'websocket',
  kind: 'push',
  label: 'WebSocket',
  colour: '#1f6fd1',
  upstream: 'same-connection',
  firstRequest: 'GET /ws (the upgrade, answered at once)',
  scenarioOptions: { key: 'websocket', schema: options },
  cellVariants: (raw) =>
    listOf((raw as Options).compression).flatMap((compression) =>
      listOf((raw as Options).upgradeFromPolling).map((upgrade) => ({
        ...NO_TRANSPORT_PARAMS,
        ws_compression: compression,
        // null, not false, for WebSocket from the start: the cell is the same as before the
        // option, and results files of either age compare (the gate).
        ws_upgrade_from_polling: upgrade ? true : null,
      })),
    ),
  serverOptions: (params) => ({ wsCompression: params.ws_compression ?? false }),
  labelParts: (p) => (p.ws_upgrade_from_polling ? ['upgraded from polling'] : []),
  latencyModel: (_p, rttUs) => pushModel(rttUs),
  server: webSocketServer,
  client: createWebSocketClient,
};
