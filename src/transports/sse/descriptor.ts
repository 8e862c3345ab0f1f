import { z } from 'zod';
import { pushModel } from '../../stats/latency-models.ts';
import { NO_TRANSPORT_PARAMS, type TransportDescriptor } from '../descriptor.ts';
import { int } from '../shared/option-schemas.ts';
import { createSseClient } from './client.ts';
import { sseServer } from './server.ts';

const options = z
  .object({
    heartbeatMs: int(0, 600_000).default(0).describe('ms between heartbeat comments; 0 sends none'),
    dropEveryMs: int(100, 600_000)
      .optional()
      .describe(
        "the server ends every open event stream this often, ms: clients reconnect (EventSource by itself, with Last-Event-ID; feedbench's client by its backoff policy)",
      ),
    retryMs: int(0, 600_000)
      .optional()
      .describe(
        "the `retry:` field the server sends at each stream's start: EventSource's reconnection time, ms (Chromium's default is 3 s); feedbench's client keeps its own policy",
      ),
  })
  .strict()
  .prefault({});

type Options = z.output<typeof options>;

/** Server-Sent Events: one `text/event-stream` response per client. */
export const sse: TransportDescriptor = {
  name: 'sse',
  kind: 'push',
  label: 'SSE',
  colour: '#1e9e5a',
  upstream: 'http-post',
  firstRequest: 'GET /sse (the response head, sent at once)',
  scenarioOptions: { key: 'sse', schema: options },
  // An echo over HTTP is a POST on a kept-alive connection, as a page's fetch() would be.
  cellVariants: (raw, workload) => {
    const { dropEveryMs, retryMs } = raw as Options;
    return [
      {
        ...NO_TRANSPORT_PARAMS,
        ...(workload === 'echo' ? { keep_alive: true } : {}),
        sse_drop_every_ms: dropEveryMs ?? null,
        sse_retry_ms: retryMs ?? null,
      },
    ];
  },
  serverOptions: (params, raw) => ({
    sseHeartbeatMs: (raw as Options).heartbeatMs,
    sseDropEveryMs: params.sse_drop_every_ms ?? 0,
    ...(params.sse_retry_ms === null ? {} : { sseRetryMs: params.sse_retry_ms }),
  }),
  labelParts: (p) => [
    ...(p.sse_drop_every_ms ? [`drops every ${p.sse_drop_every_ms}ms`] : []),
    ...(p.sse_retry_ms === null ? [] : [`retry ${p.sse_retry_ms}ms`]),
  ],
  latencyModel: (_p, rttUs) => pushModel(rttUs),
  server: sseServer,
  client: createSseClient,
};
