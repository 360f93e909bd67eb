import { extname } from 'node:path';
import { parseJsonText } from '@trellis/core';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { ConfigParseError } from '../errors.js';
import type { LayerValues, Origin } from './origin.js';
import { readYamlTree } from './read-yaml-tree.js';

/** The syntaxes a config file can be written in. */
export type ConfigFileFormat = 'yaml' | 'json';

/** Config file extensions, in the order {@link findConfigFile} looks for them, and their syntax. */
export const CONFIG_FILE_FORMATS: Readonly<Record<string, ConfigFileFormat>> = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
};

/** The syntax of a config file, from its extension; undefined for other extensions. */
export function configFileFormat(file: string): ConfigFileFormat | undefined {
  return CONFIG_FILE_FORMATS[extname(file).toLowerCase()];
}

/** The layers that come from config files. */
export type ConfigFileLayer = Extract<Origin['layer'], 'file' | 'environment-file'>;

/**
 * Parses the text of a config file (YAML or JSON, by its extension) into one layer's values, with a
 * `file:line:column` origin for every leaf path (lists and empty mappings are one leaf each). An
 * empty (or comment-only) text gives no values.
 *
 * JSON is validated with `JSON.parse`, which supplies the values, and then read with the YAML
 * parser only to learn where each value sits. YAML is read with the `yaml` package (YAML 1.2 core
 * schema); duplicate keys are errors in both syntaxes.
 *
 * @throws {@link ConfigParseError} naming `file:line:column` for malformed text, duplicate keys,
 * or a top level that is not a mapping; and for a file that is not `.yaml`, `.yml` or `.json`.
 */
export function parseConfigText(text: string, file: string, layer: ConfigFileLayer): LayerValues {
  const format = configFileFormat(file);
  if (!format) throw new ConfigParseError(file, 1, 1, 'expected a .yaml, .yml or .json file');
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') return { values: {}, origins: new Map() };
  const json = format === 'json' ? parseJson(body, file) : undefined;
  const lineCounter = new LineCounter();
  const doc = parseDocument(body, { lineCounter, uniqueKeys: true });
  const [error] = doc.errors;
  if (error) throw yamlParseError(file, error, lineCounter);
  const tree = readYamlTree(doc, { file, layer, lineCounter });
  return json === undefined ? tree : { values: json, origins: tree.origins };
}

function parseJson(text: string, file: string): Record<string, unknown> {
  const parsed = parseJsonText(text);
  if (parsed.ok) return parsed.value as Record<string, unknown>;
  const { line, column, problem } = parsed.error;
  throw new ConfigParseError(file, line, column, problem);
}

function yamlParseError(file: string, error: YAMLError, lineCounter: LineCounter): ConfigParseError {
  const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
  // yaml's message repeats the position and quotes the source; keep the first sentence.
  const problem = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
  return new ConfigParseError(file, position.line, position.col, problem);
}
