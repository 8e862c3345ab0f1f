import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProgram, type StartedProgram } from '../process/external-program.ts';

/**
 * HAProxy's configuration for K instances: TCP mode (every transport works as it is, WebSocket
 * upgrades and held requests included, and a connection stays on the instance it reached),
 * round-robin, health checks every 100 ms so a dead instance leaves the rotation, and a
 * connection that cannot reach its instance is redispatched to another. Timeouts of an hour:
 * streams and long polls are held on purpose.
 */
export function haproxyConfig(port: number, instancePorts: readonly number[]): string {
  return [
    'global',
    '  maxconn 100000',
    'defaults',
    '  mode tcp',
    '  timeout connect 1s',
    '  timeout client 1h',
    '  timeout server 1h',
    '  retries 3',
    '  option redispatch',
    'frontend feed',
    `  bind 127.0.0.1:${port}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    ...instancePorts.map((p, i) => `  server instance${i} 127.0.0.1:${p} check inter 100ms fall 1 rise 2`),
    '',
  ].join('\n');
}

/** Starts HAProxy (Debian's package) in the foreground on a free port, in front of the instances. */
export async function startHaproxy(instancePorts: readonly number[]): Promise<{ port: number; program: StartedProgram }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'feedbench-haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(port, instancePorts));
  const program = await startProgram('haproxy', 'haproxy', ['-f', config, '-db'], port);
  return { port, program };
}
