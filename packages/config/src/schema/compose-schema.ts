import { z } from 'zod';

/** Options of {@link composeConfigSchema}. */
export interface ComposeConfigSchemaOptions {
  /** Top-level sections, one per module: `{ cache: cacheSchema, http: httpSchema }`. */
  readonly modules?: Readonly<Record<string, z.ZodType>>;
  /** One slice per plugin, typed by the schema the plugin exports; served under `plugins.<name>`. */
  readonly plugins?: Readonly<Record<string, z.ZodType>>;
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
  M extends Readonly<Record<string, z.ZodType>>,
  P extends Readonly<Record<string, z.ZodType>>,
>(options: { readonly modules?: M; readonly plugins?: P }): Composed<M, P> {
  const plugins = Object.fromEntries(
    Object.entries(options.plugins ?? {}).map(([name, schema]) => [name, schema.prefault({} as never)]),
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
