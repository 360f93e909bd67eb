import { TrellisError } from '@trellis/core';

/** Every error code the failure prediction raises; merge into the package's list and `docs/errors.md`. */
export const PREDICTION_ERROR_CODES = ['PREDICTION_CONFIG_INVALID', 'PREDICTION_SAMPLE_INVALID'] as const;

/** A code from {@link PREDICTION_ERROR_CODES}. */
export type PredictionErrorCode = (typeof PREDICTION_ERROR_CODES)[number];

/** Prediction options that do not match their schema; `issues` lists each problem. */
export class PredictionConfigInvalidError extends TrellisError {
  constructor(what: string, issues: readonly string[]) {
    super(
      'PREDICTION_CONFIG_INVALID',
      `Invalid ${what} options:\n${issues.map((i) => `  - ${i}`).join('\n')}`,
      {
        fix: `Correct the listed ${what} options; each field, its default and its range are documented on the schema.`,
        details: { what, issues },
      },
    );
  }
}

/** A measurement that cannot be right (negative or non-finite heap, a limit of 0, negative latency). */
export class PredictionSampleInvalidError extends TrellisError {
  constructor(plugin: string, field: string, value: unknown) {
    super('PREDICTION_SAMPLE_INVALID', `Invalid ${field} for plugin "${plugin}": ${String(value)}.`, {
      fix: `Pass ${field} as a finite, non-negative number${field === 'heapLimitBytes' ? ' greater than 0 (e.g. v8.getHeapStatistics().heap_size_limit)' : ''}.`,
      details: { plugin, field, value },
    });
  }
}
