import { pushModel } from '../../stats/latency-models.ts';
import { NO_TRANSPORT_PARAMS, type TransportDescriptor } from '../descriptor.ts';
import { createRawTcpClient } from './client.ts';
import { startRawTcpFloor } from './server.ts';

/**
 * The measurement floor, not a transport under test: each update's JSON and a newline on a raw
 * TCP socket, from the same publisher. The gate divides latency by it; `selftest` compares with it.
 */
export const rawTcp: TransportDescriptor = {
  name: 'raw-tcp',
  kind: 'floor',
  label: 'raw TCP',
  colour: '#555555',
  upstream: 'none',
  firstRequest: "a TCP connection to the raw stream's own port",
  cellVariants: () => [NO_TRANSPORT_PARAMS],
  labelParts: () => [],
  latencyModel: (_p, rttUs) => pushModel(rttUs),
  ownListener: startRawTcpFloor,
  client: createRawTcpClient,
};
