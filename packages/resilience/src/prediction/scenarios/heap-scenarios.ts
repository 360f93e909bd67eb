import { gaussian, hashSeed, mulberry32, type SeededRandom, uniform } from './random.js';

/**
 * The shapes of heap usage in the synthetic set. Positives are decided by the ground truth, not by
 * the kind: `leak` and `noisy-leak` exhaust within the horizon by construction, `slow-leak` after
 * it, `accelerating-leak` either way; the rest never exhaust.
 */
export const HEAP_SCENARIO_KINDS = [
  'leak',
  'noisy-leak',
  'accelerating-leak',
  'slow-leak',
  'stable',
  'bursty',
  'step-plateau',
  'noisy',
] as const;

/** One of {@link HEAP_SCENARIO_KINDS}. */
export type HeapScenarioKind = (typeof HEAP_SCENARIO_KINDS)[number];

/** One labelled heap-usage series. */
export interface HeapScenario {
  /** `<kind>-<index>`, stable for a given set seed. */
  readonly id: string;
  readonly kind: HeapScenarioKind;
  readonly seed: number;
  readonly heapLimitBytes: number;
  /** Observed `heapUsed` (live data + uncollected garbage + measurement noise), in time order. */
  readonly samples: readonly { readonly at: number; readonly heapUsedBytes: number }[];
  /** Time of the last sample: predictions are judged as of then. */
  readonly endsAt: number;
  /** Ground truth: ms after `endsAt` until the live heap reaches the limit; Infinity if not within the lookahead. */
  readonly exhaustsInMs: number;
  /** The label: `exhaustsInMs ≤ horizonMs`. */
  readonly willExhaust: boolean;
  /** The generator's parameters, for reports and debugging. */
  readonly params: Readonly<Record<string, number>>;
}

/** Options of {@link generateHeapScenarios}. */
export interface HeapScenarioSetOptions {
  /** The set's seed; default {@link SCENARIO_SET_SEED} (the committed set). */
  readonly seed?: number;
  /** Scenarios per kind; default 30 (240 in all). */
  readonly perKind?: number;
  /** Horizon of the label, ms; default 1 h. */
  readonly horizonMs?: number;
}

/** The seed of the committed evaluation set. */
export const SCENARIO_SET_SEED = 20_240_611;
/** A second seed for a held-out check: the settings were chosen on the committed set, not on this one. */
export const HELD_OUT_SEED = 977;

const MB = 1_048_576;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LOOKAHEAD_MS = 24 * HOUR;
const TRUTH_STEP_MS = 5_000;
const LIMITS_MB = [128, 256, 512, 1024, 2048, 4096];
const INTERVALS_MS = [5_000, 10_000, 15_000, 30_000];

/** Generates the labelled set: `perKind` scenarios of every kind, deterministic for a seed. */
export function generateHeapScenarios(options: HeapScenarioSetOptions = {}): HeapScenario[] {
  const seed = options.seed ?? SCENARIO_SET_SEED;
  const perKind = options.perKind ?? 30;
  return HEAP_SCENARIO_KINDS.flatMap((kind) =>
    Array.from({ length: perKind }, (_, index) =>
      generateHeapScenario(kind, hashSeed(`${seed}:${kind}:${index}`), {
        id: `${kind}-${index}`,
        horizonMs: options.horizonMs ?? HOUR,
      }),
    ),
  );
}

