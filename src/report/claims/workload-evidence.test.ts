import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readResults, type ResultsFile } from '../../results/index.ts';
import { assessClaims } from './index.ts';
import { reportCells, usable } from '../report-cells.ts';
import { buildCharts } from '../charts/charts.ts';
import { okCell, reportOf } from '../../../test/helpers/synthetic-results.ts';
import { lossyCell } from '../../../test/helpers/lossy-cell.ts';
import { capacityEvidence, chatEvidence, echoEvidence, pollingCrossover } from './workload-evidence.ts';

const load = (name: string): ResultsFile => readResults(fileURLToPath(new URL(`../../../test/fixtures/${name}.json`, import.meta.url)));
const claim = (runs: ResultsFile[], id: string) => assessClaims(reportCells(runs)).find((c) => c.id === id)!;

describe('chat, echo and capacity evidence on the claim cards', () => {
  it('C1 shows each transport\'s upstream acknowledgement and send-to-others latency from a chat run', () => {
    const chat = load('chat-run');
    const evidence = chatEvidence(reportCells([chat]));
    expect(evidence.measured).toBe(true);
    expect(evidence.numbers.map(([label]) => label)).toEqual(['short-poll', 'long-poll', 'sse', 'websocket'].map((t) => `chat over ${t}: upstream ack p50 / send-to-others p50`));
    const ws = chat.cells.find((c) => c.params.transport === 'websocket')!.metrics!;
    expect(evidence.numbers[3]![1]).toBe(`${(ws.upstream!.ack_latency_us!.p50 / 1000).toFixed(2)} ms / ${(ws.latency_us!.p50 / 1000).toFixed(2)} ms`);
    const c1 = claim([load('default-run'), chat], 'C1');
    expect(c1.numbers.some(([label]) => label.startsWith('chat over websocket'))).toBe(true);
    expect(c1.notes.join(' ')).not.toContain('not measured');
  });

  it('C1 takes the chat figures of the one network judged, loopback first, and names any other', () => {
    const chat = (network: number | null) => network === null ? okCell({ workload: 'chat', transport: 'websocket' }) : lossyCell({ workload: 'chat', transport: 'websocket' }, network, 90_000, null, 30_000);
    expect(chatEvidence(reportOf([chat(3), chat(null)])).numbers.map(([label]) => label)).toEqual(['chat over websocket: upstream ack p50 / send-to-others p50']);
    const underLoss = chatEvidence(reportOf([chat(3)]));
    expect(underLoss.numbers).toEqual([['chat over websocket on rtt40-loss3: upstream ack p50 / send-to-others p50', '- / 30.0 ms']]);
  });

  it('keeps chat and echo cells out of the feed claims and charts', () => {
    const feedOnly = assessClaims(reportCells([load('default-run')])).map((c) => c.verdict);
    const withOthers = assessClaims(reportCells([load('default-run'), load('chat-run'), load('echo-run')])).map((c) => c.verdict);
    expect(withOthers).toEqual(feedOnly);
    const charts = buildCharts(reportCells([load('default-run'), load('chat-run'), load('echo-run')]));
    const latency = charts.find((c) => c.id === 'latency-bars')!.config as { data: { labels: string[][] } };
    expect(latency.data.labels.flat().join(' ')).not.toMatch(/chat|echo/);
    expect(charts.map((c) => c.id)).toEqual(expect.arrayContaining(['chat', 'echo']));
  });

  it('C4 shows the echo round trips and each ladder\'s capacity, marking lower bounds', () => {
    const echo = echoEvidence(reportCells([load('echo-run')]));
    expect(echo.numbers.map(([label]) => label)).toEqual([
      'echo round trip p50 / p99: WebSocket frame',
      'echo round trip p50 / p99: HTTP POST, keep-alive',
      'echo round trip p50 / p99: HTTP POST, new connection',
    ]);
    const game = load('game-run');
    const capacity = capacityEvidence(reportCells([game]));
    expect(capacity.numbers).toHaveLength(game.capacity!.length);
    for (const [i, c] of game.capacity!.entries()) expect(capacity.numbers[i]![1]).toBe(`${c.lower_bound ? '>= ' : ''}${c.capacity_clients} clients`);
    expect(buildCharts(reportCells([game])).some((c) => c.id === 'capacity')).toBe(true);
  });
});

describe('pollingCrossover', () => {
  it('computes the delay above which polling costs fewer bytes than push, from a poll\'s and an update\'s measured cost', () => {
    const cells = usable(reportCells([load('update-interval-run')]));
    const polls = cells.filter((c) => c.cell.params.transport === 'short-poll');
    const push = cells.filter((c) => c.cell.params.transport === 'websocket');
    const { numbers } = pollingCrossover(polls, push);
    const perPoll = Number(/^(\d+) B/.exec(numbers[0]![1])![1]);
    const perUpdate = Number(/\/ (\d+) B$/.exec(numbers[0]![1])![1]);
    // One update a minute: polling wins once the accepted delay exceeds 60 s x poll bytes / update
    // bytes.
    const minuteS = (perPoll * 60) / perUpdate;
    expect(numbers[1]![1]).toBe(minuteS >= 120 ? `${(minuteS / 60).toFixed(0)} min` : `${minuteS.toFixed(0)} s`);
    expect(numbers.some(([label]) => label.startsWith("Van de Vyvere's rule"))).toBe(true);
  });

  it("takes polls per core from short polling's cost curve, its knee, when the run has one", () => {
    const cells = usable(reportCells([load('update-interval-run')]));
    const polls = cells.filter((c) => c.cell.params.transport === 'short-poll');
    const push = cells.filter((c) => c.cell.params.transport === 'websocket');
    const curve = {
      label: 'short-poll', transport: 'short-poll', http: '1.1', server: 'feedbench', event: 'request', p99_target_ms: 50, busy_share: 0.9, steps: [],
      fixed_cpu_ms_per_sec: 20, marginal_cpu_us_per_event: 110, memory_per_conn_bytes: null, fit: null,
      knee: { interval: [6_500, 7_200], at_least: 6_500, unit: 'events/s per server core', reason: 'busy', lower_bound: false },
    } as const;
    const { numbers, notes } = pollingCrossover(polls, push, { ...curve, steps: [], knee: { ...curve.knee, interval: [6_500, 7_200] } });
    const rows = Object.fromEntries(numbers);
    expect(rows['server CPU per poll, marginal (cost curve) / polls one core answers per second (its knee)']).toBe('110 µs / 6,500 (knee between 6,500 and 7,200)');
    expect(rows["Van de Vyvere's rule (users = polls/s x acceptable latency): users one core serves at 1 s / 10 s"]).toBe('6,500 / 65,000');
    expect(notes.join(' ')).toMatch(/from the cost curve of short polling over HTTP\/1\.1/);
    // Without a curve the light-load ratio is shown, and said to be one.
    expect(pollingCrossover(polls, push).notes.join(' ')).toMatch(/light-load ratio/);
  });
});
