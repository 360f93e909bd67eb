import { CHAOS_ERROR_CODES } from './chaos/chaos-errors.js';
import { HEALTH_ERROR_CODES } from './health/health-errors.js';
import { LIMIT_ERROR_CODES } from './limits/limit-errors.js';
import { MODULE_ERROR_CODES } from './module/resilience-config.js';
import { POLICY_ERROR_CODES } from './policies/policy-errors.js';
import { PREDICTION_ERROR_CODES } from './prediction/prediction-errors.js';
import { SUPERVISOR_ERROR_CODES } from './supervisor/supervisor-errors.js';
import { WATCHDOG_ERROR_CODES } from './watchdog/watchdog-errors.js';

/** Every error code `@trellis/resilience` raises; each is documented in `docs/errors.md`. */
export const RESILIENCE_ERROR_CODES = Object.freeze([
  ...POLICY_ERROR_CODES,
  ...LIMIT_ERROR_CODES,
  ...CHAOS_ERROR_CODES,
  ...HEALTH_ERROR_CODES,
  ...WATCHDOG_ERROR_CODES,
  ...SUPERVISOR_ERROR_CODES,
  ...PREDICTION_ERROR_CODES,
  ...MODULE_ERROR_CODES,
] as const);

/** A code from {@link RESILIENCE_ERROR_CODES}. */
export type ResilienceErrorCode = (typeof RESILIENCE_ERROR_CODES)[number];
