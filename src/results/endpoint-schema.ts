import { z } from 'zod';
import { PercentileSummarySchema } from './cell-schema.ts';

/**
 * A `feedbench measure` run: an endpoint that does not speak the feed protocol (a WebSocket
 * echo, a plain WebSocket or SSE stream), what was asked of it and what came back.
 */
export const EndpointFileSchema = z.object({
  kind: z.literal('endpoint'),
  url: z.string(),
  created_at: z.string(),
  tool: z.object({ version: z.string() }),
  plan: z.object({
    kind: z.enum(['ws-echo', 'ws-stream', 'sse-stream']),
    clients: z.number().int(),
    warmupMs: z.number(),
    durationMs: z.number(),
    perConnection: z.number().int().describe('ws-echo: answers per connection (1: a connection per message)'),
    intervalMs: z.number(),
    payloadBytes: z.number().int(),
    timestampPath: z.string().nullable(),
    timestampUnit: z.enum(['ms', 'us', 's']),
  }),
  messages: z.number().int().describe('messages received in the window (ws-echo: answers)'),
  messages_per_s: z.number(),
  bytes_down_per_message: z.number().nullable().describe('bytes the clients\' sockets read in the window, per message (handshakes of new connections included)'),
  bytes_up_per_message: z.number().nullable(),
  payload_bytes_per_message: z.number().nullable(),
  connections: z.number().int().describe('connections made over the whole run'),
  connect_us: PercentileSummarySchema.nullable().describe('TCP connect to the WebSocket open or the SSE response head'),
  round_trip_us: PercentileSummarySchema.nullable().describe('ws-echo: send to answer'),
  latency_us: PercentileSummarySchema.nullable().describe('streams: receive time minus the timestamp the message carried (this host\'s real-time clock)'),
  latency_not_measured: z.string().nullable().describe('why latency_us is null'),
  errors: z.object({ count: z.number().int(), first: z.array(z.string()) }),
});

/** An endpoint file. */
export type EndpointFile = z.infer<typeof EndpointFileSchema>;
