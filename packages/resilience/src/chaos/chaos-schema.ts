import { z } from 'zod';
import { ChaosConfigInvalidError } from './chaos-errors.js';

const millis = z.number().int().min(0).max(2_147_483_647);

const ruleBase = {
  /** `plugin:<name>`, a call site name, a prefix ending in `*` (`plugin:*`), or `*` for every call. */
  target: z.string().min(1),
  /** Chance per call, in [0, 1]. */
  rate: z.number().min(0).max(1),
};

/** Delays the call by `latencyMs` (default 1,000), then lets it run. */
export const LatencyRuleSchema = z
  .object({ ...ruleBase, fault: z.literal('latency'), latencyMs: millis.default(1_000) })
  .strict();

/** Fails the call with a `ChaosFaultError`; `errorCode` is the code it imitates. */
export const ErrorRuleSchema = z
  .object({
    ...ruleBase,
    fault: z.literal('error'),
    errorCode: z.string().min(1).optional(),
    message: z.string().min(1).optional(),
  })
  .strict();

/** Calls the injector's `crash()`; without one, fails the call like an error rule. */
export const CrashRuleSchema = z
  .object({ ...ruleBase, fault: z.literal('crash'), message: z.string().min(1).optional() })
  .strict();

/**
 * Never settles (or settles after `durationMs`). `busy: true` blocks the event loop instead, in
 * a synchronous loop, to exercise watchdogs; without `durationMs` that loop never ends, which only
 * an isolated plugin's watchdog can stop.
 */
export const HangRuleSchema = z
  .object({
    ...ruleBase,
    fault: z.literal('hang'),
    busy: z.boolean().default(false),
    durationMs: millis.optional(),
  })
  .strict();

/** One fault-injection rule. */
export const ChaosRuleSchema = z.discriminatedUnion('fault', [
  LatencyRuleSchema,
  ErrorRuleSchema,
  CrashRuleSchema,
  HangRuleSchema,
]);

/** A fault-injection rule as written. */
export type ChaosRuleConfig = z.input<typeof ChaosRuleSchema>;

/** A fault-injection rule with defaults applied. */
export type ChaosRule = z.output<typeof ChaosRuleSchema>;

/** The faults a rule can inject. */
export type ChaosFault = ChaosRule['fault'];

/**
 * Config of a `FaultInjector`: off by default, so chaos in a config file does nothing until
 * switched on. Rules apply in order; a call draws once per matching rule until a fault that ends
 * it (error, crash, hang) fires; latencies add up.
 */
export const ChaosConfigSchema = z
  .object({
    /** Master switch; default false. */
    enabled: z.boolean().default(false),
    /** Seeds the PRNG so a chaos run can be replayed; default unseeded (`Math.random`). */
    seed: z.number().int().min(0).max(0xffff_ffff).optional(),
    rules: z.array(ChaosRuleSchema).default([]),
  })
  .strict();

/** A chaos config as written. */
export type ChaosConfig = z.input<typeof ChaosConfigSchema>;

/** A chaos config with defaults applied. */
export type ChaosSettings = z.output<typeof ChaosConfigSchema>;

/** Validates `config` and applies defaults; throws `ChaosConfigInvalidError` listing every problem. */
export function parseChaosConfig(config: unknown): ChaosSettings {
  const parsed = ChaosConfigSchema.safeParse(config ?? {});
  if (parsed.success) return parsed.data;
  throw new ChaosConfigInvalidError(
    parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`),
  );
}

/** True when a rule's `pattern` covers `target`: equal, `*`, or a `prefix*` that `target` starts with. */
export function matchesTarget(pattern: string, target: string): boolean {
  if (pattern === '*' || pattern === target) return true;
  return pattern.endsWith('*') && target.startsWith(pattern.slice(0, -1));
}
