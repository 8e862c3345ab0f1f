import { formatBytes as bytes } from '../../metrics/units.ts';
import { matchedLoad, medianOf, ofTransport, type ReportCell } from '../report-cells.ts';
import { payloadEvidence } from './workload-evidence.ts';
import { notMeasured, type Claim, type Judgement } from './claim.ts';
import { referenceCells } from './reference-cells.ts';

function judgeMessageOverhead(all: readonly ReportCell[]): Judgement {
  // Polling's overhead per update depends on the update rate against the poll interval: judged on
  // one load.
  const { cells } = matchedLoad(referenceCells(all).cells);
  const ws = ofTransport(cells, 'websocket', (c) => !c.cell.params.ws_compression);
  const polls = [...ofTransport(cells, 'short-poll'), ...ofTransport(cells, 'long-poll')];
  if (ws.length === 0 || polls.length === 0) return notMeasured('it needs WebSocket cells and polling cells in one run.');
  const wsOverhead = medianOf(ws, (m) => m.wire.overhead_bytes_per_update);
  if (wsOverhead === undefined) return notMeasured('its WebSocket cells carry no overhead per update.');
  const payload = medianOf(ws, (m) => m.wire.payload_bytes_per_update);
  const pollOverhead = Math.min(...polls.map((c) => c.metrics.wire.overhead_bytes_per_update ?? Infinity));
  const numbers: [string, string][] = [
    ['WebSocket overhead per update (framing)', bytes(wsOverhead)],
    ['SSE overhead per update (id/data lines, chunked framing)', bytes(medianOf(ofTransport(cells, 'sse'), (m) => m.wire.overhead_bytes_per_update))],
    ['long polling overhead per update', bytes(medianOf(ofTransport(cells, 'long-poll'), (m) => m.wire.overhead_bytes_per_update))],
    ['short polling overhead per update', bytes(medianOf(ofTransport(cells, 'short-poll'), (m) => m.wire.overhead_bytes_per_update))],
    ['update JSON (payload) per update', bytes(payload)],
  ];
  const sizes = payloadEvidence(all);
  const used = [...ws, ...ofTransport(cells, 'sse'), ...polls];
  const deciding = `overhead per update: WebSocket ${bytes(wsOverhead)}, polling at least ${bytes(pollOverhead)}`;
  numbers.push(...sizes.numbers);
  const notes = ['Overhead = bytes on the wire (both directions, TCP/IP headers not counted) minus the updates\' own JSON.', 'Short polling batches: the faster updates come relative to polls, the less overhead each update carries.', ...sizes.notes];
  if (wsOverhead <= 14 && wsOverhead * 4 < pollOverhead) {
    return { verdict: 'supported', because: `A WebSocket update cost ${bytes(wsOverhead)} beyond its JSON (RFC 6455 framing), against at least ${bytes(pollOverhead)} for polling.`, numbers, notes, used, deciding };
  }
  if (wsOverhead < pollOverhead) {
    return { verdict: 'supported-with-condition', because: `WebSocket overhead (${bytes(wsOverhead)} per update) was below polling's (${bytes(pollOverhead)}) but not by much at this update rate.`, numbers, notes, used, deciding };
  }
  return { verdict: 'not-supported', because: `WebSocket overhead (${bytes(wsOverhead)} per update) was not below polling's (${bytes(pollOverhead)}).`, numbers, notes, used, deciding };
}


/** C3, as docs/claims.md states it, with its experiment. */
export const c3MessageOverhead: Claim = { id: 'C3', title: 'Minimal overhead in sending and receiving messages', articleWords: '...and minimal overhead in sending/receiving messages.', experiment: 'Wire bytes per delivered update, split into the update\'s JSON and transport overhead.', anchors: ['rfc6455', 'lubbers'], charts: ['bytes'], judge: judgeMessageOverhead };
