import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import {
  HttpRouteConflictError,
  PluginConfigInvalidError,
  PluginDependencyCycleError,
  PluginDependencyMissingError,
  PluginHookError,
  PluginLoadError,
  PluginManifestInvalidError,
  PluginNameTakenError,
  PluginPlatformIncompatibleError,
  REFERENCE_ERROR_CODES,
} from './errors.js';

const samples: TrellisError[] = [
  new PluginManifestInvalidError('/p/x/trellis.plugin.json', ['"version" must be semver']),
  new PluginPlatformIncompatibleError('x', '^9.0.0', '0.1.0'),
  new PluginLoadError('x', '/p/x/index.js', 'boom'),
  new PluginConfigInvalidError('x', ['plugins.x.size: expected number']),
  new PluginDependencyMissingError('x', 'y', '^1.0.0', 'it is not installed'),
  new PluginDependencyCycleError(['x', 'y', 'x']),
  new PluginNameTakenError('x', '/p/a', '/p/b'),
  new PluginHookError('x', 'setup', new Error('cause')),
  new HttpRouteConflictError('GET', '/x'),
];

describe('reference app errors', () => {
  it.each(samples.map((error) => ({ code: error.code, error })))(
    '$code is a TrellisError with a fix in its message',
    ({ error }) => {
      expect(error).toBeInstanceOf(TrellisError);
      expect(error.message).toContain('Fix:');
      expect(error.fix).toBeTruthy();
    },
  );

  it('raises every declared code, and only declared codes', () => {
    expect(new Set(samples.map((e) => e.code))).toEqual(new Set(REFERENCE_ERROR_CODES));
  });

  it('documents every code in docs/errors.md', () => {
    const catalogue = readFileSync(resolve(__dirname, '../../../docs/errors.md'), 'utf8');
    const undocumented = REFERENCE_ERROR_CODES.filter((code) => !catalogue.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });
});
