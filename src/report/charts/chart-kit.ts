import type { CellMetrics } from '../../results/index.ts';
import { findTransport } from '../../transports/registry.ts';
import { cellFlags, type ReportCell } from '../report-cells.ts';

/**
 * The colour of a transport on every chart and table, from its descriptor (grey for one this
 * feedbench does not know).
 */
export const transportColour = (transport: string): string => findTransport(transport)?.colour ?? '#999999';

/**
 * A chart for the page: its id, title, a sentence on what it shows, and a JSON-only Chart.js
 * config.
 */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly what: string;
  readonly config: object;
}

const translucent = (hex: string) => `${hex}66`;
/** A cell's colour: its transport's. */
export const colourOf = (c: ReportCell) => transportColour(c.cell.params.transport);
/**
 * Flagged cells (errored, saturated, lossy) get a red outline and a mark on their label, on every
 * chart.
 */
export const labelOf = (c: ReportCell) => (cellFlags(c).length > 0 ? `${c.label} ⚠` : c.label);
/**
 * Bar labels in lines of at most about 24 characters, so they fit a narrow window instead of being
 * cut.
 */
function wrapped(label: string): string[] {
  const lines: string[] = [];
  for (const word of label.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + word.length < 24) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}
const border = (cells: readonly ReportCell[]) => ({
  borderColor: cells.map((c) => (cellFlags(c).length > 0 ? '#d0021b' : 'rgba(0,0,0,0)')),
  borderWidth: cells.map((c) => (cellFlags(c).length > 0 ? 3 : 0)),
});

/** An HTTP version's name for people. */
export const HTTP_NAME = { '1.1': 'HTTP/1.1', '2': 'HTTP/2', '3': 'HTTP/3' } as const;

/** Line style per HTTP version, on every line chart: HTTP/1.1 solid, HTTP/2 dashed, HTTP/3 dotted. */
export const HTTP_DASH: Record<'1.1' | '2' | '3', number[]> = { '1.1': [], '2': [8, 4], '3': [2, 3] };

/**
 * Marker per client kind, on every line chart: feedbench's own clients a circle, browser pages a
 * triangle.
 */
export const CLIENT_MARKER: Record<'node' | 'browser', string> = { node: 'circle', browser: 'triangle' };

/**
 * A cell's line on a line chart: its transport's colour, its HTTP version's dash, its client
 * kind's marker; a flagged cell is drawn thicker with crosses.
 */
export function lineStyleOf(c: ReportCell): object {
  const flagged = cellFlags(c).length > 0;
  const colour = colourOf(c);
  return {
    borderColor: colour,
    backgroundColor: colour,
    borderDash: HTTP_DASH[c.cell.params.http],
    borderWidth: flagged ? 4 : 2,
    pointStyle: flagged ? 'crossRot' : CLIENT_MARKER[c.cell.params.client_kind],
    pointRadius: flagged ? 5 : 2.5,
    showLine: true,
  };
}

/** A labelled axis. */
export function axis(title: string, type: 'linear' | 'logarithmic' = 'linear', extra: object = {}): object {
  return { type, title: { display: true, text: title }, ...extra };
}

/** A horizontal bar chart of cells: one bar per dataset per cell, flagged cells outlined. */
export function bars(cells: readonly ReportCell[], datasets: { label: string; value: (m: CellMetrics, c: ReportCell) => number | null | undefined; faded?: boolean }[], yTitle: string, yType: 'linear' | 'logarithmic' = 'linear', stacked = false): object {
  return {
    type: 'bar',
    data: {
      labels: cells.map((c) => wrapped(labelOf(c))),
      datasets: datasets.map((d) => ({
        label: d.label,
        data: cells.map((c) => (c.cell.metrics ? (d.value(c.cell.metrics, c) ?? null) : null)),
        backgroundColor: cells.map((c) => (d.faded ? translucent(colourOf(c)) : colourOf(c))),
        ...border(cells),
      })),
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: datasets.length > 1 } },
      scales: { x: axis(yTitle, yType, { stacked }), y: { stacked, ticks: { autoSkip: false } } },
    },
  };
}

/** Latency p50 (solid) and p99 (faded) bars per cell, log axis: `label` names what is timed. */
export function p50p99Bars(cells: readonly ReportCell[], label = '', axisTitle = 'latency (ms, log scale)'): object {
  return bars(cells, [
    { label: `${label}p50`, value: (m) => (m.latency_us ? m.latency_us.p50 / 1000 : null) },
    { label: `${label}p99`, value: (m) => (m.latency_us ? m.latency_us.p99 / 1000 : null), faded: true },
  ], axisTitle, 'logarithmic');
}

