// Timing for the benchmarks: interleaved rounds (AB BA AB …, the order flipped
// every round) after a warm-up, and medians, so neither side is favoured by
// JIT warm-up, GC timing, server caches or drift. Ratios are taken per round
// (each round's baseline time ÷ ours), then the median of those.

/** Median and quartiles of a sample. */
export interface Spread {
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p25: quantile(sorted, 0.25), p75: quantile(sorted, 0.75) };
}

const now = (): number => Number(process.hrtime.bigint());

/**
 * Nanoseconds per call of a synchronous function: median over `rounds`
 * rounds of `iterations` calls, after a warm-up long enough for the JIT's
 * optimizing tier.
 */
export function perCall(fn: () => unknown, iterations: number, rounds = 9, warmupMs = 300): number {
  let sink: unknown;
  const warmUntil = now() + warmupMs * 1e6;
  for (let i = 0; i < 2_000 || now() < warmUntil; i++) sink = fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = now();
    for (let i = 0; i < iterations; i++) sink = fn();
    samples.push((now() - started) / iterations);
  }
  if (sink === Symbol.for('never')) console.log(sink); // keeps the calls observable
  return spread(samples).median;
}

/**
 * A distribution-free 95% confidence interval for the median: the order
 * statistics around it (binomial, normal approximation).
 */
export function medianInterval(values: readonly number[]): readonly [low: number, high: number] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return [Number.NaN, Number.NaN];
  const half = 0.98 * Math.sqrt(n);
  // Ranks ⌊n/2 − 0.98√n⌋ and ⌈1 + n/2 + 0.98√n⌉, counted from 1.
  const low = Math.max(0, Math.floor(n / 2 - half) - 1);
  const high = Math.min(n - 1, Math.ceil(1 + n / 2 + half) - 1);
  return [sorted[low]!, sorted[high]!];
}

export interface PairOptions {
  /** Measuring time for the pair, after the warm-up. */
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Aim for one batch of calls to take about this long. */
  readonly batchMs: number;
  readonly minRounds: number;
  readonly maxRounds: number;
  /** Warm-up pairs at least, however long they take (default 5). */
  readonly minWarmupPairs?: number;
}

export interface PairResult {
  /** Median nanoseconds per call. */
  readonly ours: number;
  readonly baseline: number;
  /** Ours' throughput ÷ the baseline's, per round: median and quartiles. */
  readonly ratio: Spread;
  /** 95% confidence interval of that median. */
  readonly interval: readonly [low: number, high: number];
  /** The baseline's client CPU per call ÷ ours (this process only; the server's CPU is not in it). */
  readonly cpuRatio: number;
  /** Median client CPU nanoseconds per call, ours and the baseline's. */
  readonly cpu: { readonly ours: number; readonly baseline: number };
  readonly rounds: number;
  readonly batch: number;
}

interface Sample {
  /** Wall nanoseconds per call. */
  readonly ns: number;
  /** This process's CPU nanoseconds per call (all its threads: JS, GC, libuv). */
  readonly cpu: number;
}

async function batch(fn: () => PromiseLike<unknown>, n: number): Promise<Sample> {
  const cpu = process.cpuUsage();
  const started = now();
  for (let i = 0; i < n; i++) await fn();
  const ns = (now() - started) / n;
  const used = process.cpuUsage(cpu);
  return { ns, cpu: ((used.user + used.system) * 1000) / n };
}

/**
 * One round of an ABBA comparison: both sides once, ours first on even
 * rounds and the baseline first on odd ones, so neither always goes first.
 * Resolves to [ours, baseline] either way.
 *
 * @example
 * ```ts
 * const [oursMs, baselineMs] = await abbaRound(round, () => timed(ours), () => timed(baseline));
 * ```
 */
export async function abbaRound<A, B>(
  round: number,
  ours: () => Promise<A>,
  baseline: () => Promise<B>,
): Promise<[A, B]> {
  if (round % 2 === 0) {
    const a = await ours();
    return [a, await baseline()];
  }
  const b = await baseline();
  return [await ours(), b];
}

/** Runs `ours` and `baseline` in interleaved rounds and compares their medians. */
export async function comparePair(
  ours: () => PromiseLike<unknown>,
  baseline: () => PromiseLike<unknown>,
  options: PairOptions,
): Promise<PairResult> {
  // Warm-up, alternating single calls; the later half of it sizes the batches.
  const warm: number[] = [];
  const warmUntil = now() + options.warmupSeconds * 1e9;
  const minWarm = 2 * (options.minWarmupPairs ?? 5);
  while (now() < warmUntil || warm.length < minWarm) {
    warm.push((await batch(ours, 1)).ns, (await batch(baseline, 1)).ns);
  }
  const perCallNs = spread(warm.slice(warm.length >> 1)).median;
  const size = Math.max(1, Math.min(1_000, Math.round((options.batchMs * 1e6) / perCallNs)));

  const a: Sample[] = [];
  const b: Sample[] = [];
  const until = now() + options.seconds * 1e9;
  for (let round = 0; round < options.maxRounds; round++) {
    if (round >= options.minRounds && now() >= until) break;
    const [x, y] = await abbaRound(
      round,
      () => batch(ours, size),
      () => batch(baseline, size),
    );
    a.push(x);
    b.push(y);
  }
  const ratios = a.map((s, i) => b[i]!.ns / s.ns);
  const cpu = { ours: spread(a.map((s) => s.cpu)).median, baseline: spread(b.map((s) => s.cpu)).median };
  return {
    ours: spread(a.map((s) => s.ns)).median,
    baseline: spread(b.map((s) => s.ns)).median,
    ratio: spread(ratios),
    interval: medianInterval(ratios),
    cpuRatio: cpu.baseline / cpu.ours,
    cpu,
    rounds: ratios.length,
    batch: size,
  };
}

/**
 * met / MISSED against a target, or "(within noise)" when the 95% interval
 * of the ratio straddles it: then the median decides.
 *
 * @example
 * ```ts
 * targetVerdict(0.97, [0.94, 0.99], 0.95); // 'met (within noise)'
 * ```
 */
export function targetVerdict(median: number, [low, high]: readonly [number, number], target: number): string {
  if (low >= target) return 'met';
  if (high < target) return 'MISSED';
  return median >= target ? 'met (within noise)' : 'missed (within noise)';
}

/** Formats rows as a fixed-width table, first column left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** `12,345` */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
