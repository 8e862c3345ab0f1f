import { formatFixed as fixed, formatPercent as pct } from '../../metrics/units.ts';
import { matchedLoad, medianOf, ofKind, ofTransport, type ReportCell } from '../report-cells.ts';
import { chatEvidence } from './workload-evidence.ts';
import { notMeasured, type Claim, type Judgement } from './claim.ts';
import { referenceCells } from './reference-cells.ts';

function judgeNoPolling(all: readonly ReportCell[]): Judgement {
  // Requests per update depend on the update rate against the poll interval: judged on one load.
  const { cells } = matchedLoad(referenceCells(all).cells);
  const pushCells = ofKind(cells, 'push');
  const polls = ofTransport(cells, 'short-poll');
  if (pushCells.length === 0 || polls.length === 0) return notMeasured('it needs short-polling cells and SSE or WebSocket cells in one run.');
  const pushRequests = Math.max(...pushCells.map((c) => c.metrics.wire.requests_per_update ?? 0));
  const pollRequests = medianOf(polls, (m) => m.wire.requests_per_update);
  const emptyShare = medianOf(polls, (m) => m.wire.empty_poll_share);
  const chat = chatEvidence(all);
  const numbers: [string, string][] = [
    ['push (SSE, WebSocket): requests per update', fixed(pushRequests)],
    ['short polling: requests per update', fixed(pollRequests)],
    ['short polling: share of empty polls', pct(emptyShare)],
    ...chat.numbers,
  ];
  const notes = ['SSE needs no polling either: the benefit belongs to push, not to WebSocket alone.', ...chat.notes];
  const evidence = { used: [...polls, ...pushCells], deciding: `short polling: ${fixed(pollRequests)} requests per update, push: ${fixed(pushRequests)}` };
  if (pushRequests > 0) return { verdict: 'not-supported', because: `Push clients still made ${fixed(pushRequests)} requests per update.`, numbers, notes, ...evidence };
  if ((pollRequests ?? 0) >= 1 || (emptyShare ?? 0) > 0) {
    return {
      verdict: 'supported',
      because: `Push clients made no request after connecting, while short polling made ${fixed(pollRequests)} requests per update, ${pct(emptyShare)} of them answered with nothing.`,
      numbers, notes, ...evidence,
    };
  }
  return {
    verdict: 'supported-with-condition',
    because: `Push made no requests; short polling made ${fixed(pollRequests)} per update, but at this update rate no poll came back empty: polling batches updates and wastes no request when updates come faster than polls.`,
    numbers, notes, ...evidence,
  };
}


/** C1, as docs/claims.md states it, with its experiment. */
export const c1FullDuplex: Claim = { id: 'C1', title: 'Full duplex: no polling required', articleWords: 'Full duplex. No polling required and we don\'t have to ask for a response repeatedly.', experiment: 'The same feed to N clients over all four transports: requests per delivered update and share of empty polls; and a chat where the clients send: upstream acknowledgement and send-to-others latency, a WebSocket frame against an HTTP POST.', anchors: ['rfc6202'], charts: ['requests', 'empty-polls', 'chat'], judge: judgeNoPolling };
