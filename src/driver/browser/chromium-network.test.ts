import { describe, expect, it } from 'vitest';
import { chromiumNetworkArgs } from './chromium-network.ts';

const network = {
  hostName: 'feed.test',
  address: '10.231.0.2',
  port: 8443,
  spki: 'abc=',
  quic: true,
};

describe("Chromium's network switches", () => {
  it('keeps QUIC off without a front proxy, so no cell drifts onto HTTP/3 by Alt-Svc', () => {
    expect(chromiumNetworkArgs(undefined)).toEqual(['--disable-quic']);
  });

  it('maps the name to the proxy, trusts its key, and forces QUIC on for HTTP/3 only', () => {
    expect(chromiumNetworkArgs(network)).toEqual([
      '--host-resolver-rules=MAP feed.test 10.231.0.2',
      '--ignore-certificate-errors-spki-list=abc=',
      '--origin-to-force-quic-on=feed.test:8443',
    ]);
    expect(chromiumNetworkArgs({ ...network, quic: false }).at(-1)).toBe('--disable-quic');
  });
});
