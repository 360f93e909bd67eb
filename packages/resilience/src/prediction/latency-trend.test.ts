import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@trellis/core';
import { LatencyTrend } from './latency-trend.js';

function calls(trend: LatencyTrend, clock: ManualClock, seconds: number, latency: (s: number) => number) {
  for (let s = 0; s < seconds; s += 1) {
    for (let i = 0; i < 5; i += 1) trend.record(latency(s));
    clock.advance(1_000);
  }
}

describe('LatencyTrend', () => {
  it('waits for a baseline before judging', () => {
    const clock = new ManualClock();
    const trend = new LatencyTrend({}, clock);
    calls(trend, clock, 5, () => 50);
    expect(trend.assess()).toMatchObject({ flagged: false, reason: 'baseline not established (25 calls)' });
  });

  it('flags latency well above its baseline and still rising; the baseline does not follow', () => {
    const clock = new ManualClock();
    const trend = new LatencyTrend({}, clock);
    calls(trend, clock, 600, () => 50);
    expect(trend.assess()).toMatchObject({ flagged: false, reason: 'latency 1.00× baseline' });
    calls(trend, clock, 300, (s) => 50 + s);
    const assessment = trend.assess();
    expect(assessment.flagged).toBe(true);
    expect(assessment.inMs).toBe(0);
    expect(assessment.baselineMs).toBeLessThan(60);
    expect(assessment.slopeMsPerMin).toBeGreaterThan(30);
    expect(assessment.reason).toMatch(/baseline and rising$/);
  });

  it('does not flag latency that is high but flat', () => {
    const clock = new ManualClock();
    const trend = new LatencyTrend({}, clock);
    calls(trend, clock, 600, () => 50);
    calls(trend, clock, 60, () => 300);
    calls(trend, clock, 400, () => 300);
    expect(trend.assess()).toMatchObject({ flagged: false, reason: 'latency is high but not rising' });
  });

  it('with a limit, flags only when the trend crosses it within the horizon', () => {
    const clock = new ManualClock();
    const near = new LatencyTrend({ limitMs: 500, horizonMs: 300_000 }, clock);
    calls(near, clock, 600, () => 50);
    calls(near, clock, 300, (s) => 50 + s);
    const assessment = near.assess();
    expect(assessment.flagged).toBe(true);
    expect(assessment.inMs).toBeGreaterThan(0);
    expect(assessment.inMs).toBeLessThan(300_000);
    expect(assessment.reason).toMatch(/^latency reaches 500 ms in ~\d+ s$/);

    const far = new LatencyTrend({ limitMs: 100_000 }, clock);
    calls(far, clock, 600, () => 50);
    calls(far, clock, 300, (s) => 50 + s);
    expect(far.assess()).toMatchObject({
      flagged: false,
      reason: expect.stringMatching(/beyond the horizon$/),
    });

    const over = new LatencyTrend({ limitMs: 120 }, clock);
    calls(over, clock, 600, () => 50);
    calls(over, clock, 300, (s) => 50 + s);
    expect(over.assess()).toMatchObject({ flagged: true, inMs: 0 });
    over.reset();
    expect(over.assess()).toMatchObject({ flagged: false, currentMs: 0, baselineMs: 0 });
  });
});
