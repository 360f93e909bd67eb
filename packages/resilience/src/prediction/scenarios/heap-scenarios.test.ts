import { describe, expect, it } from '@jest/globals';
import { generateHeapScenario, generateHeapScenarios, HEAP_SCENARIO_KINDS } from './heap-scenarios.js';
import { gaussian, hashSeed, mulberry32 } from './random.js';

describe('synthetic heap scenarios', () => {
  const set = generateHeapScenarios();

  it('hold at least 200 labelled series of every kind', () => {
    expect(set.length).toBeGreaterThanOrEqual(200);
    expect(new Set(set.map((s) => s.kind))).toEqual(new Set(HEAP_SCENARIO_KINDS));
    expect(new Set(set.map((s) => s.id)).size).toBe(set.length);
    const positives = set.filter((s) => s.willExhaust).length;
    expect(positives).toBeGreaterThan(50);
    expect(positives).toBeLessThan(set.length / 2);
  });

  it('are deterministic for a seed and differ across seeds', () => {
    const again = generateHeapScenarios();
    expect(again.map((s) => [s.id, s.samples.length, s.samples.at(-1)?.heapUsedBytes])).toEqual(
      set.map((s) => [s.id, s.samples.length, s.samples.at(-1)?.heapUsedBytes]),
    );
    const other = generateHeapScenarios({ seed: 1, perKind: 2 });
    expect(other).toHaveLength(HEAP_SCENARIO_KINDS.length * 2);
    expect(other[0]?.samples.at(-1)).not.toEqual(set[0]?.samples.at(-1));
  });

  it('label from the ground truth: fast leaks exhaust within 1 h, slow ones after, flat ones never', () => {
    for (const s of set) {
      if (s.kind === 'leak' || s.kind === 'noisy-leak') expect(s.willExhaust).toBe(true);
      if (s.kind === 'slow-leak') {
        expect(s.willExhaust).toBe(false);
        expect(Number.isFinite(s.exhaustsInMs)).toBe(true);
      }
      if (['stable', 'bursty', 'step-plateau', 'noisy'].includes(s.kind))
        expect(s.exhaustsInMs).toBe(Number.POSITIVE_INFINITY);
      expect(s.willExhaust).toBe(s.exhaustsInMs <= 3_600_000);
    }
    const accelerating = set.filter((s) => s.kind === 'accelerating-leak');
    expect(accelerating.some((s) => s.willExhaust)).toBe(true);
    expect(accelerating.some((s) => !s.willExhaust)).toBe(true);
  });

  it('produce samples in time order, within [0, limit], ending at endsAt', () => {
    const broken = set.filter(
      (s) =>
        s.samples.at(-1)?.at !== s.endsAt ||
        s.samples.some((x, i) => i > 0 && x.at <= (s.samples[i - 1]?.at ?? 0)) ||
        s.samples.some((x) => x.heapUsedBytes < 0 || x.heapUsedBytes > s.heapLimitBytes),
    );
    expect(broken.map((s) => s.id)).toEqual([]);
  });

  it('honour a custom horizon, and name a lone scenario by its seed', () => {
    const lone = generateHeapScenario('slow-leak', 42, { horizonMs: 48 * 3_600_000 });
    expect(lone.id).toBe('slow-leak-42');
    expect(lone.willExhaust).toBe(true);
    expect(lone.params.exhaustMin).toBeGreaterThan(60);
  });
});

describe('seeded randomness', () => {
  it('repeats for a seed, stays in [0, 1), and hashes names to seeds', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const draws = Array.from({ length: 1_000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1_000 }, () => b()));
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(hashSeed('a')).not.toBe(hashSeed('b'));
    const normal = Array.from({ length: 5_000 }, () => gaussian(a));
    const mean = normal.reduce((s, x) => s + x, 0) / normal.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
  });
});
