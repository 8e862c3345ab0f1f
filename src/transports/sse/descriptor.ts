import { z } from 'zod';
import { pushModel } from '../../stats/latency-models.ts';
import { NO_TRANSPORT_PARAMS, type TransportDescriptor } from '../descriptor.ts';
import { int } from '../shared/option-schemas.ts';
import { createSseClient } from './client.ts';
import { sseServer } from './server.ts';

const options = z.object({ heartbeatMs: int(0, 600_000).default(0).describe('ms between heartbeat comments; 0 sends none') }).strict().prefault({});

type Options = z.output<typeof options>;

/** Server-Sent Events: one `text/event-stream` response per client. */
export const sse: TransportDescriptor = {
  name: 'sse',
  kind: 'push',
  label: 'SSE',
  colour: '#1e9e5a',
  upstream: 'http-post',
  scenarioOptions: { key: 'sse', schema: options },
  // An echo over HTTP is a POST on a kept-alive connection, as a page's fetch() would be.
  cellVariants: (_raw, workload) => [workload === 'echo' ? { ...NO_TRANSPORT_PARAMS, keep_alive: true } : NO_TRANSPORT_PARAMS],
  serverOptions: (_params, raw) => ({ sseHeartbeatMs: (raw as Options).heartbeatMs }),
  labelParts: () => [],
  latencyModel: (_p, rttUs) => pushModel(rttUs),
  server: sseServer,
  client: createSseClient,
};
