import type { SlowConsumerPolicy } from '../protocol/feed-protocol.ts';
import { readFileSync } from 'node:fs';
import { UsageError, type Outcome } from './outcomes.ts';

/** Options of `feedbench serve`. */
export interface ServeOptions {
  host: string;
  port: number;
  rate: number;
  payloadBytes: number;
  slowConsumerPolicy: SlowConsumerPolicy;
  maxQueuedBytes: number;
  tlsCert?: string;
  tlsKey?: string;
  allowedOrigins?: string;
  framework: 'express' | 'none';
}

/** A port that cannot be listened on is the user's to change: a sentence, exit 2, not a stack. */
async function listening<T>(host: string, port: number, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(
        `port ${port} on ${host} is in use: pick another with --port (0 picks a free one)`,
      );
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new UsageError(
        `cannot listen on ${host}:${port} (${code}): pick another --host or --port`,
      );
    throw error;
  }
}

/**
 * The TLS material `serve` or `demo` was given, read; undefined for plain TCP. Both files or
 * neither.
 */
function serveTls(opts: {
  tlsCert?: string;
  tlsKey?: string;
}): { cert: string; key: string } | undefined {
  if (!opts.tlsCert && !opts.tlsKey) return undefined;
  if (!opts.tlsCert || !opts.tlsKey) throw new UsageError('--tls-cert and --tls-key go together');
  try {
    return { cert: readFileSync(opts.tlsCert, 'utf8'), key: readFileSync(opts.tlsKey, 'utf8') };
  } catch (error) {
    throw new UsageError(`cannot read the TLS files: ${(error as Error).message}`);
  }
}

/**
 * `feedbench serve`: the feed server in the foreground, every transport on one port. On SIGINT or
 * SIGTERM it says what the slow-consumer policy did, then exits.
 */
export async function serveCommand(opts: ServeOptions): Promise<Outcome> {
  const { createFeedServer, DEFAULT_SERVER_OPTIONS } = await import('../server/feed-server.ts');
  const tls = serveTls(opts);
  const allowedOrigins = opts.allowedOrigins
    ?.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const server = createFeedServer({
    ...DEFAULT_SERVER_OPTIONS,
    framework: opts.framework,
    slowConsumers: { policy: opts.slowConsumerPolicy, maxQueuedBytes: opts.maxQueuedBytes },
    ...(tls ? { tls } : {}),
    ...(allowedOrigins ? { allowedOrigins } : {}),
  });
  const port = await listening(opts.host, opts.port, () => server.listen(opts.port, opts.host));
  if (opts.rate > 0)
    server.publisher.configure({ rate: opts.rate, payloadBytes: opts.payloadBytes });
  const http2 = tls ? 'HTTP/2 as h2 by ALPN' : 'HTTP/2 as h2c with prior knowledge';
  console.log(
    `feed server (${opts.framework === 'none' ? 'bare node:http' : 'Express'}) on ${tls ? 'https' : 'http'}://${opts.host}:${port} (GET /health, /poll, /long-poll, /sse, /ws; HTTP/1.1 and ${http2}, WebSocket over it by RFC 8441); Ctrl-C stops it`,
  );
  const stop = (): void => {
    const c = server.slowConsumerCounts();
    console.log(
      `slow consumers: ${c.disconnects} disconnected, ${c.skips} skips (${c.skippedUpdates} updates skipped), peak outstanding ${c.peakQueuedBytes} bytes`,
    );
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 'ok';
}

/** Options of `feedbench demo`. */
export interface DemoCommandOptions {
  host: string;
  port: number;
  plain?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  pollIntervalMs: number;
  repeatMs: number;
}

/**
 * `feedbench demo`: the article's "How are you?" page over every transport and HTTP version,
 * live, until Ctrl-C. Without a certificate it makes a self-signed one, as a run does.
 */
export async function demoCommand(opts: DemoCommandOptions): Promise<Outcome> {
  const { startDemo } = await import('../server/demo/demo-server.ts');
  const { selfSignedCertificate } = await import('../server/tls-certificate.ts');
  if (opts.plain && (opts.tlsCert || opts.tlsKey))
    throw new UsageError('--plain and --tls-cert/--tls-key exclude each other');
  const given = serveTls(opts);
  const tls = opts.plain ? undefined : (given ?? selfSignedCertificate());
  const demo = await listening(opts.host, opts.port, () =>
    startDemo({
      host: opts.host,
      port: opts.port,
      tls,
      pollIntervalMs: opts.pollIntervalMs,
      repeatMs: opts.repeatMs,
    }),
  );
  console.log(`feedbench demo: open ${demo.url}`);
  console.log(
    `  ${demo.lanes.length} lanes (${tls ? 'HTTP/1.1 and HTTP/2' : 'HTTP/1.1'}), each a feed server of its own: ${demo.lanes.map((l) => `${l.id} ${l.origin}`).join(', ')}`,
  );
  if (tls && !given)
    console.log(
      '  the certificate is self-signed, made now: the browser warns once for this host (or give --tls-cert/--tls-key, e.g. from mkcert; --plain for HTTP/1.1 without TLS)',
    );
  console.log('  Ctrl-C ends it');
  const stop = (): void => void demo.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 'ok';
}

/** `feedbench selftest`: the harness's own floor; `floor-missed` when above its target. */
export async function selftestCommand(opts: {
  rounds: number;
  durationMs: number;
  json?: boolean;
}): Promise<Outcome> {
  const { runSelftest } = await import('../run/selftest.ts');
  // With --json, stdout is the JSON alone; the rounds go to stderr.
  const report = await runSelftest(opts.rounds, opts.durationMs, (line) =>
    opts.json ? console.error(line) : console.log(line),
  );
  if (opts.json)
    console.log(
      JSON.stringify({
        publisher_lag_us: report.publisher_lag_us,
        websocket_us: report.websocket_us,
        raw_tcp_us: report.raw_tcp_us,
      }),
    );
  return report.pass ? 'ok' : 'floor-missed';
}

/**
 * `feedbench calibrate`: each network profile against its setting; `floor-missed` when a target is
 * missed.
 */
export async function calibrateCommand(opts: { rounds: number }): Promise<Outcome> {
  const { runCalibration } = await import('../run/calibration-report.ts');
  return (await runCalibration(opts.rounds, (line) => console.log(line))) ? 'ok' : 'floor-missed';
}
