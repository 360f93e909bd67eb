import { existsSync } from 'node:fs';
import { basename as baseName, join } from 'node:path';
import { ConfigParseError } from '../errors.js';
import type { LayerValues } from './origin.js';
import {
  CONFIG_FILE_FORMATS,
  type ConfigFileLayer,
  configFileFormat,
  parseConfigText,
} from './parse-config-text.js';
import { readTextIfExists } from './read-text-if-exists.js';

/**
 * Reads one config file (`.yaml`, `.yml` or `.json`) as a layer, with the `file:line:column` origin
 * of every leaf path. Resolves to undefined when the file does not exist.
 *
 * @throws {@link ConfigParseError} when the file is malformed or has another extension.
 * @example
 * ```ts
 * const defaults = await readConfigFile('config/default.yaml', 'file');
 * ```
 */
export async function readConfigFile(file: string, layer: ConfigFileLayer): Promise<LayerValues | undefined> {
  if (!configFileFormat(file)) throw new ConfigParseError(file, 1, 1, 'expected a .yaml, .yml or .json file');
  const text = await readTextIfExists(file);
  return text === undefined ? undefined : parseConfigText(text, file, layer);
}

/**
 * Finds `<basename>.yaml`, `<basename>.yml` or `<basename>.json` in `dir`; undefined when there is
 * none.
 *
 * @throws {@link ConfigParseError} when more than one exists, since either could be the one meant.
 * @example
 * ```ts
 * findConfigFile('config', 'production'); // 'config/production.yaml'
 * ```
 */
export function findConfigFile(dir: string, basename: string): string | undefined {
  const found = Object.keys(CONFIG_FILE_FORMATS)
    .map((extension) => join(dir, `${basename}${extension}`))
    .filter((file) => existsSync(file));
  const [first, second] = found;
  if (second !== undefined) {
    const names = found.map((file) => baseName(file));
    const which =
      names.length === 2
        ? `both ${names[0]} and ${names[1]} exist`
        : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} all exist`;
    throw new ConfigParseError(second, 1, 1, `${which}; keep one`);
  }
  return first;
}
