import type { CostCurve } from '../../results/index.ts';
import { axis, HTTP_DASH, HTTP_NAME, transportColour, type ChartSpec } from './chart-kit.ts';

/** One figure of a step, or null where the step has none. */
type StepValue = (s: CostCurve['steps'][number]) => number | null;

/**
 * A curve's line and its knee: every step in ascending load (a failing one drawn as a cross), in
 * its transport's colour and its HTTP version's dash, and the first failing step marked large.
 */
function curveDatasets(curve: CostCurve, y: StepValue): object[] {
  const colour = transportColour(curve.transport);
  const steps = [...curve.steps]
    .filter((s) => y(s) !== null && s.events_per_sec > 0)
    .sort((a, b) => a.events_per_sec - b.events_per_sec);
  const name = `${curve.transport}, ${HTTP_NAME[curve.http]}`;
  const line = {
    label: name,
    data: steps.map((s) => ({ x: s.events_per_sec, y: y(s) })),
    borderColor: colour,
    backgroundColor: colour,
    borderDash: HTTP_DASH[curve.http],
    pointStyle: steps.map((s) => (s.passed ? 'circle' : 'crossRot')),
    pointRadius: steps.map((s) => (s.passed ? 3 : 6)),
    showLine: true,
    borderWidth: 2,
  };
  const knee = curve.knee.interval
    ? steps.find((s) => !s.passed && s.events_per_sec === curve.knee.interval?.[1])
    : undefined;
  if (!knee) return [line];
  return [
    line,
    {
      label: `${name}: knee (${curve.knee.reason})`,
      data: [{ x: knee.events_per_sec, y: y(knee) }],
      borderColor: '#d0021b',
      backgroundColor: colour,
      pointStyle: 'triangle',
      pointRadius: 9,
      showLine: false,
    },
  ];
}

const config = (curves: readonly CostCurve[], y: StepValue, yTitle: string, yType: 'linear' | 'logarithmic') => ({
  type: 'scatter',
  data: { datasets: curves.flatMap((c) => curveDatasets(c, y)) },
  options: {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: { x: axis('events per second, one server process (log scale)', 'logarithmic'), y: axis(yTitle, yType) },
  },
});

/**
 * The cost curves' charts: server CPU against load, and p99 delivery latency against load, a line
 * per transport and HTTP version (solid HTTP/1.1, dashed HTTP/2), the knee marked by a red triangle.
 */
export function curveCharts(curves: readonly CostCurve[]): ChartSpec[] {
  if (curves.length === 0) return [];
  return [
    {
      id: 'curve-cpu',
      title: 'Server CPU against load, to the knee',
      what: 'Server CPU (ms per second: 1,000 is its one core busy) at each step of each cost curve, against the events it handled per second (requests answered for short polling, updates delivered otherwise). Crosses are steps past the knee; the red triangle marks the first of them.',
      config: config(curves, (s) => s.server_cpu_ms_per_sec, 'server CPU (ms per s)', 'linear'),
    },
    {
      id: 'curve-p99',
      title: 'p99 delivery latency against load',
      what: 'p99 delivery latency at each step (log scale; short polling includes its poll interval by design). Latency that turns up sharply is the knee.',
      config: config(curves, (s) => (s.p99_us === null ? null : s.p99_us / 1000), 'p99 latency (ms, log scale)', 'logarithmic'),
    },
  ];
}
