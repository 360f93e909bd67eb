import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import {
  ActivationDuplicateError,
  DISCOVERY_ERROR_CODES,
  ManifestInvalidError,
  PluginDependencyCycleError,
  PluginDependencyDisabledError,
  PluginDependencyMissingError,
  PluginLoadError,
  PluginNameTakenError,
  PluginPlatformIncompatibleError,
  PluginScanError,
  ScanOptionsInvalidError,
} from './errors.js';

const samples: TrellisError[] = [
  new ManifestInvalidError('plugins/a/trellis.plugin.json', [
    { field: 'version', message: 'expected semver', line: 3, column: 14 },
  ]),
  new PluginNameTakenError('a', 'plugins/a', 'vendor/a'),
  new PluginScanError('plugins/loop', 'symlink loop'),
  new PluginPlatformIncompatibleError('a', '^9.0.0', '0.1.0', 'plugins/a'),
  new PluginDependencyMissingError('b@2.0.0 needs a@^1.2, found a@1.0.0 at plugins/a.', { plugin: 'b' }),
  new PluginDependencyCycleError(['a', 'b', 'a']),
  new PluginDependencyDisabledError('c', 'b', 'missing a dependency'),
  new PluginLoadError('a', 'plugins/a/index.js', 'boom', new Error('boom')),
  new ScanOptionsInvalidError(['concurrency: too small']),
  new ActivationDuplicateError('a'),
];

describe('discovery errors', () => {
  it.each(samples.map((error) => ({ code: error.code, error })))(
    '$code is a TrellisError whose message says how to fix it',
    ({ error }) => {
      expect(error).toBeInstanceOf(TrellisError);
      expect(error.message).toContain('Fix:');
    },
  );

  it('names the manifest file, line, column and field of a manifest problem', () => {
    expect(samples[0]?.message).toContain('plugins/a/trellis.plugin.json:3:14 "version": expected semver');
  });

  it('raises every declared code', () => {
    expect(new Set(samples.map((e) => e.code))).toEqual(new Set(DISCOVERY_ERROR_CODES));
  });

  it('documents every code in docs/errors.md', () => {
    const catalogue = readFileSync(resolve(__dirname, '../../../docs/errors.md'), 'utf8');
    expect(DISCOVERY_ERROR_CODES.filter((code) => !catalogue.includes(`\`${code}\``))).toEqual([]);
  });
});
