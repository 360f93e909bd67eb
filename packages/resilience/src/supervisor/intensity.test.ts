import { describe, expect, it } from '@jest/globals';
import { RestartIntensity } from './intensity.js';

describe('RestartIntensity', () => {
  it('allows maxRestarts within the period, then refuses', () => {
    const intensity = new RestartIntensity({ maxRestarts: 3, periodMs: 1_000 });
    expect([0, 100, 200].map((t) => intensity.tryRecord(t))).toEqual([true, true, true]);
    expect(intensity.tryRecord(300)).toBe(false);
    expect(intensity.count(300)).toBe(3);
  });

  it('forgets restarts older than the period (a sliding window)', () => {
    const intensity = new RestartIntensity({ maxRestarts: 2, periodMs: 1_000 });
    intensity.tryRecord(0);
    intensity.tryRecord(500);
    expect(intensity.tryRecord(999)).toBe(false);
    expect(intensity.tryRecord(1_000)).toBe(true);
    expect(intensity.count(1_600)).toBe(1);
  });

  it('reset forgets everything', () => {
    const intensity = new RestartIntensity({ maxRestarts: 1, periodMs: 1_000 });
    intensity.tryRecord(0);
    intensity.reset();
    expect(intensity.tryRecord(1)).toBe(true);
  });

  it('maxRestarts 0 never allows a restart', () => {
    expect(new RestartIntensity({ maxRestarts: 0, periodMs: 1_000 }).tryRecord(0)).toBe(false);
  });
});
