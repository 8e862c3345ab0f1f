import { z } from 'zod';
import { pushModel } from '../../stats/latency-models.ts';
import { NO_TRANSPORT_PARAMS, listOf, type TransportDescriptor } from '../descriptor.ts';
import { oneOrManyBooleans } from '../shared/option-schemas.ts';
import { createWebSocketClient } from './client.ts';
import { webSocketServer } from './server.ts';

const options = z
  .object({
    compression: oneOrManyBooleans().default(false).describe('permessage-deflate (RFC 7692)'),
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
    listOf((raw as Options).compression).map((compression) => ({
      ...NO_TRANSPORT_PARAMS,
      ws_compression: compression,
    })),
  serverOptions: (params) => ({ wsCompression: params.ws_compression ?? false }),
  labelParts: () => [],
  latencyModel: (_p, rttUs) => pushModel(rttUs),
  server: webSocketServer,
  client: createWebSocketClient,
};
