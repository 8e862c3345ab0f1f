import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProgram, type StartedProgram } from '../process/external-program.ts';

/** Connections HAProxy holds at once: two descriptors each, under a 20,000 per-process limit. */
export const HAPROXY_MAX_CONNECTIONS = 9_000;

/**
 * HAProxy's configuration for K instances: TCP mode (every transport works as it is, WebSocket
 * upgrades and held requests included, and a connection stays on the instance it reached),
 * round-robin, health checks every 100 ms so a dead instance leaves the rotation, and a connection
 * that cannot reach its instance is redispatched to another at every retry. Timeouts of an hour:
 * streams and long polls are held on purpose.
 */
export function haproxyConfig(port: number, instancePorts: readonly number[]): string {
  return [
    'global',
    // Each proxied connection holds two descriptors; the per-process limit here is 20,000.
    `  maxconn ${HAPROXY_MAX_CONNECTIONS}`,
    'defaults',
    '  mode tcp',
    // Also the wait before retrying a refused connection (min(timeout connect, 1 s)): with 1 s, a
    // client reconnecting just after the kill waited a second for the dead instance's turn.
    '  timeout connect 100ms',
    '  timeout client 1h',
    '  timeout server 1h',
    '  retries 3',
    '  option redispatch 1',
    'frontend feed',
    `  bind 127.0.0.1:${port}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    ...instancePorts.map(
      (p, i) => `  server instance${i} 127.0.0.1:${p} check inter 100ms fall 1 rise 2`,
    ),
    '',
  ].join('\n');
}

/**
 * Starts HAProxy (Debian's package) in the foreground on a free port, in front of the instances.
 */
export async function startHaproxy(
  instancePorts: readonly number[],
): Promise<{ port: number; program: StartedProgram }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'feedbench-haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(port, instancePorts));
  try {
    const program = await startProgram('haproxy', 'haproxy', ['-f', config, '-db'], port);
    return { port, program };
  } finally {
    // HAProxy reads its configuration once, at start (never reloaded here): listening, or failed
    // to, it needs the file no more, and a folder per run would pile up in the temp directory.
    rmSync(dir, { recursive: true, force: true });
  }
}
