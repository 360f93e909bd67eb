import { TrellisError } from '@trellis/core';
import { z } from 'zod';
import { ChaosConfigSchema } from '../chaos/chaos-schema.js';
import { HealthConfigSchema } from '../health/health-config.js';
import { PoliciesConfigSchema } from '../policies/policy-schema.js';
import { PredictionConfigSchema } from '../prediction/prediction-config.js';
import { parseWithSchema } from '../shared/parse-schema.js';
import { PluginSupervisorConfigSchema } from '../supervisor/supervisor-config.js';
import { WatchdogConfigSchema } from '../watchdog/watchdog-config.js';

/**
 * The `resilience` config section: everything here has a default, so `{}` is a working setup
 * (policies with safe defaults, health on demand, supervision of every plugin, chaos off).
 */
export const ResilienceConfigSchema = z
  .object({
    health: HealthConfigSchema.prefault({}),
    policies: PoliciesConfigSchema.prefault({}),
    chaos: ChaosConfigSchema.prefault({}),
    /** The event-loop watchdog; off unless `enabled`. */
    watchdog: WatchdogConfigSchema.extend({ enabled: z.boolean().default(false) }).prefault({}),
    /** Supervision of plugins; on by default. */
    supervisor: PluginSupervisorConfigSchema.extend({ enabled: z.boolean().default(true) }).prefault({}),
    /** Per-plugin health checks: how often each plugin is asked, ms (0 = on demand). */
    pluginHealth: z
      .object({ intervalMs: z.number().int().min(0).max(3_600_000).default(0) })
      .strict()
      .prefault({}),
    prediction: PredictionConfigSchema.extend({ enabled: z.boolean().default(true) }).prefault({}),
  })
  .strict();

/** The parsed `resilience` section. */
export type ResilienceConfig = z.output<typeof ResilienceConfigSchema>;

/** What `resilience` config may be given as. */
export type ResilienceConfigInput = z.input<typeof ResilienceConfigSchema>;

/** Error codes of the modules' own config handling. */
export const MODULE_ERROR_CODES = ['RESILIENCE_CONFIG_INVALID'] as const;

/** The `resilience` section given to a module does not match {@link ResilienceConfigSchema}. */
export class ResilienceConfigInvalidError extends TrellisError {
  constructor(problems: readonly string[]) {
    super('RESILIENCE_CONFIG_INVALID', `Invalid resilience configuration:\n${problems.join('\n')}`, {
      fix: 'Correct the listed fields of the resilience section; each field and its default is described on ResilienceConfigSchema.',
      details: { problems },
    });
  }
}

/** Parses the `resilience` section, or throws {@link ResilienceConfigInvalidError} listing every problem. */
export function parseResilienceConfig(input: unknown): ResilienceConfig {
  return parseWithSchema(
    ResilienceConfigSchema,
    input,
    (problems) => new ResilienceConfigInvalidError(problems),
  );
}