function pick<T>(random: SeededRandom, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

interface Shape {
  /** Live (reachable) heap at `e` ms after the start: the ground truth. */
  readonly live: (e: number) => number;
  readonly noiseFraction: number;
  /** Chance per sample of a measurement spike. */
  readonly spikeChance: number;
  readonly params: Record<string, number>;
}

/** Generates one scenario of `kind` from `seed`. */
export function generateHeapScenario(
  kind: HeapScenarioKind,
  seed: number,
  options: { readonly id?: string; readonly horizonMs?: number } = {},
): HeapScenario {
  const random = mulberry32(seed);
  const limit = pick(random, LIMITS_MB) * MB;
  const durationMs = Math.round(uniform(random, 30, 60)) * MINUTE;
  const intervalMs = pick(random, INTERVALS_MS);
  const base = uniform(random, 0.15, 0.45) * limit;
  const gcPeriodMs = uniform(random, 5_000, 180_000);
  const garbage = uniform(random, 0.02, 0.12) * limit;
  const shape = SHAPES[kind]({ random, limit, base, garbage, durationMs });
  const start = 1_700_000_000_000 + Math.floor(random() * 1e9);

  // GC cycles of jittered length: garbage grows linearly within a cycle and drops to 0 at a GC.
  const cycles: number[] = [0];
  while ((cycles.at(-1) as number) < durationMs)
    cycles.push((cycles.at(-1) as number) + gcPeriodMs * uniform(random, 0.8, 1.2));
  let cycle = 0;
  const samples: { at: number; heapUsedBytes: number }[] = [];
  for (let e = 0; e <= durationMs; e += intervalMs) {
    while ((cycles[cycle + 1] as number) <= e) cycle += 1;
    const from = cycles[cycle] as number;
    const fill = (e - from) / ((cycles[cycle + 1] as number) - from);
    const spike = random() < shape.spikeChance ? uniform(random, 0.02, 0.1) * limit : 0;
    const noise = gaussian(random) * shape.noiseFraction * limit;
    const used = shape.live(e) + garbage * fill + noise + spike;
    samples.push({ at: start + e, heapUsedBytes: Math.round(Math.min(limit, Math.max(0, used))) });
  }

  const exhaustsInMs = timeToExhaustion(shape.live, durationMs, limit);
  return {
    id: options.id ?? `${kind}-${seed}`,
    kind,
    seed,
    heapLimitBytes: limit,
    samples,
    endsAt: start + durationMs,
    exhaustsInMs,
    willExhaust: exhaustsInMs <= (options.horizonMs ?? HOUR),
    params: {
      limitMb: limit / MB,
      durationMin: durationMs / MINUTE,
      intervalMs,
      baseMb: base / MB,
      gcPeriodMs: Math.round(gcPeriodMs),
      garbageMb: garbage / MB,
      ...shape.params,
    },
  };
}

/** Scans the ground truth forward from the end of the observation. */
function timeToExhaustion(live: (e: number) => number, end: number, limit: number): number {
  for (let e = end; e <= end + LOOKAHEAD_MS; e += TRUTH_STEP_MS) if (live(e) >= limit) return e - end;
  return Number.POSITIVE_INFINITY;
}

interface ShapeInput {
  readonly random: SeededRandom;
  readonly limit: number;
  readonly base: number;
  readonly garbage: number;
  readonly durationMs: number;
}

function linearLeak(input: ShapeInput, exhaustMin: number, noiseFraction: number): Shape {
  const rate = (input.limit - input.base) / (input.durationMs + exhaustMin * MINUTE);
  return {
    live: (e) => input.base + rate * e,
    noiseFraction,
    spikeChance: 0,
    params: { exhaustMin, leakMbPerMin: (rate * MINUTE) / MB },
  };
}

const SHAPES: Record<HeapScenarioKind, (input: ShapeInput) => Shape> = {
  leak: (i) => linearLeak(i, uniform(i.random, 3, 57), uniform(i.random, 0.002, 0.01)),
  'noisy-leak': (i) => linearLeak(i, uniform(i.random, 3, 57), uniform(i.random, 0.015, 0.04)),
  // Log-uniform from just past the horizon to a day: many are near the boundary, the hard cases.
  'slow-leak': (i) => linearLeak(i, 63 * (1440 / 63) ** i.random(), uniform(i.random, 0.002, 0.01)),
  'accelerating-leak': (i) => {
    const exhaustMin = uniform(i.random, 10, 120);
    const a = (i.limit - i.base) / (i.durationMs + exhaustMin * MINUTE) ** 2;
    return {
      live: (e) => i.base + a * e * e,
      noiseFraction: uniform(i.random, 0.002, 0.01),
      spikeChance: 0,
      params: { exhaustMin },
    };
  },
  stable: (i) => ({
    live: () => i.base,
    noiseFraction: uniform(i.random, 0.002, 0.01),
    spikeChance: 0,
    params: {},
  }),
  bursty: (i) => {
    const room = 0.9 * i.limit - i.base - i.garbage;
    const bursts = Array.from({ length: 2 + Math.floor(i.random() * 5) }, () => ({
      at: uniform(i.random, 0, i.durationMs),
      length: uniform(i.random, 30_000, 6 * MINUTE),
      size: Math.min(room, uniform(i.random, 0.05, 0.25) * i.limit),
    }));
    // Overlapping bursts share the room, so the live heap stays below 90% of the limit.
    const scale = Math.min(1, room / bursts.reduce((sum, b) => sum + b.size, 0));
    const level = (e: number, b: (typeof bursts)[number]) => {
      const into = e - b.at;
      if (into < 0 || into > b.length) return 0;
      const ramp = b.length * 0.1;
      return b.size * scale * Math.min(1, into / ramp, (b.length - into) / ramp);
    };
    return {
      live: (e) => i.base + bursts.reduce((sum, b) => sum + level(e, b), 0),
      noiseFraction: uniform(i.random, 0.002, 0.01),
      spikeChance: 0,
      params: { bursts: bursts.length },
    };
  },
  'step-plateau': (i) => {
    const warm = Math.min(0.9 * i.limit - i.base - i.garbage, uniform(i.random, 0.1, 0.4) * i.limit);
    const at = uniform(i.random, 0, 0.6 * i.durationMs);
    const tau = uniform(i.random, 0.3, 8) * MINUTE;
    return {
      live: (e) => i.base + (e < at ? 0 : warm * (1 - Math.exp(-(e - at) / tau))),
      noiseFraction: uniform(i.random, 0.002, 0.01),
      spikeChance: 0,
      params: { warmMb: warm / MB, stepAtMin: at / MINUTE, tauMin: tau / MINUTE },
    };
  },
  noisy: (i) => ({
    live: () => i.base,
    noiseFraction: uniform(i.random, 0.02, 0.05),
    spikeChance: 0.02,
    params: {},
  }),
};
