import { describe, expect, it } from '@jest/globals';
import {
  CLI_ERROR_CODES,
  CliConfigDirNotFoundError,
  CliJsonFileInvalidError,
  CliSchemaInvalidError,
  CliSchemaUnavailableError,
  UNAVAILABLE_ERROR_CODES,
} from './errors.js';

describe('CLI errors', () => {
  it('raise every code in CLI_ERROR_CODES, each with a message that names the file and a fix', () => {
    const errors = [
      new CliSchemaUnavailableError('/app/schema.mjs', 'the file does not exist', new Error('cause')),
      new CliSchemaInvalidError('/app/schema.mjs', 'exports neither configSchema nor createConfigSchema()'),
      new CliConfigDirNotFoundError('/app/config'),
      new CliJsonFileInvalidError(
        '/app/trust.json',
        '--trust',
        'is not valid JSON at 2:5 (Unexpected token)',
      ),
    ];
    expect(errors.map((error) => error.code)).toEqual([...CLI_ERROR_CODES]);
    expect(errors[0]?.message).toBe(
      'The schema module /app/schema.mjs cannot be loaded: the file does not exist. Fix: Pass --schema the path of an ES module (.mjs, or .js in a "type": "module" package) that exports configSchema or createConfigSchema().',
    );
    expect(errors[1]?.message).toMatch(/^The schema module \/app\/schema\.mjs exports neither configSchema/);
    expect(errors[2]?.message).toMatch(
      /^The config folder \/app\/config does not exist or is not a folder\. Fix: Pass --dir/,
    );
  });

  it('treat a missing schema module, config folder, file, plugins folder or app as unavailable', () => {
    expect([...UNAVAILABLE_ERROR_CODES].sort()).toEqual([
      'CLI_CONFIG_DIR_NOT_FOUND',
      'CLI_SCHEMA_UNAVAILABLE',
      'ENOENT',
      'PLUGIN_ADMIN_UNREACHABLE',
      'PLUGIN_SCAN_FAILED',
    ]);
  });
});

describe('CLI error catalogue', () => {
  it('documents every CLI code in docs/errors.md', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const catalogue = readFileSync(resolve(__dirname, '../../../docs/errors.md'), 'utf8');
    expect(CLI_ERROR_CODES.filter((code) => !catalogue.includes(`\`${code}\``))).toEqual([]);
  });
});
