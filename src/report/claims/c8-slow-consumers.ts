import { formatMs as ms } from '../../metrics/units.ts';
import { kindOf } from '../../transports/registry.ts';
import { median } from '../../stats/percentile.ts';
import { usable, type MeasuredCell, type ReportCell } from '../report-cells.ts';
import { notMeasured, type Claim, type Judgement } from './claim.ts';
import { required } from '../../metrics/required.ts';

/**
 * The normal clients' p99 counts as hurt by the slow ones when it is over this ratio, and this many
 * µs, above the worst p99 of the same cells without them: their spread is the noise band.
 */
const HURT_RATIO = 1.5;
const HURT_MIN_US = 2_000;
/**
 * The server's peak RSS counts as grown past this ratio and this many bytes above the cells without
 * slow clients.
 */
const GROWTH_RATIO = 1.25;
const GROWTH_MIN_BYTES = 32e6;

/**
 * The cells with slow clients of one transport, policy and load, beside every cell of that
 * transport and load without them.
 */
interface SlowGroup {
  readonly with: MeasuredCell[];
  readonly without: MeasuredCell[];
}

function groups(cells: readonly MeasuredCell[]): SlowGroup[] {
  // Without slow clients a policy never acts, so every such cell of a transport and load is a
  // baseline.
  const loadKey = (c: MeasuredCell) => {
    const { repetition: _, slow_consumers: __, ...rest } = c.cell.params;
    return JSON.stringify([c.run.scenario.name, rest]);
  };
  const baselines = new Map<string, MeasuredCell[]>();
  const slow = new Map<string, MeasuredCell[]>();
  for (const c of cells) {
    const s = c.cell.params.slow_consumers;
    if (s?.clients === 0) baselines.set(loadKey(c), [...(baselines.get(loadKey(c)) ?? []), c]);
    else if (s) slow.set(JSON.stringify([loadKey(c), s]), [...(slow.get(JSON.stringify([loadKey(c), s])) ?? []), c]);
  }
  return [...slow.values()].flatMap((withSlow) => {
    const first = withSlow[0];
    const without = first && baselines.get(loadKey(first));
    return without ? [{ with: withSlow, without }] : [];
  });
}

const p99s = (cells: readonly MeasuredCell[]) => cells.flatMap((c) => (c.metrics.latency_us ? [c.metrics.latency_us.p99] : []));
const mb = (bytes: number | null | undefined) => (bytes == null ? '-' : `${(bytes / 1e6).toFixed(0)} MB`);
const sum = (cells: readonly MeasuredCell[], pick: (c: MeasuredCell) => number | undefined) => cells.reduce((total, c) => total + (pick(c) ?? 0), 0);

/** A group's first cell with slow clients (a group is made from at least one). */
function firstWith(group: SlowGroup): MeasuredCell {
  return required(group.with[0], 'a cell with slow clients in its group');
}

function hurt(group: SlowGroup): boolean {
  const [withSlow, without] = [median(p99s(group.with)), Math.max(...p99s(group.without))];
  return withSlow > without * HURT_RATIO && withSlow - without > HURT_MIN_US;
}

function name(group: SlowGroup): string {
  const p = firstWith(group).cell.params;
  return `${p.transport}${p.slow_consumers?.policy ? ` (${p.slow_consumers.policy})` : ''}`;
}

function describe(group: SlowGroup): [string, string] {
  const cells = group.with;
  const acted = firstWith(group).cell.params.slow_consumers?.policy == null ? '' : `${sum(cells, (c) => c.metrics.server.slow_consumers?.disconnects)} disconnected, ${sum(cells, (c) => c.metrics.server.slow_consumers?.skips)} skips; `;
  const catchUps = cells.flatMap((c) => (c.metrics.slow_clients?.catch_up?.ms ? [c.metrics.slow_clients.catch_up.ms.p50] : []));
  const catchUp = catchUps.length > 0 ? `, caught up in ${median(catchUps).toFixed(0)} ms` : '';
  const peak = Math.max(...cells.map((c) => c.metrics.server.peak_rss_bytes ?? 0));
  const lost = `slow clients lost ${sum(cells, (c) => c.metrics.slow_clients?.delivery.lost)} of ${sum(cells, (c) => c.metrics.slow_clients?.delivery.published)}`;
  const range = (us: number[]) => (us.length === 1 ? ms(us[0]) : `${ms(Math.min(...us))}-${ms(Math.max(...us))}`);
  return [name(group), `normal p99 ${range(p99s(group.without))} without, ${range(p99s(group.with))} with; server peak ${mb(peak)}; ${acted}${lost}${catchUp}`];
}

