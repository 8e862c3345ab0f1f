/**
 * caddy in front of a feed server, as a TLS-terminating reverse proxy that speaks HTTP/1.1, HTTP/2
 * and HTTP/3 (QUIC) to the clients and plain HTTP/1.1 to the server: the only way to reach
 * feedbench's feed over HTTP/3, since Node 20 has no QUIC. Browser pages reach it by a name,
 * FRONT_HOST, that Chromium maps to its address: Chromium will not use QUIC to an IP literal.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInstalled, startProgram, type StartedProgram } from '../process/external-program.ts';

/** The name the pages use for the feed's origin through caddy. */
export const FRONT_HOST = 'feed.test';

/** Why caddy cannot run here, or null when it can. */
export function caddyMissing(): string | null {
  return isInstalled('caddy')
    ? null
    : 'caddy is not installed (Debian: apt-get install caddy): HTTP/3 and the caddy hop need it';
}

/** The base64 SHA-256 of a certificate's public key, as Chromium's SPKI lists take it. */
export function spkiHash(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** A PEM key and certificate (the server's TlsMaterial, which netem does not import). */
interface TlsMaterial {
  readonly key: string;
  readonly cert: string;
}

/** Where caddy listens and what it forwards to. */
export interface CaddyFront {
  /** Its address (TCP and UDP), the port the pages use. */
  readonly address: string;
  readonly port: number;
  /** The certificate it serves, for FRONT_HOST. */
  readonly tls: TlsMaterial;
  /** caddy's keeper: stopping it stops caddy. */
  readonly program: StartedProgram;
  /** Removes its configuration and state (once it stopped). */
  removeFiles(): void;
}

/**
 * The Caddyfile: no admin API, no automatic HTTPS (the run's own certificate), HTTP/1.1, 2 and 3
 * on one port, and every response streamed as it comes (`flush_interval -1`: an SSE stream or a
 * long poll is not buffered).
 */
export function caddyfile(o: {
  port: number;
  bind: string;
  upstream: string;
  certFile: string;
  keyFile: string;
  dataDir: string;
}): string {
  return `{
	auto_https off
	admin off
	storage file_system ${o.dataDir}
	servers {
		protocols h1 h2 h3
	}
}

https://${FRONT_HOST}:${o.port} {
	bind ${o.bind}
	tls ${o.certFile} ${o.keyFile}
	reverse_proxy ${o.upstream} {
		flush_interval -1
	}
}
`;
}

/**
 * Starts caddy on `port` (bound to `bind`, in `namespace` when given) in front of `upstream`
 * (host:port), serving `tls`, and waits until it listens, checked at `reachAt`.
 */
export async function startCaddyFront(o: {
  port: number;
  bind: string;
  reachAt: string;
  upstream: string;
  tls: TlsMaterial;
  namespace?: string | undefined;
}): Promise<CaddyFront> {
  const dir = mkdtempSync(join(tmpdir(), 'feedbench-caddy-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  writeFileSync(certFile, o.tls.cert);
  writeFileSync(keyFile, o.tls.key, { mode: 0o600 });
  const config = join(dir, 'Caddyfile');
  writeFileSync(config, caddyfile({ ...o, certFile, keyFile, dataDir: join(dir, 'data') }));
  // caddy writes its state under XDG_DATA_HOME and XDG_CONFIG_HOME: the run's own folder, not
  // the user's home.
  const run = [
    'env',
    `XDG_DATA_HOME=${dir}`,
    `XDG_CONFIG_HOME=${dir}`,
    'caddy',
    'run',
    '--config',
    config,
    '--adapter',
    'caddyfile',
  ];
  const [command, ...args] = o.namespace ? ['ip', 'netns', 'exec', o.namespace, ...run] : run;
  try {
    const program = await startProgram('caddy', command ?? 'env', args, o.port, o.reachAt);
    return {
      address: o.bind,
      port: o.port,
      tls: o.tls,
      program,
      removeFiles: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
