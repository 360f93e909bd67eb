import { describe, expect, it } from '@jest/globals';
import { PluginManifestSchema } from './manifest-schema.js';

const minimal = { name: 'billing', version: '1.2.0', platform: '^0.1.0' };

describe('PluginManifestSchema', () => {
  it('applies defaults to a minimal manifest', () => {
    expect(PluginManifestSchema.parse(minimal)).toEqual({
      ...minimal,
      main: 'index.js',
      dependencies: {},
      optionalDependencies: {},
      permissions: [],
      isolation: 'inline',
      activation: 'eager',
    });
  });

  it('accepts every field', () => {
    const full = {
      $schema: './node_modules/@trellis/discovery/manifest.schema.json',
      name: '@acme/billing',
      version: '2.0.0-beta.1',
      description: 'Invoices',
      main: 'dist/index.js',
      platform: '>=0.1.0 <0.3.0',
      dependencies: { auth: '^1.0.0', '@acme/ledger': '~2.3.0' },
      optionalDependencies: { metrics: '*' },
      permissions: ['cache:write', 'http:route', 'events:*'],
      isolation: 'worker',
      activation: [
        'onRoute:/billing',
        'onService:billing.Invoices',
        'onEvent:order.paid',
        'onCommand:export',
      ],
      configExport: 'configSchema',
      health: { intervalMs: 30_000, timeoutMs: 2_000, critical: true },
    };
    expect(PluginManifestSchema.parse(full)).toEqual(full);
  });

  it.each([
    ['a capital letter', 'Billing'],
    ['a space', 'my plugin'],
    ['a leading dot', '.hidden'],
    ['a scope without a name', '@acme/'],
    ['more than 214 characters', 'a'.repeat(215)],
  ])('rejects a name with %s', (_, name) => {
    expect(PluginManifestSchema.safeParse({ ...minimal, name }).success).toBe(false);
  });

  it('accepts a name of exactly 214 characters', () => {
    expect(PluginManifestSchema.safeParse({ ...minimal, name: 'a'.repeat(214) }).success).toBe(true);
  });

  it.each(['one', '1.2', '1.2.0.0', ''])('rejects the version %j', (version) => {
    expect(PluginManifestSchema.safeParse({ ...minimal, version }).success).toBe(false);
  });

  it.each(['latest', '^^1', ''])('rejects the platform range %j', (platform) => {
    expect(PluginManifestSchema.safeParse({ ...minimal, platform }).success).toBe(false);
  });

  it.each([
    'fs:read:./data',
    'service:resolve:@acme/billing.Billing',
    'fs:write:/var/lib/app',
    'service:resolve:*',
  ])('accepts the qualified permission %j', (permission) => {
    expect(PluginManifestSchema.safeParse({ ...minimal, permissions: [permission] }).success).toBe(true);
  });

  it.each(['cache', 'Cache:write', 'cache:', ':write', 'cache:write:', 'fs:read:a b'])(
    'rejects the permission %j',
    (permission) => {
      expect(PluginManifestSchema.safeParse({ ...minimal, permissions: [permission] }).success).toBe(false);
    },
  );

  it.each([['lazy'], [[]], [['onRoute:']], [['onStart:now']], [['onroute:/x']]])(
    'rejects the activation %j',
    (activation) => {
      expect(PluginManifestSchema.safeParse({ ...minimal, activation }).success).toBe(false);
    },
  );

  it('rejects an absolute main path', () => {
    expect(PluginManifestSchema.safeParse({ ...minimal, main: '/srv/index.js' }).success).toBe(false);
    expect(PluginManifestSchema.safeParse({ ...minimal, main: 'C:\\index.js' }).success).toBe(false);
  });

  it('rejects health timings that are not whole positive milliseconds', () => {
    for (const intervalMs of [0, -1, 1.5, 2 ** 31]) {
      expect(PluginManifestSchema.safeParse({ ...minimal, health: { intervalMs } }).success).toBe(false);
    }
  });

  it('rejects unknown fields, nested ones included', () => {
    expect(PluginManifestSchema.safeParse({ ...minimal, verison: '1.0.0' }).success).toBe(false);
    expect(PluginManifestSchema.safeParse({ ...minimal, health: { every: 5 } }).success).toBe(false);
  });
});
