import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeJsonAtomic, type EndpointFile } from '../results/index.ts';
import { isLoopbackHost } from '../run/scenario.ts';
import {
  ENDPOINT_KINDS,
  measureEndpoint,
  type EndpointPlan,
} from '../endpoint/measure-endpoint.ts';
import { UsageError, type Outcome } from './outcomes.ts';
import { formatMs } from '../metrics/units.ts';

/** Options of `feedbench measure`. */
export interface MeasureOptions {
  kind: string;
  clients: number;
  warmupMs: number;
  durationMs: number;
  perConnection: number;
  intervalMs: number;
  payloadBytes: number;
  timestampPath?: string;
  timestampUnit: string;
  targetCa?: string;
  allowRemoteTarget?: boolean;
  out: string;
}

/** The figures of a measured endpoint, a line each. */
function lines(r: EndpointFile): string[] {
  const out = [
    `${r.plan.kind} ${r.url}: ${r.plan.clients} client(s), ${r.plan.durationMs} ms window`,
    `  messages: ${r.messages} (${r.messages_per_s}/s), connections made: ${r.connections}`,
  ];
  if (r.round_trip_us)
    out.push(
      `  round trip: p50 ${formatMs(r.round_trip_us.p50)}, p99 ${formatMs(r.round_trip_us.p99)}, max ${formatMs(r.round_trip_us.max)} (${r.round_trip_us.count} answers)`,
    );
  if (r.connect_us)
    out.push(
      `  connection set-up: p50 ${formatMs(r.connect_us.p50)}, p99 ${formatMs(r.connect_us.p99)}`,
    );
  out.push(
    `  bytes per message: ${r.bytes_down_per_message ?? '-'} down, ${r.bytes_up_per_message ?? '-'} up (payload ${r.payload_bytes_per_message ?? '-'})`,
  );
  out.push(
    r.latency_us
      ? `  latency (timestamp to receipt): p50 ${formatMs(r.latency_us.p50)}, p99 ${formatMs(r.latency_us.p99)}`
      : `  latency: not measured: ${r.latency_not_measured}`,
  );
  if (r.errors.count > 0) out.push(`  errors: ${r.errors.count} (${r.errors.first[0]})`);
  return out;
}

/**
 * `feedbench measure URL --kind ...`: an endpoint that does not speak the feed protocol,
 * measured through an adapter; prints its figures and writes them as JSON.
 */
export async function measureCommand(url: string, opts: MeasureOptions): Promise<Outcome> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new UsageError(
      `${JSON.stringify(url)} is not a URL (ws://host:port/path, wss://, http:// or https://)`,
    );
  }
  if (!(ENDPOINT_KINDS as readonly string[]).includes(opts.kind))
    throw new UsageError(
      `--kind must be one of ${ENDPOINT_KINDS.join(', ')}, got ${JSON.stringify(opts.kind)}`,
    );
  const wantsWs = opts.kind.startsWith('ws-');
  if (wantsWs !== (target.protocol === 'ws:' || target.protocol === 'wss:'))
    throw new UsageError(
      `--kind ${opts.kind} needs a ${wantsWs ? 'ws:// or wss://' : 'http:// or https://'} URL, got ${target.protocol}//`,
    );
  if (!['ms', 'us', 's'].includes(opts.timestampUnit))
    throw new UsageError(
      `--timestamp-unit must be ms, us or s, got ${JSON.stringify(opts.timestampUnit)}`,
    );
  if (!isLoopbackHost(target.hostname) && !opts.allowRemoteTarget)
    throw new UsageError(
      `${target.hostname} is not loopback: load would leave this machine; add --allow-remote-target to mean it`,
    );
  let ca: string | undefined;
  try {
    ca = opts.targetCa ? readFileSync(opts.targetCa, 'utf8') : undefined;
  } catch (error) {
    throw new UsageError(`cannot read --target-ca: ${(error as Error).message}`);
  }
  const plan: EndpointPlan = {
    kind: opts.kind as EndpointPlan['kind'],
    clients: opts.clients,
    warmupMs: opts.warmupMs,
    durationMs: opts.durationMs,
    perConnection: opts.perConnection,
    intervalMs: opts.intervalMs,
    payloadBytes: opts.payloadBytes,
    timestampUnit: opts.timestampUnit as EndpointPlan['timestampUnit'],
    ...(opts.timestampPath ? { timestampPath: opts.timestampPath } : {}),
  };
  const result = await measureEndpoint({ url: target, ...(ca ? { ca } : {}) }, plan);
  console.log(lines(result).join('\n'));
  if (result.latency_us && !isLoopbackHost(target.hostname))
    console.log(
      "  (the timestamps are read against this host's real-time clock: off this host, latency includes the clocks' offset)",
    );
  const out = resolve(opts.out.replace('<time>', result.created_at.replace(/[:.]/g, '-')));
  writeJsonAtomic(out, result);
  console.log(`written: ${out}`);
  return result.messages > 0 ? 'ok' : 'cells-errored';
}
