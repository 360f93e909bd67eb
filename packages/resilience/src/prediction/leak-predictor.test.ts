import { describe, expect, it } from '@jest/globals';
import { LeakPredictor } from './leak-predictor.js';

const MB = 1_048_576;
const MINUTE = 60_000;
const T0 = 1_700_000_000_000;

/** Feeds `minutes` of samples every 10 s: live(e) plus a GC sawtooth of `garbageMb` every 40 s. */
function feed(
  predictor: LeakPredictor,
  minutes: number,
  live: (e: number) => number,
  garbageMb = 20,
  limitMb = 512,
) {
  for (let e = 0; e <= minutes * MINUTE; e += 10_000) {
    const garbage = ((e % 40_000) / 40_000) * garbageMb * MB;
    predictor.sample({ at: T0 + e, heapUsedBytes: live(e) + garbage, heapLimitBytes: limitMb * MB });
  }
  return T0 + minutes * MINUTE;
}

describe('LeakPredictor', () => {
  it('flags a leak that reaches the limit within the horizon, with its evidence', () => {
    const predictor = new LeakPredictor();
    // 100 MB + 4 MB/min: at 30 min it is at 220 MB, the 512 MB limit is 73 min further.
    const now = feed(predictor, 30, (e) => 100 * MB + (4 * MB * e) / MINUTE);
    let assessment = predictor.assess(now);
    expect(assessment).toMatchObject({ flagged: false, leaking: true });
    expect(assessment.exhaustionInMs / MINUTE).toBeCloseTo(73, 0);

    const fast = new LeakPredictor();
    const at = feed(fast, 30, (e) => 100 * MB + (8 * MB * e) / MINUTE);
    assessment = fast.assess(at);
    expect(assessment.flagged).toBe(true);
    expect(assessment.slopeBytesPerMin / MB).toBeCloseTo(8, 1);
    expect(assessment.r2).toBeGreaterThan(0.99);
    expect(assessment.tau).toBeGreaterThan(0.9);
    expect(assessment.currentBytes / MB).toBeCloseTo(340, 0);
    expect(assessment.exhaustionInMs / MINUTE).toBeCloseTo(21.5, 0);
    expect(assessment.reason).toMatch(/^heap limit reached in ~2\d min at 8\.00 MB\/min$/);
  });

  it('does not mistake a GC sawtooth for a leak', () => {
    const predictor = new LeakPredictor();
    const now = feed(predictor, 30, () => 200 * MB, 150);
    expect(predictor.assess(now)).toMatchObject({ flagged: false, leaking: false });
  });

  it('refuses a verdict on too little data', () => {
    const predictor = new LeakPredictor();
    const now = feed(predictor, 5, (e) => 100 * MB + (50 * MB * e) / MINUTE);
    expect(predictor.assess(now)).toMatchObject({
      flagged: false,
      reason: expect.stringMatching(/^not enough data/),
    });
    expect(new LeakPredictor().assess().flagged).toBe(false);
  });

  it('refuses growth that is not monotonic or not linear', () => {
    const zigzag = new LeakPredictor({ minR2: 0 });
    // A small drift under large minute-to-minute scatter (a fixed pseudo-random pattern).
    let now = feed(
      zigzag,
      30,
      (e) => 100 * MB + (e / MINUTE) * 0.3 * MB + ((Math.floor(e / MINUTE) * 7_919) % 13) * 8 * MB,
    );
    expect(zigzag.assess(now).reason).toMatch(/not monotonic/);
    const wobbly = new LeakPredictor({ minTau: 0, minR2: 0.99 });
    now = feed(wobbly, 30, (e) => 100 * MB + (e / MINUTE) * 2 * MB + Math.sin(e / 200_000) * 40 * MB);
    expect(wobbly.assess(now).reason).toMatch(/not linear enough/);
  });

  it('refuses a cache that warmed up and levelled off', () => {
    const predictor = new LeakPredictor({ minR2: 0 });
    const now = feed(predictor, 30, (e) => 100 * MB + Math.min(e, 18 * MINUTE) * ((10 * MB) / MINUTE));
    expect(predictor.assess(now)).toMatchObject({
      flagged: false,
      reason: expect.stringMatching(/levelled off/),
    });
  });

  it('reports 0 ms when the floor is already at the limit, and forgets on reset', () => {
    const predictor = new LeakPredictor();
    const now = feed(predictor, 30, (e) => 400 * MB + (6 * MB * e) / MINUTE, 5, 512);
    expect(predictor.assess(now)).toMatchObject({ flagged: true, exhaustionInMs: 0 });
    expect(predictor.size).toBeGreaterThan(0);
    predictor.reset();
    expect(predictor.size).toBe(0);
  });

  it('rejects impossible samples and invalid config', () => {
    const predictor = new LeakPredictor({}, 'billing');
    expect(() => predictor.sample({ at: 0, heapUsedBytes: -1, heapLimitBytes: 1 })).toThrow(
      expect.objectContaining({ code: 'PREDICTION_SAMPLE_INVALID' }),
    );
    expect(() => predictor.sample({ at: 0, heapUsedBytes: 1, heapLimitBytes: 0 })).toThrow(
      /heapLimitBytes for plugin "billing"/,
    );
    expect(() => new LeakPredictor({ minPoints: 1 })).toThrow(
      expect.objectContaining({ code: 'PREDICTION_CONFIG_INVALID' }),
    );
  });
});
