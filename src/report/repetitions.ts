import type { CellMetrics } from '../results/index.ts';
import { medianOf, type MeasuredCell } from './report-cells.ts';
import { required } from '../metrics/required.ts';

/**
 * A cell and its repetitions (scenario `repetitions`): the same parameters in the same run,
 * measured again.
 */
export interface RepetitionGroup {
  /** The first repetition, which stands for the group on charts. */
  readonly first: MeasuredCell;
  readonly cells: readonly MeasuredCell[];
  /** The median of a metric over the repetitions; undefined when none has it. */
  median(metric: (m: CellMetrics) => number | null | undefined): number | undefined;
  /**
   * The lowest and highest value of a metric over the repetitions: the interval; undefined when
   * none has it.
   */
  range(metric: (m: CellMetrics) => number | null | undefined): [number, number] | undefined;
}

/**
 * Groups cells by run and parameters but the repetition number, in their first appearance's order.
 */
export function repetitionGroups(cells: readonly MeasuredCell[]): RepetitionGroup[] {
  const groups = new Map<string, MeasuredCell[]>();
  for (const c of cells) {
    const key = JSON.stringify([c.run.scenario.name, c.run.created_at, { ...c.cell.params, repetition: 0 }]);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].map((group) => {
    const values = (metric: (m: CellMetrics) => number | null | undefined) => group.map((c) => metric(c.metrics)).filter((v): v is number => typeof v === 'number');
    return {
      first: required(group[0], 'a repetition group\'s first cell'),
      cells: group,
      median: (metric) => medianOf(group, metric),
      range: (metric) => {
        const v = values(metric);
        return v.length > 0 ? [Math.min(...v), Math.max(...v)] : undefined;
      },
    };
  });
}
