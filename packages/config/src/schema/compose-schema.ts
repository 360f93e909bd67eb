import { z } from 'zod';
import { InvalidConfigSection } from './invalid-config-section.js';
import { markIsolated } from './markers.js';

/** Options of {@link composeConfigSchema}. */
export interface ComposeConfigSchemaOptions {
  /** Top-level sections, one per module: `{ cache: cacheSchema, http: httpSchema }`. */
  readonly modules?: Readonly<Record<string, z.ZodType>>;
  /** One slice per plugin, typed by the schema the plugin exports; served under `plugins.<name>`. */
  readonly plugins?: Readonly<Record<string, z.ZodType>>;
  /**
   * When true (the default), an invalid plugin slice does not invalidate the configuration: it
   * becomes an {@link InvalidConfigSection} and only that plugin fails. When false, every slice is
   * validated like the rest.
   */
  readonly isolatePlugins?: boolean;
}

type Composed<M, P> = z.ZodObject<
  { [K in keyof M]: M[K] extends z.ZodType ? M[K] : never } & {
    plugins: z.ZodPrefault<
      z.ZodObject<{ [K in keyof P]: P[K] extends z.ZodType ? z.ZodPrefault<P[K]> : never }>
    >;
  }
>;

/**
 * Builds the platform's config schema from module sections and plugin slices. Objects are strict
 * (unknown keys are errors, reported with a "did you mean"), and every plugin slice defaults to
 * `{}` so a plugin with defaults for everything needs no config at all.
 *
 * @example
 * ```ts
 * const schema = composeConfigSchema({
 *   modules: { http: z.object({ port: z.number().default(3000) }) },
 *   plugins: { hello: HelloConfigSchema },
 * });
 * ```
 */
export function composeConfigSchema<
  M extends Readonly<Record<string, z.ZodType>> = Record<never, never>,
  P extends Readonly<Record<string, z.ZodType>> = Record<never, never>,
>(options: {
  readonly modules?: M;
  readonly plugins?: P;
  readonly isolatePlugins?: boolean;
}): Composed<M, P> {
  const isolate = options.isolatePlugins ?? true;
  const plugins = Object.fromEntries(
    Object.entries(options.plugins ?? {}).map(([name, schema]) => [
      name,
      isolate ? isolatedSlice(`plugins.${name}`, schema) : schema.prefault({} as never),
    ]),
  );
  return z
    .object({
      ...(options.modules ?? {}),
      plugins: z
        .object(plugins)
        .strict()
        .prefault({} as never),
    })
    .strict() as unknown as Composed<M, P>;
}

function isolatedSlice(path: string, schema: z.ZodType): z.ZodType {
  const wrapper = z.unknown().transform((raw) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    return new InvalidConfigSection(
      path,
      parsed.error.issues.map((issue) => ({
        path: [path, ...issue.path.map(String)].join('.'),
        message:
          issue.code === 'unrecognized_keys' ? `unknown setting(s) ${issue.keys.join(', ')}` : issue.message,
      })),
    );
  });
  // prefault: an absent slice is validated as {}, so plugin defaults apply.
  return markIsolated(wrapper.prefault({}), schema);
}
