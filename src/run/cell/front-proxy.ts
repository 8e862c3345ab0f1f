import { FRONT_HOST, spkiHash, startCaddyFront } from '../../netem/caddy-front.ts';
import type { LossyLink } from '../../netem/lossy-link.ts';
import { freePort } from '../../process/external-program.ts';
import type { CellParams } from '../../results/index.ts';
import { selfSignedCertificate, type TlsMaterial } from '../../server/tls-certificate.ts';
import type { BrowserNetwork } from '../../driver/browser/chromium-network.ts';
import type { Teardown } from './teardown.ts';

/** Where the pages reach a cell's front proxy, and how. */
export interface FrontOfRig {
  readonly host: string;
  readonly port: number;
  /** The certificate it serves, which the clients trust. */
  readonly tls: TlsMaterial;
  readonly browserNetwork: BrowserNetwork;
}

/**
 * Starts caddy in front of the cell's server (`upstream`): on loopback, or on a lossy link in the
 * hop's namespace, where the delay proxy would stand (the clients' packets reach it through the
 * lossy link, QUIC's as TCP's). Stopped and its files removed by `teardown`.
 */
export async function startFrontProxy(
  p: CellParams,
  upstream: { host: string; port: number },
  lossyLink: LossyLink | undefined,
  teardown: Teardown,
): Promise<FrontOfRig> {
  const tls = selfSignedCertificate(`DNS:${FRONT_HOST}`);
  const reachAt = lossyLink?.hop.address ?? '127.0.0.1';
  // In the hop's own namespace, any port is free; on the host, one the OS says is.
  const port = lossyLink ? 8443 : await freePort();
  const front = await startCaddyFront({
    port,
    bind: lossyLink ? '0.0.0.0' : '127.0.0.1',
    reachAt,
    upstream: `${upstream.host}:${upstream.port}`,
    tls,
    namespace: lossyLink?.hop.namespace,
  });
  teardown.child(front.program.keeper);
  teardown.cleanup(() => Promise.resolve(front.removeFiles()));
  return {
    host: FRONT_HOST,
    port,
    tls,
    browserNetwork: {
      hostName: FRONT_HOST,
      address: reachAt,
      port,
      spki: spkiHash(tls.cert),
      quic: p.http === '3',
    },
  };
}
