import { describe, expect, it } from 'vitest';
import { expandCells, notApplicableReason } from './cells.ts';
import { parseScenarios } from './scenario.ts';
import { lossReason } from './loss-rules.ts';
import { frontProxyReason } from './front-proxy-rules.ts';
import { lossUnavailable } from '../netem/lossy-link.ts';
import { caddyMissing } from '../netem/caddy-front.ts';

/** The first cell of a one-scenario file with these fields (SSE, 10 clients unless they say). */
const cellOf = (fields: object) =>
  expandCells(
    parseScenarios(
      { name: 's', transports: ['sse'], clients: 10, ratePerSec: 5, payloadBytes: 16, ...fields },
      'test',
    )[0]!,
  )[0]!.params;

/** An HTTP/3 page through caddy, as scenarios/loss.json asks for one. */
const h3Page = { clientKind: 'browser', tls: true, http: '3', frontProxy: 'caddy' };

describe('which cells a lossy link can carry', () => {
  it('asks nothing of a network that drops nothing: loopback and the delay profiles', () => {
    expect(lossReason(cellOf({}), {})).toBeNull();
    expect(lossReason(cellOf({ network: 'mobile' }), {})).toBeNull();
    expect(lossReason(cellOf({ network: 'mobile', server: 'nchan' }), {})).toBeNull();
  });

  it('runs the feed server behind a link that loses packets, or says what is missing here', () => {
    // 0 % loss is the same lossy link without drops: the baseline of the comparison.
    for (const network of [{ lossPercent: 0 }, { lossPercent: 2 }, 'handover']) {
      expect(lossReason(cellOf({ network }), {})).toBe(lossUnavailable());
    }
  });

  it('refuses what the namespaces cannot reach: a target, agents, nchan, Socket.IO, scale-out, TLS without caddy', () => {
    const lossy = { network: { lossPercent: 1 } };
    expect(lossReason(cellOf(lossy), { target: 'http://127.0.0.1:9/' })).toMatch(/not a target/);
    expect(lossReason(cellOf(lossy), { agents: 2 })).toMatch(/agents have links of their own/);
    expect(lossReason(cellOf({ ...lossy, server: 'nchan' }), {})).toMatch(
      /nchan listens on loopback/,
    );
    expect(
      lossReason(cellOf({ ...lossy, server: 'socket.io', transports: ['websocket'] }), {}),
    ).toMatch(/socket\.io listens on loopback/);
    expect(lossReason(cellOf({ ...lossy, scaleOut: { instances: 2 } }), {})).toMatch(
      /balancer listens on loopback/,
    );
    expect(lossReason(cellOf({ ...lossy, tls: true }), {})).toMatch(
      /certificate names 127\.0\.0\.1 only/,
    );
    // Through caddy, TLS ends at caddy, whose certificate names the pages' host.
    expect(lossReason(cellOf({ ...lossy, ...h3Page }), {})).toBe(lossUnavailable());
  });
});

describe('which cells run over HTTP/3 or through caddy', () => {
  it('runs browser pages over TLS through caddy, on loopback or a link that only drops', () => {
    expect(frontProxyReason(cellOf(h3Page), {})).toBe(caddyMissing());
    expect(frontProxyReason(cellOf({ ...h3Page, http: '2' }), {})).toBe(caddyMissing());
    expect(frontProxyReason(cellOf({ ...h3Page, network: { lossPercent: 3 } }), {})).toBe(
      caddyMissing(),
    );
    // No caddy asked, nothing to say.
    expect(frontProxyReason(cellOf({}), {})).toBeNull();
  });

  it('gives HTTP/3 without what QUIC needs a reason', () => {
    expect(frontProxyReason(cellOf({ ...h3Page, clientKind: 'node' }), {})).toMatch(
      /Node 20 has no QUIC/,
    );
    expect(frontProxyReason(cellOf({ ...h3Page, tls: false }), {})).toMatch(/always encrypted/);
    expect(frontProxyReason(cellOf({ ...h3Page, transports: ['websocket'] }), {})).toMatch(
      /RFC 9220/,
    );
  });

  it('gives what caddy cannot stand in front of a reason', () => {
    const viaCaddy = { ...h3Page, http: '2' };
    expect(frontProxyReason(cellOf(viaCaddy), { target: 'https://127.0.0.1:9/' })).toMatch(
      /not a target/,
    );
    expect(frontProxyReason(cellOf(viaCaddy), { agents: 2 })).toMatch(/on agents, no caddy/);
    expect(frontProxyReason(cellOf({ ...viaCaddy, server: 'nchan' }), {})).toMatch(/not nchan/);
    expect(frontProxyReason(cellOf({ ...viaCaddy, scaleOut: { instances: 2 } }), {})).toMatch(
      /not of a scale-out/,
    );
    expect(frontProxyReason(cellOf({ ...viaCaddy, clientKind: 'node' }), {})).toMatch(
      /clients are Chromium's pages/,
    );
    expect(frontProxyReason(cellOf({ ...viaCaddy, tls: false }), {})).toMatch(/HTTPS only/);
    expect(frontProxyReason(cellOf({ ...viaCaddy, transports: ['websocket'] }), {})).toMatch(
      /no RFC 8441/,
    );
    expect(frontProxyReason(cellOf({ ...viaCaddy, pageOrigin: 'other' }), {})).toMatch(
      /feed's own origin/,
    );
    expect(frontProxyReason(cellOf({ ...viaCaddy, network: 'broadband' }), {})).toMatch(
      /may drop packets but not delay them/,
    );
  });

  it('records the cell not-applicable with the first reason that holds', () => {
    const reason = notApplicableReason(cellOf({ ...h3Page, clientKind: 'node' }));
    expect(reason).toMatch(/Node 20 has no QUIC/);
  });
});
