/**
 * How late does the publisher publish, and what does precision cost? The publisher alone (no
 * client, nothing else on its event loop) runs its schedule for a few seconds at each rate, once
 * on Node's timers and once on the precise waker; printed: its lag behind the schedule (p50, p99,
 * max) and the process's CPU share, with the part the waker counted as its own spin.
 *
 *   npm run bench:publisher [-- --seconds 5 --rates 100,1000,10000]
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Publisher } from '../feed/publisher.ts';
import { UpdateRing } from '../feed/ring-buffer.ts';
import { PreciseWaker, TimerWaker, type Waker } from '../feed/precise-waker.ts';
import { createHistogram, recordValue, summarize } from '../metrics/histogram.ts';
import { nowUs } from '../metrics/clock.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rates: { type: 'string', default: '100,1000,10000' },
  },
});
const SECONDS = Number(args.seconds);

async function measure(rate: number, waker: Waker): Promise<string> {
  const lagUs = createHistogram();
  const publisher = new Publisher(
    new UpdateRing(10_000),
    nowUs,
    (lag) => recordValue(lagUs, lag),
    waker,
  );
  const cpuBefore = process.cpuUsage();
  const startUs = nowUs();
  publisher.configure({ rate, payloadBytes: 64 });
  await sleep(SECONDS * 1000);
  publisher.stop();
  const wallUs = nowUs() - startUs;
  const cpu = process.cpuUsage(cpuBefore);
  const s = summarize(lagUs);
  const share = (us: number) => `${((100 * us) / wallUs).toFixed(1)}%`;
  return `lag p50 ${String(s?.p50 ?? '-').padStart(5)} µs  p99 ${String(s?.p99 ?? '-').padStart(6)} µs  max ${String(s?.max ?? '-').padStart(7)} µs   CPU ${share(cpu.user + cpu.system).padStart(6)} of a core (its own spin ${share(waker.spinUs)})`;
}

console.log(`the publisher alone, ${SECONDS} s per line, 64 B updates`);
for (const rate of args.rates.split(',').map(Number)) {
  console.log(
    `${String(rate).padStart(6)}/s  node timers   ${await measure(rate, new TimerWaker(nowUs))}`,
  );
  // As in a server, the waker is made with the process, well before its first wake.
  const precise = new PreciseWaker(nowUs);
  await sleep(500);
  console.log(`${String(rate).padStart(6)}/s  precise       ${await measure(rate, precise)}`);
}
