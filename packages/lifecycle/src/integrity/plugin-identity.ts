import { readManifest } from '@trellis/discovery';

/** The name and version a signature binds its files to. */
export interface PluginIdentity {
  readonly name: string;
  readonly version: string;
}

/**
 * The plugin's name and version from its manifest, read the way discovery reads it
 * (`trellis.plugin.json`, else the `package.json` `trellis` field with the package's own name and
 * version), so the signed identity is the one the host will load.
 *
 * @returns `undefined` when the folder has no manifest.
 * @throws discovery's `ManifestInvalidError` when the manifest is invalid.
 */
export async function readPluginIdentity(dir: string): Promise<PluginIdentity | undefined> {
  const found = await readManifest(dir);
  return found === undefined ? undefined : { name: found.manifest.name, version: found.manifest.version };
}
