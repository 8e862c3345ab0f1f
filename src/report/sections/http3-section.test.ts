import { describe, expect, it } from 'vitest';
import { latency, okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import type { CellParams } from '../../results/index.ts';
import { http3Pairs, httpPairs } from '../http-versions.ts';
import { http3Section } from './http3-section.ts';

/** A Chromium page's SSE cell through caddy over TLS, on this HTTP version. */
const page = (http: CellParams['http'], p99Us: number, protocols: Record<string, number>) =>
  okCell(
    { transport: 'sse', client_kind: 'browser', tls: true, front_proxy: 'caddy', http, clients: 4 },
    { latency_us: { ...latency(2_000), p99: p99Us }, next_hop_protocols: protocols },
  );

describe('the HTTP/3 section', () => {
  it('pairs each HTTP/3 page cell with its HTTP/2 twin, apart from the HTTP/1.1-2 pairs', () => {
    const cells = reportOf([
      page('2', 30_000, { h2: 4 }),
      page('3', 9_000, { h3: 4 }),
      okCell({ transport: 'sse', http: '1.1' }),
      okCell({ transport: 'sse', http: '2' }),
    ]);
    const pairs = http3Pairs(cells);
    expect(pairs.map((p) => [p.transport, p.http2.cell.params.http, p.http3.cell.params.http])).toEqual([['sse', '2', '3']]);
    // The HTTP/2 page has no HTTP/1.1 twin, so the 1.1-2 table keeps only the Node clients' pair.
    expect(httpPairs(cells).map((p) => p.http1.cell.params.client_kind)).toEqual(['node']);
  });

  it('shows what each page got and its tail, side by side', () => {
    const html = http3Section(reportOf([page('2', 30_000, { h2: 4 }), page('3', 9_000, { h3: 3, 'http/1.1': 1 })]));
    expect(html).toContain('<section id="http3">');
    expect(html).toMatch(/protocol the pages got<\/td><td class="n">h2 ×4<\/td><td class="n">h3 ×3, http\/1\.1 ×1<\/td>/);
    expect(html).toMatch(/latency p50 \/ p99 \/ max<\/td><td class="n">[^<]* \/ 30\.0 ms \/ [^<]*<\/td><td class="n">[^<]* \/ 9\.00 ms \/ /);
  });

  it('is absent without an HTTP/3 cell and its twin', () => {
    expect(http3Section(reportOf([page('3', 9_000, { h3: 4 })]))).toBe('');
    expect(http3Section(reportOf([okCell({ transport: 'sse', http: '2' })]))).toBe('');
  });
});
