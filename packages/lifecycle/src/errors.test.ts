import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import {
  BootAbortedError,
  HookOptionsInvalidError,
  HookVetoedError,
  IllegalTransitionError,
  LIFECYCLE_ERROR_CODES,
  PluginAdminUnreachableError,
  PluginConfigInvalidError,
  PluginHookFailedError,
  PluginHookTimeoutError,
  PluginManagerOptionsInvalidError,
  PluginManagerStateError,
  PluginNotFoundError,
  PluginPermissionDeniedError,
  PluginRuntimeExitedError,
  RuntimeCallTimeoutError,
  RuntimeStartError,
} from './errors.js';

const samples: TrellisError[] = [
  new IllegalTransitionError('a', 'stopped', 'active', ['starting', 'resolved', 'uninstalled']),
  new HookVetoedError('beforeStop', 'a', 'change freeze', 'freeze-hook'),
  new PluginHookTimeoutError('a', 'start', 10_000),
  new PluginHookFailedError('a', 'setup', new Error('boom'), 'boom'),
  new PluginPermissionDeniedError('a', '@acme/billing.Billing', 'service:resolve:@acme/billing.Billing'),
  new PluginNotFoundError('ghost', ['a', 'b']),
  new PluginRuntimeExitedError('a', 'worker', 'oom', 'heap limit reached'),
  new RuntimeCallTimeoutError('a', 'cache.get', 5_000),
  new RuntimeStartError('a', 'process', 'entry missing'),
  new BootAbortedError('a', new Error('down'), 'down'),
  new PluginManagerStateError('boot', 'running'),
  new PluginManagerOptionsInvalidError(['concurrency: too small']),
  new PluginConfigInvalidError('a', ['plugins.a.size: expected number']),
  new HookOptionsInvalidError('timeoutMs', -1, 'a positive number of ms'),
  new PluginAdminUnreachableError('http://127.0.0.1:1', 'connection refused'),
];

describe('lifecycle errors', () => {
  it.each(samples.map((error) => ({ code: error.code, error })))(
    '$code is a TrellisError whose message says how to fix it',
    ({ error }) => {
      expect(error).toBeInstanceOf(TrellisError);
      expect(error.message).toContain('Fix:');
      expect(error.fix).toBeTruthy();
    },
  );

  it('explains each way an isolated plugin can die in its fix', () => {
    const oom = new PluginRuntimeExitedError('a', 'worker', 'oom', 'x');
    const hang = new PluginRuntimeExitedError('a', 'worker', 'hang', 'x');
    expect(oom.message).toContain('ran out of memory');
    expect(oom.fix).toContain('maxOldGenerationSizeMb');
    expect(hang.fix).toContain('synchronous loop');
    expect(oom.reason).toBe('oom');
  });

  it('lists the legal targets of an illegal transition', () => {
    expect(samples[0]?.fix).toContain('starting, resolved, uninstalled');
  });

  it('raises every declared code, and only declared codes', () => {
    expect(new Set(samples.map((e) => e.code))).toEqual(new Set(LIFECYCLE_ERROR_CODES));
  });

  it('documents every code in docs/errors.md', () => {
    const catalogue = readFileSync(resolve(__dirname, '../../../docs/errors.md'), 'utf8');
    expect(LIFECYCLE_ERROR_CODES.filter((code) => !catalogue.includes(`\`${code}\``))).toEqual([]);
  });
});
