import { describe, expect, it } from 'vitest';
import { okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { browserSection } from './browser-section.ts';

const sse = { transport: 'sse', clients: 2, rate_per_s: 10, sse_drop_every_ms: 2_000 } as const;

describe('the report\'s browser section', () => {
  it('tables the reconnect experiment per client kind and retry:, saturated cells included and flagged', () => {
    const cells = reportOf([
        okCell({ ...sse, client_kind: 'node' }, { latency_us: { p50: 1_200, p99: 62_000, max: 68_000 }, delivery: { published: 120, delivered: 120, lost: 0 }, errors: { count: 6 } }),
        okCell({ ...sse, client_kind: 'browser', sse_retry_ms: 250 }, { latency_us: { p50: 4_100, p99: 227_000, max: 230_000 }, delivery: { published: 120, delivered: 120, lost: 0 }, errors: { count: 5 }, driver: { saturated: true } }),
    ]);
    const html = browserSection(cells);
    expect(html).toContain('When the server drops streams');
    expect(html).toMatch(/feedbench's client \(backoff: first wait 0-100 ms\)<\/td><td>HTTP\/1.1<\/td><td class="n">2000 ms<\/td><td>none \(browser default\)<\/td><td class="n">6<\/td><td class="n">120\/120<\/td>/);
    expect(html).toMatch(/Chromium's EventSource ⚠<\/td><td>HTTP\/1.1<\/td><td class="n">2000 ms<\/td><td>250 ms<\/td><td class="n">5<\/td>/);
    // A cell whose streams were cut is not a cross-check of steady delivery.
    expect(html).not.toContain('browser-pairs');
  });

  it('pairs each browser cell of the feed\'s own origin with the Node cell of the same load', () => {
    const html = browserSection(reportOf([
      okCell({ transport: 'sse', client_kind: 'node', page_origin: null }, { latency_us: { p50: 1_000 } }),
      okCell({ transport: 'sse', client_kind: 'browser', page_origin: 'same' }, { latency_us: { p50: 5_000 } }),
      okCell({ transport: 'sse', client_kind: 'browser', page_origin: 'other' }, { latency_us: { p50: 7_000 } }),
    ]));
    expect(html).toContain('browser-pairs');
    expect(html).toMatch(/<td>latency p50<\/td><td class="n">1\.00 ms<\/td><td class="n">5\.00 ms<\/td><td class="n">\+400%<\/td>/);
    expect(html).not.toContain('7.00 ms');
  });

  it('puts Chromium\'s own byte count beside the server\'s, per delivered update; an HTTP request\'s sent bytes are not said', () => {
    const cells = reportOf([
        okCell({ transport: 'short-poll', client_kind: 'browser' }, { wire: { bytes_down: 2_384, bytes_up: 2_196, updates_received: 10, browser_counted: { received_bytes_per_update: 238.4, sent_bytes_per_update: null } } }),
        okCell({ transport: 'websocket', client_kind: 'browser' }, { wire: { bytes_down: 1_690, bytes_up: 0, updates_received: 10, browser_counted: { received_bytes_per_update: 160, sent_bytes_per_update: 0 } } }),
    ]);
    const html = browserSection(cells);
    expect(html).toContain('The browser\'s own byte count beside the server\'s');
    expect(html).toMatch(/<td class="n">238 B<\/td><td class="n">238 B<\/td><td class="n">\+0%<\/td><td class="n">220 B<\/td><td class="n">not said<\/td>/);
    expect(html).toMatch(/<td class="n">169 B<\/td><td class="n">160 B<\/td><td class="n">-5%<\/td><td class="n">0.0 B<\/td><td class="n">0.0 B<\/td>/);
  });
});
