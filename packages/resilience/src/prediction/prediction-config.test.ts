import { describe, expect, it } from '@jest/globals';
import { PredictionConfigSchema, parsePredictionConfig } from './prediction-config.js';
import {
  PREDICTION_ERROR_CODES,
  PredictionConfigInvalidError,
  PredictionSampleInvalidError,
} from './prediction-errors.js';

describe('PredictionConfigSchema', () => {
  it('documents its defaults', () => {
    const config = PredictionConfigSchema.parse({});
    expect(config).toMatchObject({
      evaluateEveryMs: 10_000,
      clearAfterMs: 300_000,
      cooldownMs: 600_000,
      leak: {
        horizonMs: 3_600_000,
        windowMs: 1_800_000,
        bucketMs: 60_000,
        minPoints: 10,
        minSpanMs: 600_000,
      },
      errorBudget: { slo: 0.999, bucketMs: 30_000, minEvents: 50 },
      latency: { ratio: 2, fastHalfLifeMs: 30_000, baselineHalfLifeMs: 1_800_000 },
      actions: { 'memory-exhaustion': 'recycle', 'error-budget': 'open-breaker', latency: 'shed-load' },
    });
    expect(config.errorBudget.windows).toEqual([
      { longMs: 3_600_000, shortMs: 300_000, burnRate: 14.4 },
      { longMs: 21_600_000, shortMs: 1_800_000, burnRate: 6 },
    ]);
  });

  it('reports every issue with its path', () => {
    try {
      parsePredictionConfig(PredictionConfigSchema, { leak: { minR2: 2 }, extra: true }, 'failure predictor');
      throw new Error('not reached');
    } catch (error) {
      expect(error).toBeInstanceOf(PredictionConfigInvalidError);
      const { details, message, fix } = error as PredictionConfigInvalidError;
      expect(message).toMatch(/^Invalid failure predictor options:/);
      expect(details.issues).toEqual(
        expect.arrayContaining([expect.stringMatching(/^leak\.minR2:/), expect.stringMatching(/^\(root\):/)]),
      );
      expect(fix).toMatch(/schema/);
    }
  });

  it('has stable error codes with fixes', () => {
    expect(PREDICTION_ERROR_CODES).toEqual(['PREDICTION_CONFIG_INVALID', 'PREDICTION_SAMPLE_INVALID']);
    const error = new PredictionSampleInvalidError('p', 'latencyMs', -1);
    expect(error.code).toBe('PREDICTION_SAMPLE_INVALID');
    expect(error.fix).toBe('Pass latencyMs as a finite, non-negative number.');
  });
});
