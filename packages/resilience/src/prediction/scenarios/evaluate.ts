import type { z } from 'zod';
import { LeakPredictor } from '../leak-predictor.js';
import type { LeakPredictorConfigSchema } from '../prediction-config.js';
import type { HeapScenario } from './heap-scenarios.js';

/** Counts of a binary classifier's outcomes. */
export interface ConfusionCounts {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

/** {@link evaluateLeakPredictor}'s answer. */
export interface LeakEvaluation extends ConfusionCounts {
  /** tp ÷ (tp + fp); 1 when nothing was flagged (no false alarm), so read it with `recall`. */
  readonly precision: number;
  /** tp ÷ (tp + fn); 1 when there was nothing to find. */
  readonly recall: number;
  readonly total: number;
  /** The counts per scenario kind. */
  readonly byKind: Readonly<Record<string, ConfusionCounts>>;
  /** Ids of the scenarios judged wrongly, for debugging. */
  readonly wrong: readonly { readonly id: string; readonly expected: boolean; readonly reason: string }[];
}

/**
 * Runs a fresh {@link LeakPredictor} (with `config`) over every scenario, judging as of its last
 * sample, and compares the flag with the ground-truth label.
 */
export function evaluateLeakPredictor(
  scenarios: readonly HeapScenario[],
  config: z.input<typeof LeakPredictorConfigSchema> = {},
): LeakEvaluation {
  const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const byKind: Record<string, { tp: number; fp: number; fn: number; tn: number }> = {};
  const wrong: { id: string; expected: boolean; reason: string }[] = [];
  for (const scenario of scenarios) {
    const predictor = new LeakPredictor(config, scenario.id);
    for (const sample of scenario.samples) {
      predictor.sample({
        at: sample.at,
        heapUsedBytes: sample.heapUsedBytes,
        heapLimitBytes: scenario.heapLimitBytes,
      });
    }
    const assessment = predictor.assess(scenario.endsAt);
    const outcome = assessment.flagged
      ? scenario.willExhaust
        ? 'tp'
        : 'fp'
      : scenario.willExhaust
        ? 'fn'
        : 'tn';
    counts[outcome] += 1;
    const kind = byKind[scenario.kind] ?? { tp: 0, fp: 0, fn: 0, tn: 0 };
    byKind[scenario.kind] = kind;
    kind[outcome] += 1;
    if (outcome === 'fp' || outcome === 'fn')
      wrong.push({ id: scenario.id, expected: scenario.willExhaust, reason: assessment.reason });
  }
  return {
    ...counts,
    precision: counts.tp + counts.fp === 0 ? 1 : counts.tp / (counts.tp + counts.fp),
    recall: counts.tp + counts.fn === 0 ? 1 : counts.tp / (counts.tp + counts.fn),
    total: scenarios.length,
    byKind,
    wrong,
  };
}
