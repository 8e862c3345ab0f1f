import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTaskset, stopChild } from '../process/children.ts';
import { freePort, isInstalled, startProgram } from '../process/external-program.ts';

/**
 * A poll target faster than one Node process: nginx answering every `GET /poll` with a fixed empty
 * answer.
 */
export interface NginxPollTarget {
  readonly url: string;
  stop(): Promise<void>;
}

/** The answer nginx gives: what feedbench's server gives a poll with nothing new. */
export const EMPTY_POLL_ANSWER = '{"updates":[],"last":0}';

/**
 * Starts Debian's nginx (`nginx-light`) on a free loopback port with one worker on `cores` (the
 * server's), logging nothing; null when it is not installed. It runs under a keeper, so it ends
 * with feedbench. `http2`: the port speaks h2c with prior knowledge instead of HTTP/1.1.
 */
export async function startNginxPollTarget(
  cores: readonly number[] | undefined,
  { http2 = false } = {},
): Promise<NginxPollTarget | null> {
  if (!isInstalled('nginx')) return null;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'feedbench-nginx-'));
  const config = join(dir, 'nginx.conf');
  writeFileSync(
    config,
    [
      'daemon off;',
      // One process: the keeper ends nginx with SIGKILL, which would leave a worker of a master
      // behind.
      'master_process off;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} error;`,
      'events { worker_connections 4096; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};`,
      '  keepalive_requests 1000000;',
      // A connection may carry any number of streams one after another (nginx's default closes it
      // at 1,000).
      '  http2_max_requests 1000000;',
      `  server { listen 127.0.0.1:${port}${http2 ? ' http2' : ''}; location /poll { default_type application/json; return 200 '${EMPTY_POLL_ANSWER}'; } }`,
      '}',
      '',
    ].join('\n'),
  );
  const pinned = hasTaskset && cores && cores.length > 0;
  const nginxArgs = ['-c', config, '-p', dir];
  const [command, args] = pinned
    ? ['taskset', ['-c', cores.join(','), 'nginx', ...nginxArgs]]
    : ['nginx', nginxArgs];
  const program = await startProgram('nginx', command, args, port);
  return { url: `http://127.0.0.1:${port}/poll?since=0`, stop: () => stopChild(program.keeper) };
}
