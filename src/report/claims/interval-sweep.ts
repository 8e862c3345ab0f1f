import { ofTransport, type MeasuredCell, type ReportCell } from '../report-cells.ts';

/**
 * Bytes a cell's clients moved per client-hour, from its window (µ over the window, scaled to an
 * hour).
 */
export function bytesPerClientHour(c: MeasuredCell): number {
  const seconds = c.run.scenario.durationMs / 1000;
  return ((c.metrics.wire.bytes_down + c.metrics.wire.bytes_up) / c.cell.params.clients / seconds) * 3600;
}

/** Short polling (keep-alive) and push cells at each update rate present in both, fastest first. */
export function intervalSweep(cells: readonly ReportCell[]): { rate: number; polls: MeasuredCell[]; push: MeasuredCell[] }[] {
  // One poll interval: the one measured at the most update rates (the sweep's), so that cells
  // polling at other intervals (another part of a suite) do not mix into its medians.
  const allPolls = ofTransport(cells, 'short-poll', (c) => c.cell.params.keep_alive !== false);
  const ratesAt = (interval: number | null) => new Set(allPolls.filter((c) => c.cell.params.poll_interval_ms === interval).map((c) => c.cell.params.rate_per_s)).size;
  const interval = [...new Set(allPolls.map((c) => c.cell.params.poll_interval_ms))].sort((a, b) => ratesAt(b) - ratesAt(a) || (b ?? 0) - (a ?? 0))[0];
  const polls = allPolls.filter((c) => c.cell.params.poll_interval_ms === interval);
  const pushCells = [...ofTransport(cells, 'websocket', (c) => !c.cell.params.ws_compression), ...ofTransport(cells, 'sse')];
  const rates = [...new Set(polls.map((c) => c.cell.params.rate_per_s))].filter((r) => pushCells.some((c) => c.cell.params.rate_per_s === r)).sort((a, b) => b - a);
  return rates.map((rate) => ({ rate, polls: polls.filter((c) => c.cell.params.rate_per_s === rate), push: pushCells.filter((c) => c.cell.params.rate_per_s === rate) }));
}
