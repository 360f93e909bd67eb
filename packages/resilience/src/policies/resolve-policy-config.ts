import type { z } from 'zod';
import { PolicyConfigInvalidError } from './policy-errors.js';
import {
  type PoliciesConfigInput,
  PoliciesConfigSchema,
  type PolicyConfig,
  type PolicyConfigInput,
  PolicyConfigSchema,
} from './policy-schema.js';

/** The key of a plugin's layer that applies to all its call sites. */
export const ANY_CALL_SITE = '*';

function problems(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `  ${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
  );
}

/**
 * Validates a whole policies configuration and returns it as written (not defaulted), since
 * layers must merge before defaults fill in: a default in a specific layer would otherwise
 * override a value a general layer set on purpose.
 */
export function parsePoliciesConfig(input: unknown, where = 'policies'): PoliciesConfigInput {
  const result = PoliciesConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new PolicyConfigInvalidError(where, problems(result.error));
  return structuredClone((input ?? {}) as PoliciesConfigInput);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `over` into `base`: objects field by field, anything else (arrays, `false`) replaces. */
function mergeDeep(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = mergeDeep(base[key], value);
  return merged;
}

/** Merges policy layers, least specific first, into one input. */
export function mergePolicyLayers(...layers: readonly (PolicyConfigInput | undefined)[]): PolicyConfigInput {
  let merged: unknown = {};
  for (const layer of layers) merged = mergeDeep(merged, layer);
  return merged as PolicyConfigInput;
}

/**
 * The policy of `callSite` as called by `plugin`: `defaults` < `callSites[callSite]` <
 * `plugins[plugin]['*']` < `plugins[plugin][callSite]`, then defaults filled in.
 */
export function resolvePolicyConfig(
  config: PoliciesConfigInput,
  plugin: string,
  callSite: string,
): PolicyConfig {
  const pluginLayers = config.plugins?.[plugin];
  const merged = mergePolicyLayers(
    config.defaults,
    config.callSites?.[callSite],
    pluginLayers?.[ANY_CALL_SITE],
    callSite === ANY_CALL_SITE ? undefined : pluginLayers?.[callSite],
  );
  const result = PolicyConfigSchema.safeParse(merged);
  if (!result.success) {
    throw new PolicyConfigInvalidError(`the policy of "${plugin}" / "${callSite}"`, problems(result.error));
  }
  return result.data;
}
