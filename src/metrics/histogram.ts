import hdr from 'hdr-histogram-js';

/** An HDR histogram (hdr-histogram-js), the one kind used for every distribution here. */
export type Histogram = hdr.Histogram;

/** JSON-safe percentile summary of a histogram; every field in the histogram's unit. */
export interface PercentileSummary {
  p50: number;
  p90: number;
  p99: number;
  p99_9: number;
  max: number;
  mean: number;
  count: number;
}

/** Highest value a histogram tracks: one hour in µs; larger values are clamped to it. */
const HIGHEST_TRACKABLE = 3_600_000_000;

/**
 * A histogram for µs values from 1 µs to one hour at 3 significant digits (0.1% error),
 * pure JS (no WebAssembly) so that it behaves the same in every process and worker.
 */
export function createHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/**
 * Records one value, clamped into the trackable range (a negative latency from clock skew counts as
 * 0).
 */
export function recordValue(histogram: Histogram, value: number): void {
  histogram.recordValue(Math.min(Math.max(0, Math.round(value)), HIGHEST_TRACKABLE));
}

/** Percentiles of a histogram, or undefined when it holds no value. */
export function summarize(histogram: Histogram): PercentileSummary | undefined {
  if (histogram.totalCount === 0) return undefined;
  return {
    p50: histogram.getValueAtPercentile(50),
    p90: histogram.getValueAtPercentile(90),
    p99: histogram.getValueAtPercentile(99),
    p99_9: histogram.getValueAtPercentile(99.9),
    max: histogram.maxValue,
    mean: Math.round(histogram.mean * 10) / 10,
    count: histogram.totalCount,
  };
}

/**
 * Compressed base64 form (the HdrHistogram interchange format), mergeable across processes and
 * hosts.
 */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Decodes a histogram encoded by `encodeHistogram` (or any HdrHistogram implementation). */
export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 64, false);
}

/**
 * Merges encoded histograms exactly (bucket counts add up); an empty list gives an empty histogram.
 */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const total = createHistogram();
  for (const e of encoded) total.add(decodeHistogram(e));
  return total;
}
