import { TrellisError } from '@trellis/core';

/** Every error code the `trellis` CLI itself raises (package operations raise their own). */
export const CLI_ERROR_CODES = [
  'CLI_SCHEMA_UNAVAILABLE',
  'CLI_SCHEMA_INVALID',
  'CLI_CONFIG_DIR_NOT_FOUND',
  'CLI_JSON_FILE_INVALID',
] as const;

/** A code from {@link CLI_ERROR_CODES}. */
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

/**
 * Error codes meaning "a resource the command needs cannot be found or loaded": `run` exits
 * with `EXIT_CODES.UNAVAILABLE` (3) for them. `ENOENT` is Node's code for a missing file.
 */
export const UNAVAILABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'CLI_SCHEMA_UNAVAILABLE',
  'CLI_CONFIG_DIR_NOT_FOUND',
  'ENOENT',
  'PLUGIN_SCAN_FAILED',
  'PLUGIN_ADMIN_UNREACHABLE',
]);

/** The `--schema` module does not exist, or importing it (or calling its `createConfigSchema()`) failed. */
export class CliSchemaUnavailableError extends TrellisError {
  constructor(file: string, problem: string, cause?: unknown) {
    super('CLI_SCHEMA_UNAVAILABLE', `The schema module ${file} cannot be loaded: ${problem}.`, {
      cause,
      fix: 'Pass --schema the path of an ES module (.mjs, or .js in a "type": "module" package) that exports configSchema or createConfigSchema().',
      details: { file },
    });
  }
}

/** The `--schema` module loaded but does not export what the config commands need. */
export class CliSchemaInvalidError extends TrellisError {
  constructor(file: string, problem: string) {
    super('CLI_SCHEMA_INVALID', `The schema module ${file} ${problem}.`, {
      fix: 'Export configSchema (a zod schema) or createConfigSchema() returning one; optionally currentVersion (a positive integer), migrations (an array) and ignoreEnv (an array of variable names).',
      details: { file },
    });
  }
}

/** The `--dir` config folder does not exist or is not a folder. */
export class CliConfigDirNotFoundError extends TrellisError {
  constructor(dir: string) {
    super('CLI_CONFIG_DIR_NOT_FOUND', `The config folder ${dir} does not exist or is not a folder.`, {
      fix: 'Pass --dir <folder> (default: ./config), or run the command where that folder is.',
      details: { dir },
    });
  }
}

/** A JSON file given on the command line (`--config`, `--trust`) is not valid JSON or not an object. */
export class CliJsonFileInvalidError extends TrellisError {
  constructor(file: string, option: string, problem: string) {
    super('CLI_JSON_FILE_INVALID', `The ${option} file ${file} ${problem}.`, {
      fix: `Give ${option} a file holding one JSON object.`,
      details: { file, option },
    });
  }
}