/**
 * True when the server's peak RSS with slow clients rose past the noise band of the cells without
 * them.
 */
function grew(group: SlowGroup): boolean {
  const peak = (cells: readonly MeasuredCell[]) => Math.max(...cells.map((c) => c.metrics.server.peak_rss_bytes ?? 0));
  const [withSlow, without] = [peak(group.with), peak(group.without)];
  return without > 0 && withSlow > without * GROWTH_RATIO && withSlow - without > GROWTH_MIN_BYTES;
}

const policyActed = (c: MeasuredCell) => (c.metrics.server.slow_consumers?.disconnects ?? 0) + (c.metrics.server.slow_consumers?.skips ?? 0) > 0;

function judgeSlowConsumers(everything: readonly ReportCell[]): Judgement {
  const found = groups(usable(everything).filter((c) => c.cell.params.slow_consumers !== null));
  const push = found.filter((g) => kindOf(firstWith(g).cell.params.transport) === 'push');
  const poll = found.filter((g) => kindOf(firstWith(g).cell.params.transport) === 'poll');
  if (push.length === 0 || poll.length === 0) return notMeasured('it needs cells with slow consumers beside the same cells without them (scenario `slowConsumers.clients: [0, k]`), for push and for polling transports.');
  const numbers = found.map(describe);
  const notes = [
    `The claim is about what the server must hold. "Grew": its peak RSS with slow clients was over ${GROWTH_RATIO}x and ${mb(GROWTH_MIN_BYTES)} above the cells without them. "Hurt": the normal clients' median p99 with slow clients was over ${HURT_RATIO}x and ${ms(HURT_MIN_US)} above the worst p99 of the same cells without them (their spread is this machine's noise; repetitions narrow it).`,
    'Bytes the kernel already took are out of the server\'s reach: on loopback it holds a few MB for a reader that stopped, so a slow client must fall further behind than that before any policy acts.',
  ];
  const used = found.flatMap((g) => [...g.with, ...g.without]);
  const evidence = { used, deciding: `server peak RSS with slow clients: ${found.map((g) => `${name(g)} ${grew(g) ? 'grew' : 'held'}`).join(', ')}` };
  const grewPolls = poll.filter(grew);
  if (grewPolls.length > 0) {
    return { verdict: 'not-supported', because: `A slow poller grew the server's memory (${grewPolls.map(name).join(', ')}): polling did not limit itself here.`, numbers, notes, ...evidence };
  }
  const pushCells = push.flatMap((g) => g.with);
  const acted = pushCells.filter(policyActed);
  if (acted.length === 0) {
    return { verdict: 'supported-with-condition', because: 'No push connection fell past the server\'s bound, so no policy acted: the kernel\'s buffers held what the slow clients missed. Slow them further (a longer pause, more bytes) to see the policy.', numbers, notes, ...evidence };
  }
  const grewPush = push.filter(grew);
  if (grewPush.length > 0) {
    return { verdict: 'not-supported', because: `Even with its policy the server's memory grew with a slow push client (${grewPush.map(name).join(', ')}).`, numbers, notes, ...evidence };
  }
  const because = `A slow push client fell past the server's bound in ${acted.length} of ${pushCells.length} cells and the policy acted (disconnecting it or skipping it ahead), so the server's peak RSS stayed at ${mb(Math.max(...pushCells.map((c) => c.metrics.server.peak_rss_bytes ?? 0)))}; slow pollers needed no policy: they asked less often and the server held nothing more for them.`;
  const hurtAny = found.filter(hurt);
  if (hurtAny.length > 0) {
    return { verdict: 'supported-with-condition', because: `${because} But the others paid for a slow client catching up (a backlog served at once costs the server CPU): the normal clients' p99 rose past the noise in ${hurtAny.map(name).join(', ')}.`, numbers, notes, ...evidence };
  }
  return { verdict: 'supported', because: `${because} The normal clients' p99 stayed within noise of the cells without slow clients.`, numbers, notes, ...evidence };
}

/** C8, our own claim (docs/claims.md), with its experiment. */
export const c8SlowConsumers: Claim = {
  id: 'C8',
  title: 'Slow consumers (ours)',
  articleWords: 'Not the article\'s: push needs a backpressure policy; polling limits itself.',
  experiment: 'Normal clients with and without slow ones (paused, or reading at a set rate), per transport and, for push, per server policy (disconnect, skip-to-latest).',
  anchors: [],
  charts: [],
  judge: judgeSlowConsumers,
  notForBrowsers: 'slow consumers are feedbench\'s own clients that stop reading',
};
