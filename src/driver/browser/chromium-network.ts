/**
 * How a browser reaches a feed behind a front proxy (caddy): by a name mapped to the proxy's
 * address, trusting the proxy's certificate by its public key, and, for HTTP/3, over QUIC from the
 * first request.
 */
import type { BrowserNetwork } from '../../transports/transport.ts';

export type { BrowserNetwork };

/**
 * Chromium's command-line switches for a browser network; QUIC is off everywhere else, so no cell
 * drifts onto HTTP/3 by an Alt-Svc header.
 */
export function chromiumNetworkArgs(network: BrowserNetwork | undefined): string[] {
  if (!network) return ['--disable-quic'];
  return [
    `--host-resolver-rules=MAP ${network.hostName} ${network.address}`,
    `--ignore-certificate-errors-spki-list=${network.spki}`,
    ...(network.quic
      ? [`--origin-to-force-quic-on=${network.hostName}:${network.port}`]
      : ['--disable-quic']),
  ];
}
