import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { descendantsCpuUs } from './process-tree.ts';

/** This process's CPU share and event-loop delay over a span, for honesty flags. */
export interface SelfLoad {
  /**
   * User + system CPU over wall time, as a share of one core (may exceed 1 with worker threads),
   * its descendants' (a browser it drives) included.
   */
  readonly cpuShare: number;
  /** p99 event-loop delay over the span, ms. */
  readonly eventLoopP99Ms: number;
}

/** The delay monitor's timer period; its samples include this period, which is subtracted. */
const RESOLUTION_MS = 10;

/** Measures this process's own load between `start()` and `stop()`, with its descendants' CPU. */
export class SelfLoadMeter {
  #cpu: NodeJS.CpuUsage | undefined;
  #descendantsUs = 0;
  #wallNs = 0n;
  readonly #delay: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

  /** Opens the span. */
  start(): void {
    this.#cpu = process.cpuUsage();
    this.#descendantsUs = descendantsCpuUs();
    this.#wallNs = process.hrtime.bigint();
    this.#delay.reset();
    this.#delay.enable();
  }

  /** Closes the span and returns what it measured. */
  stop(): SelfLoad {
    this.#delay.disable();
    const cpu = process.cpuUsage(this.#cpu);
    const descendantsUs = Math.max(0, descendantsCpuUs() - this.#descendantsUs);
    const wallUs = Number(process.hrtime.bigint() - this.#wallNs) / 1000;
    const delayP99Ns = this.#delay.count > 0 ? this.#delay.percentile(99) : 0;
    const eventLoopP99Ms = Math.max(0, delayP99Ns / 1e6 - RESOLUTION_MS);
    return {
      cpuShare: wallUs > 0 ? (cpu.user + cpu.system + descendantsUs) / wallUs : 0,
      eventLoopP99Ms,
    };
  }
}
