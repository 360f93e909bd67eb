import type { ZodType } from 'zod';
import { PluginDefinitionInvalidError } from '../errors.js';
import type { HealthCheckResult, HealthStatus } from '../services/health-registry.js';
import type { PluginContext } from './plugin-context.js';

type Hook<TConfig> = (context: PluginContext<TConfig>) => void | Promise<void>;

/**
 * One step of a plugin's config migration chain: turns its config document from version `from`
 * into version `to`. Pure: it must not read files or the environment.
 */
export interface PluginConfigMigration {
  readonly from: number;
  readonly to: number;
  /** One line for logs and upgrade reports, e.g. "rename ttl to ttlMs". */
  readonly description: string;
  migrate(document: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** What a plugin's code provides. Every hook is optional; each runs within a deadline. */
export interface PluginDefinition<TConfig = unknown> {
  /** Validates and types the plugin's config slice. */
  readonly configSchema?: ZodType<TConfig>;
  /**
   * The version of the config shape this code reads (default: unversioned). A config document
   * carrying an older `version` (none means 1) is brought forward through `configMigrations`
   * before `configSchema` sees it, so a plugin upgrade keeps its settings.
   */
  readonly configVersion?: number;
  /** The chain from each older config version to the next; see {@link PluginConfigMigration}. */
  readonly configMigrations?: readonly PluginConfigMigration[];
  /** Registers services and routes; runs before this plugin's `start`, after its dependencies started. */
  readonly setup?: Hook<TConfig>;
  /** Begins work; dependencies have started already. */
  readonly start?: Hook<TConfig>;
  /** Releases everything `setup` and `start` acquired. */
  readonly stop?: Hook<TConfig>;
  /** Reports the plugin's health; throwing means `fail`. */
  readonly health?: (
    context: PluginContext<TConfig>,
  ) => HealthCheckResult | HealthStatus | Promise<HealthCheckResult | HealthStatus>;
}

const PLUGIN_BRAND: unique symbol = Symbol.for('@trellis/core.Plugin') as never;

/** A checked, frozen {@link PluginDefinition}, as returned by {@link definePlugin}. */
export type Plugin<TConfig = unknown> = PluginDefinition<TConfig> & { readonly [PLUGIN_BRAND]: true };

const HOOKS = ['setup', 'start', 'stop', 'health'] as const;

/**
 * Declares a plugin. Export the result from the plugin's entry file as `plugin` (or default).
 *
 * @example
 * ```ts
 * export const plugin = definePlugin({
 *   configSchema: z.object({ greeting: z.string().default('hello') }),
 *   setup(ctx) {
 *     ctx.resolve(HTTP_ROUTER).route({
 *       method: 'GET', path: '/', handler: () => ({ body: { message: ctx.config.greeting } }),
 *     });
 *   },
 * });
 * ```
 * @throws {@link PluginDefinitionInvalidError} when a hook is not a function.
 */
export function definePlugin<TConfig = unknown>(definition: PluginDefinition<TConfig>): Plugin<TConfig> {
  const problems: string[] = [];
  if (typeof definition !== 'object' || definition === null) {
    throw new PluginDefinitionInvalidError(['the definition must be an object']);
  }
  for (const hook of HOOKS) {
    const value = definition[hook];
    if (value !== undefined && typeof value !== 'function')
      problems.push(`"${hook}" must be a function, got ${typeof value}`);
  }
  const version = definition.configVersion;
  if (version !== undefined && (!Number.isInteger(version) || version < 1)) {
    problems.push(`"configVersion" must be a positive integer, got ${String(version)}`);
  }
  const migrations = definition.configMigrations;
  if (migrations !== undefined) {
    if (!Array.isArray(migrations)) problems.push('"configMigrations" must be an array');
    else {
      migrations.forEach((step: Partial<PluginConfigMigration> | undefined, index) => {
        const valid =
          Number.isInteger(step?.from) &&
          Number.isInteger(step?.to) &&
          (step?.to as number) > (step?.from as number) &&
          typeof step?.description === 'string' &&
          typeof step?.migrate === 'function';
        if (!valid)
          problems.push(`"configMigrations[${index}]" must be { from, to > from, description, migrate() }`);
      });
    }
  }
  const schema = definition.configSchema as { safeParse?: unknown } | undefined;
  if (schema !== undefined && typeof schema?.safeParse !== 'function') {
    problems.push('"configSchema" must be a zod schema');
  }
  if (problems.length > 0) throw new PluginDefinitionInvalidError(problems);
  return Object.freeze({ ...definition, [PLUGIN_BRAND]: true as const });
}

/**
 * True when `value` came from {@link definePlugin}. Works across copies of `@trellis/core`
 * because the brand is a registered symbol.
 */
export function isPlugin(value: unknown): value is Plugin {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true
  );
}
