import { formatBytes as bytes, formatMs as ms } from '../../metrics/units.ts';
import { matchedLoad, medianOf, ofTransport, type ReportCell } from '../report-cells.ts';
import { notMeasured, type Claim, type Judgement } from './claim.ts';
import { referenceCells } from './reference-cells.ts';

function judgeConnectionSetup(all: readonly ReportCell[]): Judgement {
  const reference = referenceCells(all);
  const { plain, network, others } = reference;
  // Set-up time depends on the load the server carries while clients connect: judged on one load.
  const { cells } = matchedLoad(reference.cells);
  const networks = [network, ...others];
  const ws = ofTransport(cells, 'websocket');
  const http = ofTransport(cells, 'short-poll', (c) => c.cell.params.keep_alive !== false);
  if (ws.length === 0 || http.length === 0) return notMeasured('it needs WebSocket cells and short-polling cells (a plain HTTP request) in one run.');
  const wsP50 = medianOf(ws, (m) => m.connect_us?.p50);
  const wsP99 = medianOf(ws, (m) => m.connect_us?.p99);
  const httpP50 = medianOf(http, (m) => m.connect_us?.p50);
  const sseP50 = medianOf(ofTransport(cells, 'sse'), (m) => m.connect_us?.p50);
  const handshake = medianOf(ws, (m) => m.wire.handshake_bytes);
  if (wsP50 === undefined || httpP50 === undefined || handshake === undefined) return notMeasured('its WebSocket and short-polling cells carry no set-up time or handshake bytes.');
  const ratio = wsP50 / httpP50;
  const elsewhere: [string, string][] = networks.slice(1).map((network) => {
    const on = plain.filter((c) => c.cell.params.network === network);
    return [`on ${network}: set-up p50 WebSocket / HTTP / SSE`, `${ms(medianOf(ofTransport(on, 'websocket'), (m) => m.connect_us?.p50))} / ${ms(medianOf(ofTransport(on, 'short-poll', (c) => c.cell.params.keep_alive !== false), (m) => m.connect_us?.p50))} / ${ms(medianOf(ofTransport(on, 'sse'), (m) => m.connect_us?.p50))}`];
  });
  const numbers: [string, string][] = [
    ['network judged', network ?? '-'],
    ['WebSocket set-up p50 / p99 (TCP + upgrade)', `${ms(wsP50)} / ${ms(wsP99)}`],
    ['HTTP set-up p50 (TCP + first request)', ms(httpP50)],
    ['SSE set-up p50 (TCP + response head)', ms(sseP50)],
    ['WebSocket / HTTP set-up', `${ratio.toFixed(2)}x`],
    ['WebSocket handshake bytes (request + response)', bytes(handshake)],
    ...elsewhere,
  ];
  const used = [...ws, ...http, ...ofTransport(cells, 'sse')];
  const deciding = `WebSocket set-up ${ratio.toFixed(2)}x an HTTP request (p50 ${ms(wsP50)} vs ${ms(httpP50)})`;
  const notes = [
    'Set-up includes queueing while the driver opens its connections, several at once (connectConcurrency).',
    ...(networks.length === 1 && networks[0] === 'loopback' ? ['Measured on loopback only: with a real RTT each set-up adds one round trip for TCP and one for the HTTP exchange or upgrade.'] : []),
    'Judged without TLS; TLS set-up is claim C7.',
  ];
  if (ratio <= 1.5 && handshake <= 1024) {
    return { verdict: 'supported', because: `Opening a WebSocket took ${ms(wsP50)} at the median, ${ratio.toFixed(2)}x a plain HTTP request, and ${bytes(handshake)} of handshake.`, numbers, notes, used, deciding };
  }
  if (ratio <= 3) {
    return { verdict: 'supported-with-condition', because: `Opening a WebSocket took ${ratio.toFixed(2)}x a plain HTTP request (${ms(wsP50)} vs ${ms(httpP50)}): moderate, but not free.`, numbers, notes, used, deciding };
  }
  return { verdict: 'not-supported', because: `Opening a WebSocket took ${ratio.toFixed(2)}x a plain HTTP request (${ms(wsP50)} vs ${ms(httpP50)}).`, numbers, notes, used, deciding };
}


/** C2, as docs/claims.md states it, with its experiment. */
export const c2ConnectionSetup: Claim = { id: 'C2', title: 'Moderate overhead in establishing the connection', articleWords: 'Moderate overhead in establishing connection.', experiment: 'Connection set-up time (connect start to first usable byte) and handshake bytes per transport.', anchors: ['devMachine'], charts: ['connect'], judge: judgeConnectionSetup, notForBrowsers: 'a page\'s set-up time is mostly opening the page, not the transport\'s' };
