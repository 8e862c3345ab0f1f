import { cellLabel } from '../transports/cell-label.ts';
import type { ResultsFile } from '../results/index.ts';

/** One entry of github-action-benchmark's `customSmallerIsBetter` format. */
interface GabEntry {
  name: string;
  unit: string;
  value: number;
  extra?: string;
}

/** Bencher Metric Format: benchmark name -> measure -> value (and bounds). */
type Bmf = Record<
  string,
  Record<string, { value: number; lower_value?: number; upper_value?: number }>
>;

function label(run: ResultsFile, params: ResultsFile['cells'][number]['params']): string {
  return `${run.scenario.name}: ${cellLabel(params)}${params.repetition > 1 ? ` #${params.repetition}` : ''}`;
}

/**
 * A run's headline figures for CI charting tools, smaller is better for all of them:
 * github-action-benchmark's `customSmallerIsBetter` array and Bencher's BMF object.
 */
export function ciOutputs(run: ResultsFile): { githubActionBenchmark: GabEntry[]; bencher: Bmf } {
  const gab: GabEntry[] = [];
  const bmf: Bmf = {};
  for (const cell of run.cells) {
    const m = cell.metrics;
    if (cell.state !== 'ok' || !m) continue;
    const name = label(run, cell.params);
    const measures: Record<string, { value: number; lower_value?: number; upper_value?: number }> =
      {};
    if (m.latency_us) {
      gab.push({
        name: `${name} - latency p50`,
        unit: 'us',
        value: m.latency_us.p50,
        extra: `p99 ${m.latency_us.p99} us`,
      });
      gab.push({ name: `${name} - latency p99`, unit: 'us', value: m.latency_us.p99 });
      measures.latency_p50_us = { value: m.latency_us.p50, upper_value: m.latency_us.p99 };
      measures.latency_p99_us = { value: m.latency_us.p99 };
    }
    if (m.wire.bytes_per_update !== null) {
      gab.push({
        name: `${name} - wire bytes per update`,
        unit: 'bytes',
        value: m.wire.bytes_per_update,
      });
      measures.wire_bytes_per_update = { value: m.wire.bytes_per_update };
    }
    if (m.server.cpu_ms_per_1k_updates !== null) {
      gab.push({
        name: `${name} - server CPU per 1k updates`,
        unit: 'ms',
        value: m.server.cpu_ms_per_1k_updates,
      });
      measures.server_cpu_ms_per_1k = { value: m.server.cpu_ms_per_1k_updates };
    }
    gab.push({ name: `${name} - updates lost`, unit: 'updates', value: m.delivery.lost });
    measures.updates_lost = { value: m.delivery.lost };
    bmf[name] = measures;
  }
  return { githubActionBenchmark: gab, bencher: bmf };
}
