import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mulberry32 } from './seeded-random.js';

const draw = (random: () => number, n: number) => Array.from({ length: n }, () => random());

describe('mulberry32', () => {
  it('gives the same sequence for the same seed, and another for another seed', () => {
    expect(draw(mulberry32(42), 100)).toEqual(draw(mulberry32(42), 100));
    expect(draw(mulberry32(42), 10)).not.toEqual(draw(mulberry32(43), 10));
  });

  it('matches the common JavaScript mulberry32, so recorded seeds replay after a refactor', () => {
    // Outputs × 2^32 of bryc's widely copied mulberry32 for these seeds.
    expect(draw(mulberry32(0), 2).map((x) => x * 4_294_967_296)).toEqual([1_144_304_738, 1_416_247]);
    expect(draw(mulberry32(123_456_789), 3).map((x) => x * 4_294_967_296)).toEqual([
      1_107_202_814, 4_169_434_471, 3_372_958_138,
    ]);
  });

  it('stays within [0, 1) for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (seed) => {
        for (const value of draw(mulberry32(seed), 50)) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThan(1);
        }
      }),
    );
  });
});
