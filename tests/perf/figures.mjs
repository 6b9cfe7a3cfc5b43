// What the benchmark scripts share about their command lines and their figures.

/** `--name value` pairs of the command line. */
export const args = Object.fromEntries(process.argv.slice(2).map((a, i, all) => (a.startsWith('--') ? [a.slice(2), all[i + 1]] : null)).filter(Boolean));

/** The value at percentile `p` (0–100) of `values`, by nearest rank: the p50 and p95 of BENCHMARKS.md's tables. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
