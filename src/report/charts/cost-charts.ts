import { bars, type ChartSpec } from './chart-kit.ts';
import { kindOf } from '../../transports/registry.ts';
import type { ReportCell } from '../report-cells.ts';

const kib = (b: number | null) => (b === null ? null : b / 1024);

/**
 * The feed's cost charts: bytes, requests, empty polls, set-up, server CPU and memory; one unit per
 * axis.
 */
export function costCharts(cells: readonly ReportCell[]): ChartSpec[] {
  const polls = cells.filter((c) => kindOf(c.cell.params.transport) === 'poll');
  return [
    {
      id: 'bytes',
      title: 'Wire bytes per delivered update',
      what: 'Bytes on the wire per update received, both directions: the update\'s own JSON (solid) and what the transport adds, headers and framing (faded).',
      config: bars(cells, [
        { label: 'update JSON', value: (m) => m.wire.payload_bytes_per_update },
        { label: 'headers and framing', value: (m) => m.wire.overhead_bytes_per_update, faded: true },
      ], 'wire bytes per update (B)', 'linear', true),
    },
    {
      id: 'requests',
      title: 'HTTP requests per delivered update',
      what: 'Requests the clients made per update received. Push transports make none after connecting.',
      config: bars(cells, [{ label: 'requests per update', value: (m) => m.wire.requests_per_update }], 'requests per update'),
    },
    ...(polls.length > 0
      ? [{
          id: 'empty-polls',
          title: 'Polls answered with nothing',
          what: 'The share of polls that came back without an update: requests made for nothing.',
          config: bars(polls, [{ label: 'empty polls', value: (m) => (m.wire.empty_poll_share === null ? null : m.wire.empty_poll_share * 100) }], 'empty polls (% of polls)', 'linear'),
        }]
      : []),
    {
      id: 'connect',
      title: 'Connection set-up time',
      what: 'From connect start to the first usable byte (WebSocket upgrade, SSE response head, first poll answer): p50 solid, p99 faded.',
      config: bars(cells, [
        { label: 'p50', value: (m) => (m.connect_us ? m.connect_us.p50 / 1000 : null) },
        { label: 'p99', value: (m) => (m.connect_us ? m.connect_us.p99 / 1000 : null), faded: true },
      ], 'set-up time (ms, log scale)', 'logarithmic'),
    },
    {
      id: 'cpu',
      title: 'Server CPU per 1,000 delivered updates',
      what: 'CPU time the server process spent over the window, per 1,000 updates delivered: what each transport costs the server.',
      config: bars(cells, [{ label: 'server CPU', value: (m) => m.server.cpu_ms_per_1k_updates }], 'server CPU (ms per 1,000 updates)'),
    },
    {
      id: 'memory',
      title: 'Memory per connection',
      what: 'What each connected client costs the server: live JavaScript heap and buffers after a full GC (solid), and resident memory growth (faded, noisier: the heap grows in steps).',
      config: bars(cells, [
        { label: 'server, live after GC', value: (m) => kib(m.server.live_bytes_per_conn) },
        { label: 'server, RSS', value: (m) => kib(m.server.rss_bytes_per_conn), faded: true },
      ], 'server memory per connection (KiB)'),
    },
  ];
}
