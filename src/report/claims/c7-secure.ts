import { formatBytes as bytes, formatMs as ms } from '../../metrics/units.ts';
import { matchedLoad, medianOf, ofTransport, ofWorkload, usable, type MeasuredCell, type ReportCell } from '../report-cells.ts';
import { notMeasured, type Claim, type Judgement } from './claim.ts';
import { networksOf } from './reference-cells.ts';

function judgeSecure(everything: readonly ReportCell[]): Judgement {
  const all = ofWorkload(everything, 'feed');
  // With and without TLS on the same network (loopback first), or the comparison means nothing.
  const network = networksOf(usable(all).filter((c) => c.cell.params.tls && c.cell.params.transport === 'websocket'))
    .find((n) => usable(all).some((c) => !c.cell.params.tls && c.cell.params.transport === 'websocket' && c.cell.params.network === n));
  const cells = all.filter((c) => c.cell.params.network === network);
  const wss = ofTransport(cells, 'websocket', (c) => c.cell.params.tls);
  // Without TLS: the load measured over the most transports (the feed's), one load, not a median
  // over many.
  const ws = ofTransport(matchedLoad(usable(cells).filter((c) => !c.cell.params.tls && (c.cell.params.instances ?? 1) === 1)).cells, 'websocket');
  if (network === undefined || wss.length === 0 || ws.length === 0) return notMeasured('it needs WebSocket cells over TLS (wss) beside cells without, on the same network.');
  const erroredTls = cells.filter((c) => c.cell.params.tls && c.cell.params.transport === 'websocket' && c.cell.state === 'errored');
  const lost = wss.reduce((sum, c) => sum + c.metrics.delivery.lost, 0);
  const setup = (cs: MeasuredCell[]) => medianOf(cs, (m) => m.connect_us?.p50);
  const perUpdate = (cs: MeasuredCell[]) => medianOf(cs, (m) => m.wire.bytes_per_update);
  const numbers: [string, string][] = [
    ['network compared', network],
    ['WebSocket set-up p50, ws / wss', `${ms(setup(ws))} / ${ms(setup(wss))}`],
    ['WebSocket handshake bytes, ws / wss', `${bytes(medianOf(ws, (m) => m.wire.handshake_bytes))} / ${bytes(medianOf(wss, (m) => m.wire.handshake_bytes))}`],
    ['WebSocket bytes per update, ws / wss', `${bytes(perUpdate(ws))} / ${bytes(perUpdate(wss))}`],
  ];
  const https = [...ofTransport(cells, 'short-poll', (c) => c.cell.params.tls), ...ofTransport(cells, 'sse', (c) => c.cell.params.tls), ...ofTransport(cells, 'long-poll', (c) => c.cell.params.tls)];
  if (https.length > 0) numbers.push(['HTTP transports over TLS: set-up p50', ms(setup(https))]);
  const used = [...ws, ...wss, ...https];
  const deciding = `WebSocket set-up p50 ${ms(setup(ws))} without TLS, ${ms(setup(wss))} with`;
  const notes = ['What is measured is that wss works and what it costs; authentication, origin checks and the like are not part of this experiment.'];
  if (erroredTls.length > 0 || lost > 0) {
    return { verdict: 'not-supported', because: `WebSocket over TLS ${erroredTls.length > 0 ? 'failed in some cells' : `lost ${lost} updates`}.`, numbers, notes, used, deciding };
  }
  const [setupWss, setupWs, bytesWss, bytesWs] = [setup(wss), setup(ws), perUpdate(wss), perUpdate(ws)];
  const slower = setupWss !== undefined && setupWs ? (setupWss / setupWs).toFixed(1) : '-';
  const larger = bytesWss !== undefined && bytesWs !== undefined ? bytes(bytesWss - bytesWs) : '-';
  const because = `WebSocket ran over TLS (wss) and delivered every update; TLS made set-up ${slower}x slower and each update ${larger} larger.`;
  if (https.length > 0 && https.every((c) => c.metrics.delivery.lost === 0)) {
    return { verdict: 'supported-with-condition', because: `${because} But HTTPS protected the polling and SSE transports just as well: security is TLS's, not WebSocket's.`, numbers, notes, used, deciding };
  }
  return { verdict: 'supported', because, numbers, notes, used, deciding };
}


/** C7, as docs/claims.md states it, with its experiment. */
export const c7Secure: Claim = { id: 'C7', title: 'Secure', articleWords: 'Secure.', experiment: 'The same runs over TLS (https, wss): set-up time and bytes with and without.', anchors: [], charts: ['connect', 'bytes'], judge: judgeSecure };
