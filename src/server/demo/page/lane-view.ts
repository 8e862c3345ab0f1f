/** What one lane of the demo page shows, and how it is drawn. Runs in the browser. */

/**
 * The wire bytes of one lane's server, as its TCP sockets counted them (under TLS: encrypted
 * bytes).
 */
export interface LaneWire {
  /** Bytes the server read: what the page sent. */
  readonly read: number;
  /** Bytes the server wrote: what the page received. */
  readonly written: number;
  /** TCP connections open now. */
  readonly connections: number;
  /** The protocols its connections negotiated (ALPN: `h2`, `http/1.1`). */
  readonly protocols: readonly string[];
}

/** One lane's running figures. */
export interface LaneView {
  readonly id: string;
  readonly transport: string;
  readonly http: string;
  /** 'opening', 'open' or 'error: ...'. */
  state: string;
  exchanges: number;
  /** Questions with no answer within the time-out. */
  lost: number;
  /** The latest round trips, ms (at most 100). */
  roundTripsMs: number[];
  lastAnswer: string;
  /** HTTP requests the page made on this lane (polls, publishes, the first /health). */
  requests: number;
  wire: LaneWire | undefined;
}

const TRANSPORT_NAMES: Record<string, string> = {
  'short-poll': 'Short polling',
  'long-poll': 'Long polling',
  sse: 'Server-Sent Events',
  websocket: 'WebSocket',
};

/** The median of some numbers; NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
}

const ms = (v: number | undefined): string =>
  v === undefined || Number.isNaN(v) ? '–' : `${v.toFixed(v < 10 ? 2 : 0)} ms`;
const kB = (bytes: number): string =>
  bytes < 10_000 ? `${bytes} B` : `${(bytes / 1000).toFixed(1)} kB`;

/** The lane's rows: what a reader compares across lanes. */
function rows(view: LaneView): [string, string][] {
  const wire = view.wire;
  const total = wire ? wire.read + wire.written : 0;
  return [
    ['answer', view.lastAnswer || '–'],
    ['round trip, last', ms(view.roundTripsMs.at(-1))],
    [`round trip, median of ${view.roundTripsMs.length}`, ms(median(view.roundTripsMs))],
    ['exchanges', `${view.exchanges}${view.lost ? ` (${view.lost} unanswered)` : ''}`],
    ['HTTP requests', String(view.requests)],
    ['wire bytes, page → server', wire ? kB(wire.read) : '–'],
    ['wire bytes, server → page', wire ? kB(wire.written) : '–'],
    [
      'wire bytes per exchange',
      wire && view.exchanges ? kB(Math.round(total / view.exchanges)) : '–',
    ],
    ['TCP connections open', wire ? String(wire.connections) : '–'],
  ];
}

/** Draws a lane into its element (text only: nothing the page shows is parsed as HTML). */
export function renderLane(element: HTMLElement, view: LaneView): void {
  const title = document.createElement('h3');
  title.textContent = `${TRANSPORT_NAMES[view.transport] ?? view.transport}`;
  const sub = document.createElement('p');
  sub.className = 'sub';
  const agreed = view.wire?.protocols.length
    ? ` (negotiated: ${view.wire.protocols.join(', ')})`
    : '';
  sub.textContent = `HTTP/${view.http}${agreed} · ${view.state}`;
  const table = document.createElement('table');
  for (const [name, value] of rows(view)) {
    const tr = table.insertRow();
    tr.insertCell().textContent = name;
    tr.insertCell().textContent = value;
  }
  element.dataset.state = view.state;
  element.replaceChildren(title, sub, table);
}
