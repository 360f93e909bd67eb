import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@trellis/core';
import { Ewma } from './ewma.js';

describe('Ewma', () => {
  it('is undefined before the first sample, then starts at it', () => {
    const ewma = new Ewma({ halfLifeMs: 1_000, clock: new ManualClock() });
    expect(ewma.value).toBeUndefined();
    expect(ewma.variance).toBe(0);
    expect(ewma.update(10)).toBe(10);
    expect(ewma.weight).toBe(1);
  });

  it('halves the weight of the past every half-life of clock time', () => {
    const clock = new ManualClock();
    const ewma = new Ewma({ halfLifeMs: 1_000, clock });
    ewma.update(0);
    clock.advance(1_000);
    // The old sample weighs 0.5, the new one 1: (0 × 0.5 + 30) / 1.5 = 20.
    expect(ewma.update(30)).toBeCloseTo(20);
    expect(ewma.weight).toBeCloseTo(1.5);
  });

  it('averages samples at the same instant equally, and treats late samples as simultaneous', () => {
    const ewma = new Ewma({ halfLifeMs: 1_000 });
    ewma.update(1, 5_000);
    ewma.update(0, 5_000);
    ewma.update(1, 4_000);
    expect(ewma.value).toBeCloseTo(2 / 3);
    expect(ewma.variance).toBeCloseTo(2 / 9);
  });

  it('forgets a long-gone past almost entirely', () => {
    const ewma = new Ewma({ halfLifeMs: 1_000 });
    ewma.update(100, 0);
    expect(ewma.update(5, 60_000)).toBeCloseTo(5, 6);
    ewma.reset();
    expect(ewma.value).toBeUndefined();
  });
});
