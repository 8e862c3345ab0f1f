import { PATHS } from '../../protocol/feed-protocol.ts';

/** Where nchan's module file is on Debian (package `libnginx-mod-nchan`). */
export const NCHAN_MODULE_PATH = '/usr/lib/nginx/modules/ngx_nchan_module.so';

/** What one nginx + nchan server is started with. */
export interface NchanConfigOptions {
  /** A folder of its own for the pid file, logs and temporary files. */
  readonly dir: string;
  /** Where subscribers connect. */
  readonly port: number;
  /** Where the publisher POSTs: a port of its own, so subscriber connections can be counted apart. */
  readonly publishPort: number;
  /** The subscriber port speaks h2c with prior knowledge instead of HTTP/1.1. */
  readonly http2: boolean;
  /** Messages the channel keeps for cursors. */
  readonly bufferLength: number;
  /** How long a long poll is held before nchan answers 408, ms (nginx takes whole seconds). */
  readonly longPollHoldMs: number;
}

/**
 * The nginx.conf of one nchan feed: one channel (`feed`), its four subscriber forms on the feed
 * protocol's paths (interval polling on /poll, long polling on /long-poll, EventSource on /sse,
 * WebSocket on /ws) and POST publishing on a port of its own. One process (`master_process off`):
 * feedbench measures that process and pins it, and its keeper ends it with SIGKILL, which would
 * leave a master's worker behind.
 *
 * A new stream (SSE, WebSocket) starts at the next message (`newest`), as a feed client without a
 * cursor starts at `last`. Polls keep nchan's default (`oldest`): with `newest`, an interval poll
 * without a cursor answers 304 with no cursor for ever. A long poll answers every message since
 * its cursor at once, as multipart/mixed; interval polls do not take multipart (nchan 1.3.6 then
 * answers 304 at the newest message whatever the cursor).
 */
export function nchanConfig(o: NchanConfigOptions): string {
  const channel = 'nchan_channel_id feed;';
  const subscriber = (path: string, form: string, more = '') =>
    `    location = ${path} { nchan_subscriber ${form}; ${channel}${more} }`;
  const holdS = Math.max(1, Math.ceil(o.longPollHoldMs / 1000));
  return [
    `load_module ${NCHAN_MODULE_PATH};`,
    'daemon off;',
    'master_process off;',
    `pid ${o.dir}/nginx.pid;`,
    `error_log ${o.dir}/error.log error;`,
    // As many connections as the process may open files (the driver holds up to 100,000 clients).
    'worker_rlimit_nofile 20000;',
    'events { worker_connections 19000; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${o.dir}; proxy_temp_path ${o.dir}; fastcgi_temp_path ${o.dir}; uwsgi_temp_path ${o.dir}; scgi_temp_path ${o.dir};`,
    // A poller's connection carries any number of requests (nginx's default closes it at 1,000).
    '  keepalive_requests 1000000;',
    '  keepalive_timeout 130s;',
    '  nchan_max_reserved_memory 256M;',
    // Streams are held on purpose: never time a subscriber out (long polls get their hold).
    '  nchan_subscriber_timeout 0;',
    '  server {',
    `    listen 127.0.0.1:${o.port}${o.http2 ? ' http2' : ''};`,
    subscriber(PATHS.poll, 'interval-poll'),
    subscriber(
      PATHS.longPoll,
      'longpoll',
      ` nchan_longpoll_multipart_response on; nchan_subscriber_timeout ${holdS}s;`,
    ),
    subscriber(PATHS.sse, 'eventsource', ' nchan_subscriber_first_message newest;'),
    subscriber(PATHS.websocket, 'websocket', ' nchan_subscriber_first_message newest;'),
    '  }',
    '  server {',
    `    listen 127.0.0.1:${o.publishPort};`,
    `    location = /publish { nchan_publisher http; ${channel} nchan_message_buffer_length ${o.bufferLength}; nchan_message_timeout 0; }`,
    '    location = /status { nchan_stub_status; }',
    '  }',
    '}',
    '',
  ].join('\n');
}
