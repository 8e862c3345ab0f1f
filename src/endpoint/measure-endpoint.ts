import { setTimeout as sleep } from 'node:timers/promises';
import { createHistogram, recordValue, summarize } from '../metrics/histogram.ts';
import { WireCounter } from '../metrics/wire-counter.ts';
import { nowRealMs } from '../metrics/clock.ts';
import { toolVersion, type EndpointFile } from '../results/index.ts';
import {
  numberAt,
  sseStreamClient,
  webSocketEchoClient,
  webSocketStreamClient,
  type EndpointAddress,
  type EndpointRecorder,
} from './endpoint-clients.ts';

/** The kinds of endpoint that do not speak the feed protocol, and how each is measured. */
export const ENDPOINT_KINDS = ['ws-echo', 'ws-stream', 'sse-stream'] as const;

/** What to measure at an endpoint. */
export interface EndpointPlan {
  readonly kind: (typeof ENDPOINT_KINDS)[number];
  readonly clients: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /**
   * ws-echo: answers per connection before it closes and connects again (1: the article's server).
   */
  readonly perConnection: number;
  /** ws-echo: ms between a client's answer and its next message. */
  readonly intervalMs: number;
  readonly payloadBytes: number;
  /**
   * Streams: the JSON path of a timestamp in each message, and its unit; absent, latency is not
   * measurable.
   */
  readonly timestampPath?: string;
  readonly timestampUnit: 'ms' | 'us' | 's';
}

const UNIT_TO_MS = { ms: 1, us: 1 / 1000, s: 1000 } as const;

/** Counts what arrives inside the window only; connections and errors over the whole run. */
class WindowRecorder implements EndpointRecorder {
  measuring = false;
  readonly connectUs = createHistogram();
  readonly roundTripUs = createHistogram();
  readonly latencyUs = createHistogram();
  messages = 0;
  /** Echo messages sent while measuring: what the bytes sent in the window carried. */
  sentMessages = 0;
  messageBytes = 0;
  stamped = 0;
  connections = 0;
  errors: string[] = [];
  errorCount = 0;

  connected(us: number): void {
    this.connections++;
    recordValue(this.connectUs, us);
  }
  message(bytes: number, sentAtRealMs: number | null): void {
    if (!this.measuring) return;
    this.messages++;
    this.messageBytes += bytes;
    if (sentAtRealMs === null) return;
    this.stamped++;
    recordValue(this.latencyUs, Math.max(0, Math.round((nowRealMs() - sentAtRealMs) * 1000)));
  }
  sent(): void {
    if (this.measuring) this.sentMessages++;
  }
  echoed(us: number): void {
    if (this.measuring) recordValue(this.roundTripUs, us);
  }
  error(message: string): void {
    this.errorCount++;
    if (this.errors.length < 10) this.errors.push(message);
  }
}

/**
 * Measures an endpoint that does not speak the feed protocol: a WebSocket echo (round trips,
 * and connection set-up when each connection carries one message), or a plain WebSocket or SSE
 * stream (messages and bytes per second; latency when each message carries a timestamp at a
 * JSON path, on this host's real-time clock).
 */
export async function measureEndpoint(
  address: EndpointAddress,
  plan: EndpointPlan,
): Promise<EndpointFile> {
  const recorder = new WindowRecorder();
  const wire = new WireCounter();
  const stamp = (text: string) =>
    plan.timestampPath ? scaled(numberAt(text, plan.timestampPath), plan.timestampUnit) : null;
  const clients = Array.from({ length: plan.clients }, () => {
    if (plan.kind === 'ws-echo') return webSocketEchoClient(address, recorder, wire, plan);
    return (plan.kind === 'ws-stream' ? webSocketStreamClient : sseStreamClient)(
      address,
      recorder,
      wire,
      stamp,
    );
  });
  await sleep(plan.warmupMs);
  const atOpen = wire.totals();
  recorder.measuring = true;
  await sleep(plan.durationMs);
  recorder.measuring = false;
  const atClose = wire.totals();
  for (const client of clients) client.stop();
  const down = atClose.down - atOpen.down;
  const up = atClose.up - atOpen.up;
  const per = (bytes: number, messages: number) =>
    messages > 0 ? Math.round((bytes / messages) * 10) / 10 : null;
  const perMessage = (bytes: number) => per(bytes, recorder.messages);
  // Each direction over the messages that crossed it in the window: an echo sent just before the
  // window closed carried its bytes up inside it, and its answer comes back after.
  const perSent = (bytes: number) =>
    plan.kind === 'ws-echo' ? per(bytes, recorder.sentMessages) : perMessage(bytes);
  const latencyReason =
    plan.kind === 'ws-echo'
      ? 'an echo is timed as a round trip (round_trip_us)'
      : !plan.timestampPath
        ? 'the messages carry no timestamp feedbench was told of (--timestamp-path)'
        : recorder.stamped === 0
          ? `no message had a number at ${plan.timestampPath}`
          : null;
  return {
    kind: 'endpoint',
    url: address.url.href,
    created_at: new Date().toISOString(),
    tool: { version: toolVersion() },
    plan: { ...plan, timestampPath: plan.timestampPath ?? null },
    messages: recorder.messages,
    messages_per_s: Math.round((recorder.messages / plan.durationMs) * 1000 * 10) / 10,
    bytes_down_per_message: perMessage(down),
    bytes_up_per_message: perSent(up),
    payload_bytes_per_message: perMessage(recorder.messageBytes),
    connections: recorder.connections,
    connect_us: summarize(recorder.connectUs) ?? null,
    round_trip_us: plan.kind === 'ws-echo' ? (summarize(recorder.roundTripUs) ?? null) : null,
    latency_us: latencyReason === null ? (summarize(recorder.latencyUs) ?? null) : null,
    latency_not_measured: latencyReason,
    errors: { count: recorder.errorCount, first: recorder.errors },
  };
}

const scaled = (value: number | null, unit: EndpointPlan['timestampUnit']) =>
  value === null ? null : value * UNIT_TO_MS[unit];
