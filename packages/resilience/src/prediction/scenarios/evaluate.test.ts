import { describe, expect, it } from '@jest/globals';
import { evaluateLeakPredictor } from './evaluate.js';
import { generateHeapScenario, generateHeapScenarios, HELD_OUT_SEED } from './heap-scenarios.js';

describe('evaluateLeakPredictor on the committed scenario set', () => {
  const result = evaluateLeakPredictor(generateHeapScenarios());

  it('flags plugins heading for memory exhaustion within 1 h with ≥ 85% precision', () => {
    // Reported, not only asserted: the numbers belong in docs/benchmarks/resilience-prediction.md.
    console.info(
      `leak prediction (committed set): precision ${(result.precision * 100).toFixed(1)}%, recall ${(result.recall * 100).toFixed(1)}% ` +
        `(tp ${result.tp}, fp ${result.fp}, fn ${result.fn}, tn ${result.tn})`,
    );
    expect(result.total).toBeGreaterThanOrEqual(200);
    expect(result.precision).toBeGreaterThanOrEqual(0.85);
    // Precision is 1 when nothing is flagged: recall keeps the assertion honest.
    expect(result.recall).toBeGreaterThanOrEqual(0.8);
    expect(result.tp + result.fp + result.fn + result.tn).toBe(result.total);
  });

  it('raises no false alarm on stable, bursty or noisy heaps', () => {
    for (const kind of ['stable', 'bursty', 'noisy', 'slow-leak']) expect(result.byKind[kind]?.fp).toBe(0);
    expect(result.wrong).toHaveLength(result.fp + result.fn);
  });

  it('holds on the held-out set too', () => {
    const heldOut = evaluateLeakPredictor(generateHeapScenarios({ seed: HELD_OUT_SEED }));
    expect(heldOut.precision).toBeGreaterThanOrEqual(0.85);
    expect(heldOut.recall).toBeGreaterThanOrEqual(0.8);
  });

  it('defines precision and recall as 1 when there is nothing to flag or find', () => {
    const empty = evaluateLeakPredictor([]);
    expect(empty).toMatchObject({ precision: 1, recall: 1, total: 0 });
    const never = evaluateLeakPredictor([generateHeapScenario('leak', 3)], { horizonMs: 1 });
    expect(never).toMatchObject({ fn: 1, precision: 1, recall: 0 });
  });
});
