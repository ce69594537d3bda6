/** Order statistics for the benchmark's tables: medians, percentiles (linear interpolation) and spread. */

export interface Summary {
  n: number;
  min: number;
  p25: number;
  median: number;
  p75: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (rank - lo);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function summarize(values: readonly number[]): Summary {
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    n: values.length,
    min: round(percentile(values, 0)),
    p25: round(percentile(values, 25)),
    median: round(percentile(values, 50)),
    p75: round(percentile(values, 75)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
    max: round(percentile(values, 100)),
    mean: round(values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length),
  };
}

/** A small deterministic PRNG (mulberry32), so every run plays the same clicks. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
