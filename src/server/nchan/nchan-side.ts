import { isInstalled } from '../../process/external-program.ts';
import { existsSync } from 'node:fs';
import { NCHAN_MODULE_PATH } from './nchan-config.ts';

/** Options of the nchan server process (argv[2], JSON). */
export interface NchanProcessOptions {
  /** Subscribers connect over h2c with prior knowledge instead of HTTP/1.1. */
  readonly http2: boolean;
  /** The cores nginx is pinned to (the server's); absent, not pinned. */
  readonly nginxCores?: readonly number[];
  /** Messages nchan keeps in the channel for cursors. */
  readonly bufferLength: number;
  /** How long nchan holds a long poll before answering 408, ms (rounded up to seconds). */
  readonly longPollHoldMs: number;
  /** The publisher's own history, for the window's seq range. */
  readonly historySize: number;
  readonly historyBytes: number;
}

/** The module the nchan server process runs. */
export const NCHAN_PROCESS_MODULE = new URL('./nchan-process.ts', import.meta.url);

/**
 * Why nchan cannot run on this machine (the Debian packages to install), or null when it can;
 * `modulePath` is where the module should be (Debian's place unless a test says otherwise).
 */
export function nchanMissing(modulePath = NCHAN_MODULE_PATH): string | null {
  if (!isInstalled('nginx'))
    return 'nginx is not installed: nchan needs the Debian packages nginx-light and libnginx-mod-nchan';
  if (!existsSync(modulePath))
    return `nchan is not installed (no ${modulePath}): install the Debian package libnginx-mod-nchan`;
  return null;
}
