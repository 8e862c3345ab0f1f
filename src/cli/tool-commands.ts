import type { Outcome } from './outcomes.ts';

/** `feedbench serve`: the feed server in the foreground, every transport on one port. */
export async function serveCommand(opts: { host: string; port: number; rate: number; payloadBytes: number }): Promise<Outcome> {
  const { createFeedServer } = await import('../server/feed-server.ts');
  const server = createFeedServer();
  const port = await server.listen(opts.port, opts.host);
  if (opts.rate > 0) server.publisher.configure({ rate: opts.rate, payloadBytes: opts.payloadBytes });
  console.log(`feed server on http://${opts.host}:${port} (GET /health, /poll, /long-poll, /sse, /ws); Ctrl-C stops it`);
  return 'ok';
}

/** `feedbench selftest`: the harness's own floor; `floor-missed` when above its target. */
export async function selftestCommand(opts: { rounds: number; durationMs: number }): Promise<Outcome> {
  const { runSelftest } = await import('../run/selftest.ts');
  const report = await runSelftest(opts.rounds, opts.durationMs, (line) => console.log(line));
  return report.pass ? 'ok' : 'floor-missed';
}

/** `feedbench calibrate`: each network profile against its setting; `floor-missed` when a target is missed. */
export async function calibrateCommand(opts: { rounds: number }): Promise<Outcome> {
  const { runCalibration } = await import('../run/calibration-report.ts');
  return (await runCalibration(opts.rounds, (line) => console.log(line))) ? 'ok' : 'floor-missed';
}
