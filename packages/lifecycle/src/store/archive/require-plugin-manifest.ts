import { type FoundManifest, ManifestInvalidError, readManifest } from '@trellis/discovery';
import { type InstallSource, PluginArchiveInvalidError } from './archive-errors.js';

/**
 * Reads the manifest at the root of unpacked plugin content, so nothing that is not a plugin is
 * ever installed.
 *
 * @param where How messages name the root inside the source (`package/` for an npm archive).
 * @throws {@link PluginArchiveInvalidError} when there is no manifest, or it is invalid (the
 *   discovery error, which lists every problem, is the cause and is quoted).
 */
export async function requirePluginManifest(
  source: InstallSource,
  root: string,
  where: string,
): Promise<FoundManifest> {
  let found: FoundManifest | undefined;
  try {
    found = await readManifest(root);
  } catch (error) {
    if (!(error instanceof ManifestInvalidError)) throw error;
    throw new PluginArchiveInvalidError(
      source,
      `its plugin manifest is invalid: ${error.message}`,
      'Correct the manifest in the plugin folder and pack it again.',
      error,
    );
  }
  if (found !== undefined) return found;
  throw new PluginArchiveInvalidError(
    source,
    `it has no plugin manifest at ${where} (trellis.plugin.json, or a package.json with a "trellis" field)`,
    'Add a trellis.plugin.json to the plugin folder (or a "trellis" field to its package.json) and pack it again.',
  );
}
