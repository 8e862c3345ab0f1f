import { describe, expect, it } from 'vitest';
import { okCell, reportOf } from '../../test/helpers/synthetic-results.ts';
import { lossyCell } from '../../test/helpers/lossy-cell.ts';
import { lossSeries, lossyCells, lossyNetworks, medianFigure } from './loss.ts';
import { lossSection } from './sections/loss-section.ts';

const h2Shared = { transport: 'sse' as const, http: '2' as const, h2_clients_per_connection: 10 };
const sse = { transport: 'sse' as const };

describe('the cells on lossy links, for the report', () => {
  it('keeps the cells with a link, orders their networks by loss with outages last, and groups each configuration', () => {
    const cells = reportOf([
      okCell(sse),
      lossyCell(sse, 3, 70_000),
      lossyCell(sse, 0, 42_000),
      lossyCell(sse, 1, 60_000, { every_ms: 10_000, for_ms: 1_500 }),
      lossyCell(h2Shared, 1, 31_000),
      lossyCell(sse, 1, 65_000),
    ]);
    const lossy = lossyCells(cells);
    expect(lossy).toHaveLength(5);
    expect(lossyNetworks(lossy)).toEqual(['rtt40-loss0', 'rtt40-loss1', 'rtt40-loss3', 'handover']);
    const series = lossSeries(lossy);
    expect(series.map((s) => [s.transport, s.http, s.sharedConnections, [...s.byNetwork.keys()].sort()])).toEqual([
      ['sse', '1.1', false, ['handover', 'rtt40-loss0', 'rtt40-loss1', 'rtt40-loss3']],
      ['sse', '2', true, ['rtt40-loss1']],
    ]);
  });

  it('tells a chat line and a page line from the feed line of the same transport', () => {
    const cells = reportOf([
      lossyCell(sse, 1, 60_000),
      lossyCell({ ...sse, workload: 'chat' }, 1, 90_000),
      lossyCell({ ...sse, client_kind: 'browser', tls: true }, 1, 30_000),
    ]);
    expect(lossSeries(lossyCells(cells)).map((s) => s.variant)).toEqual(['', 'chat', 'pages']);
    const { charts } = lossSection(cells);
    const config = charts[0]!.config as { data: { datasets: { label: string }[] } };
    expect(config.data.datasets.map((d) => d.label)).toEqual(['sse, HTTP/1.1', 'sse chat, HTTP/1.1', 'sse pages, HTTP/1.1']);
  });

  it('takes the median over repetitions, and null when no cell has the figure', () => {
    const cells = lossyCells(reportOf([lossyCell(sse, 1, 60_000), lossyCell(sse, 1, 90_000), lossyCell(sse, 1, 61_000)]));
    expect(medianFigure(cells, (c) => c.metrics.latency_us?.p99)).toBe(61_000);
    expect(medianFigure(cells, () => null)).toBeNull();
    expect(medianFigure(undefined, (c) => c.metrics.latency_us?.p99)).toBeNull();
  });
});

describe('the lossy networks section', () => {
  it('is absent when no cell ran on a lossy link', () => {
    expect(lossSection(reportOf([okCell(sse), okCell({ transport: 'websocket' })]))).toEqual({ html: '', charts: [] });
  });

  it('charts p99 against the loss set, one line per configuration, and tables every network', () => {
    const cells = reportOf([lossyCell(sse, 3, 70_000), lossyCell(sse, 0, 42_000), lossyCell(h2Shared, 1, 31_000), lossyCell(sse, 1, 60_000, { every_ms: 10_000, for_ms: 1_500 })]);
    const { html, charts } = lossSection(cells);
    expect(html).toContain('<section id="loss">');
    const config = charts[0]!.config as { data: { datasets: { label: string; data: { x: number; y: number }[] }[] } };
    // Outages have no place on a loss axis; the points run in order of loss, in ms.
    expect(config.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['sse, HTTP/1.1', [{ x: 0, y: 42 }, { x: 3, y: 70 }]],
      ['sse, HTTP/2, shared connections', [{ x: 1, y: 31 }]],
    ]);
    // A table per set of networks, a column per network of its set: no column a row did not run.
    const tables = html.split('<table').slice(1).map((t) => t.match(/<th>(rtt40|handover)[^<]*<\/th>/g));
    expect(tables).toEqual([['<th>rtt40-loss0</th>', '<th>rtt40-loss3</th>', '<th>handover</th>'], ['<th>rtt40-loss1</th>']]);
    // The measured loss beside the set one: 30 of 1,000 packets to the clients is 3 %.
    expect(html).toContain('3.00 / 3.75');
  });
});
