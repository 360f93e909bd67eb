import { composeConfigSchema, duration, secret } from '@trellis/config';
import { PluginPolicySchema, TrustPolicySchema } from '@trellis/lifecycle';
import { ResilienceConfigSchema } from '@trellis/resilience';
import { z } from 'zod';

/** `http.*`: where the server listens and how long shutdown waits for in-flight requests. */
export const HttpConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    /** `0` picks a free port. */
    port: z.number().int().min(0).max(65_535).default(3000),
    drainTimeoutMs: duration().default(10_000),
  })
  .strict();

/** `log.*`: the console logger's level. */
export const LogConfigSchema = z
  .object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info') })
  .strict();

/** `shutdown.*`: the overall deadline for a graceful stop. */
export const ShutdownConfigSchema = z.object({ timeoutMs: duration().default(30_000) }).strict();

/** `pluginHost.*`: hook deadlines, file watching and per-plugin policies. */
export const PluginHostConfigSchema = z
  .object({
    startTimeoutMs: duration().default(10_000),
    stopTimeoutMs: duration().default(5_000),
    /** Watch plugin folders and reload a changed plugin with its dependents (development, operations). */
    watch: z.boolean().default(false),
    /**
     * How the host treats each plugin, by name (lifecycle's plugin policy): `isolation` override,
     * `critical`, `failure`, `granted`, `timeouts`, `warmStandby`.
     */
    policies: z.record(z.string(), PluginPolicySchema).default({}),
  })
  .strict();

/** `pluginStore.*`: which plugin signatures are trusted, and the health gate of upgrades. */
export const PluginStoreConfigSchema = z
  .object({
    /** Signing keys trusted (key id → public key PEM) and whether unsigned plugins may run. */
    trust: TrustPolicySchema.prefault({ allowUnsigned: true }),
    gate: z
      .object({
        /** A new version must be active and healthy within this long, or it is rolled back. */
        timeoutMs: duration().default(10_000),
        intervalMs: duration().default(100),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** `admin.*`: the admin API's bearer token; without one it only serves loopback clients. */
export const AdminConfigSchema = z.object({ token: secret(z.string().min(16)).optional() }).strict();

/**
 * The reference app's config schema: its own sections plus one slice per plugin (`plugins.<name>`),
 * each typed by the schema that plugin exports.
 */
export function createAppConfigSchema(pluginSchemas: Readonly<Record<string, z.ZodType>>) {
  return composeConfigSchema({
    modules: {
      http: HttpConfigSchema.prefault({}),
      log: LogConfigSchema.prefault({}),
      shutdown: ShutdownConfigSchema.prefault({}),
      pluginHost: PluginHostConfigSchema.prefault({}),
      admin: AdminConfigSchema.prefault({}),
      pluginStore: PluginStoreConfigSchema.prefault({}),
      /** Policies, health probes, supervision, prediction, chaos: see @trellis/resilience. */
      resilience: ResilienceConfigSchema.prefault({}),
    },
    plugins: pluginSchemas,
  });
}

/** The reference app's typed configuration. */
export type AppConfig = z.output<ReturnType<typeof createAppConfigSchema>>;
