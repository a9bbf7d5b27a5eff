// Percentiles over latency samples (ms).

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Sorts a copy; an empty sample gives NaN everywhere but count. */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const count = sorted.length;
  if (count === 0) return { count, p50: NaN, p99: NaN, max: NaN, mean: NaN };
  let sum = 0;
  for (const value of sorted) sum += value;
  return { count, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[count - 1]!, mean: sum / count };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: number[]): number {
  return percentile(Float64Array.from(values).sort(), 0.5);
}

/** Concatenates typed arrays coming back from several driver processes. */
export function concatSamples(parts: ArrayLike<number>[]): Float64Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const all = new Float64Array(total);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/** Per-round values of one figure: the spread the report shows as median [min – max]. */
export interface Spread {
  min: number;
  median: number;
  max: number;
  values: number[];
}

export function spread(values: number[]): Spread {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { min: NaN, median: NaN, max: NaN, values };
  return { min: Math.min(...finite), median: median(finite), max: Math.max(...finite), values };
}
