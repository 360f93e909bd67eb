import { z } from 'zod';
import { PluginManifestSchema } from './manifest-schema.js';

/** Where the published JSON Schema of a manifest is found; its `$id`. */
export const MANIFEST_JSON_SCHEMA_ID = 'https://unpkg.com/@trellis/discovery/manifest.schema.json';

/**
 * The JSON Schema (draft 2020-12) of a plugin manifest, generated from
 * {@link PluginManifestSchema}, for editors: completion, hover docs and checks in
 * `trellis.plugin.json`. It describes the manifest as written, so fields with defaults are
 * optional. Semver checks have no JSON Schema form; only Trellis itself applies them.
 *
 * `packages/discovery/manifest.schema.json` is this object, written by
 * `scripts/write-manifest-schema.mjs`; a test keeps the two equal.
 *
 * @example
 * ```json
 * { "$schema": "./node_modules/@trellis/discovery/manifest.schema.json", "name": "billing" }
 * ```
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(PluginManifestSchema, { io: 'input', target: 'draft-2020-12' });
  return {
    $schema,
    $id: MANIFEST_JSON_SCHEMA_ID,
    title: 'Trellis plugin manifest',
    description:
      'A Trellis plugin manifest: trellis.plugin.json in the plugin folder, or the "trellis" field of its package.json.',
    ...rest,
  };
}
