import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TrellisError } from './errors/trellis-error.js';
import {
  CORE_ERROR_CODES,
  ConfigValueMissingError,
  DependencyMissingError,
  HealthCheckDuplicateError,
  ModuleCycleError,
  ModuleDuplicateError,
  ModuleInvalidError,
  ModuleStartError,
  PlatformOptionsInvalidError,
  PlatformStateError,
  PluginDefinitionInvalidError,
  ProviderConflictError,
  ProviderNotRegisteredError,
  ServiceNotRegisteredError,
} from './errors.js';
import { DeadlineExceededError } from './time/deadline.js';
import { createToken } from './token.js';

const BILLING = createToken<unknown>('@acme/billing.BillingService');

interface ErrorCase {
  /** The class under test, for the test title. */
  readonly type: abstract new (
    ...args: never[]
  ) => TrellisError;
  /** Builds one instance. */
  readonly create: () => TrellisError;
  readonly code: string;
  /** What the message must name: the option, module, token, path... */
  readonly subjects: readonly string[];
}

const cases: readonly ErrorCase[] = [
  {
    type: PlatformOptionsInvalidError,
    create: () => new PlatformOptionsInvalidError(['name: Too small', 'logLevel: Invalid option']),
    code: 'PLATFORM_OPTIONS_INVALID',
    subjects: ['name: Too small', 'logLevel: Invalid option'],
  },
  {
    type: PlatformStateError,
    create: () => new PlatformStateError('add module "cache"', 'started', 'Add modules before start().'),
    code: 'PLATFORM_STATE_INVALID',
    subjects: ['add module "cache"', 'started'],
  },
  {
    type: ModuleInvalidError,
    create: () => new ModuleInvalidError('cache', 'register must be a function'),
    code: 'PLATFORM_MODULE_INVALID',
    subjects: ['"cache"', 'register must be a function'],
  },
  {
    type: ModuleDuplicateError,
    create: () => new ModuleDuplicateError('cache'),
    code: 'PLATFORM_MODULE_DUPLICATE',
    subjects: ['"cache"'],
  },
  {
    type: ProviderConflictError,
    create: () => new ProviderConflictError(BILLING, 'billing', 'billing-v2'),
    code: 'PLATFORM_PROVIDER_CONFLICT',
    subjects: ['@acme/billing.BillingService', '"billing"', '"billing-v2"'],
  },
  {
    type: DependencyMissingError,
    create: () =>
      new DependencyMissingError([
        { token: '@trellis/core.HttpRouter', neededBy: 'api', providedBy: 'the host application' },
        {
          token: '@acme/billing.BillingService',
          neededBy: 'shop',
          providedBy: 'a module from @acme/billing',
        },
      ]),
    code: 'PLATFORM_DEPENDENCY_MISSING',
    subjects: [
      '"api"',
      '@trellis/core.HttpRouter',
      '"shop"',
      '@acme/billing.BillingService',
      'a module from @acme/billing',
    ],
  },
  {
    type: ModuleCycleError,
    create: () => new ModuleCycleError(['a', 'b', 'a']),
    code: 'PLATFORM_MODULE_CYCLE',
    subjects: ['a → b → a'],
  },
  {
    type: ProviderNotRegisteredError,
    create: () => new ProviderNotRegisteredError('billing', BILLING),
    code: 'PLATFORM_PROVIDER_NOT_REGISTERED',
    subjects: ['"billing"', '@acme/billing.BillingService'],
  },
  {
    type: ModuleStartError,
    create: () => new ModuleStartError('cache', 'start', new Error('redis unreachable')),
    code: 'PLATFORM_MODULE_START_FAILED',
    subjects: ['"cache"', 'start', 'redis unreachable'],
  },
  {
    type: ServiceNotRegisteredError,
    create: () => new ServiceNotRegisteredError(BILLING, 'a module from @acme/billing'),
    code: 'SERVICE_NOT_REGISTERED',
    subjects: ['@acme/billing.BillingService'],
  },
  {
    type: DeadlineExceededError,
    create: () => new DeadlineExceededError('module "cache" stop', 5_000),
    code: 'DEADLINE_EXCEEDED',
    subjects: ['module "cache" stop', '5000 ms'],
  },
  {
    type: PluginDefinitionInvalidError,
    create: () => new PluginDefinitionInvalidError(['"start" must be a function, got number']),
    code: 'PLUGIN_DEFINITION_INVALID',
    subjects: ['"start" must be a function, got number'],
  },
  {
    type: ConfigValueMissingError,
    create: () => new ConfigValueMissingError('db.url'),
    code: 'CONFIG_VALUE_MISSING',
    subjects: ['"db.url"'],
  },
  {
    type: HealthCheckDuplicateError,
    create: () => new HealthCheckDuplicateError('db'),
    code: 'HEALTH_CHECK_DUPLICATE',
    subjects: ['"db"'],
  },
];

describe('core errors', () => {
  it.each(cases.map((c) => [c.type.name, c] as const))(
    '%s has its code, names its subject and says how to fix it',
    (name, c) => {
      const error = c.create();
      expect(error).toBeInstanceOf(c.type);
      expect(error).toBeInstanceOf(TrellisError);
      expect(error.name).toBe(name);
      expect(error.code).toBe(c.code);
      for (const subject of c.subjects) expect(error.message).toContain(subject);
      expect(error.message).toContain('Fix:');
      expect(error.fix).toEqual(expect.any(String));
      expect(error.message.endsWith(`Fix: ${error.fix}`)).toBe(true);
    },
  );

  it('every code in CORE_ERROR_CODES is raised by a class tested above, and no other', () => {
    const raised = cases.map((c) => c.create().code);
    expect(new Set(raised).size).toBe(raised.length);
    expect([...raised].sort()).toEqual([...CORE_ERROR_CODES].sort());
  });

  describe('class-specific facts', () => {
    it('PlatformOptionsInvalidError lists every problem on its own line', () => {
      const error = new PlatformOptionsInvalidError(['a: bad', 'b: worse']);
      expect(error.message).toContain('\n  - a: bad\n  - b: worse');
      expect(error.details).toEqual({ problems: ['a: bad', 'b: worse'] });
    });

    it('PlatformStateError uses the fix it is given', () => {
      expect(new PlatformStateError('start', 'stopped', 'Create a new platform.').fix).toBe(
        'Create a new platform.',
      );
    });

    it('DependencyMissingError keeps every missing dependency', () => {
      const missing = [
        { token: 'x.A', neededBy: 'm1', providedBy: 'p1' },
        { token: 'x.B', neededBy: 'm2', providedBy: 'p2' },
      ];
      const error = new DependencyMissingError(missing);
      expect(error.missing).toEqual(missing);
      expect(error.details).toEqual({ missing });
    });

    it('ModuleCycleError keeps the cycle', () => {
      expect(new ModuleCycleError(['a', 'b', 'a']).cycle).toEqual(['a', 'b', 'a']);
    });

    it('ProviderConflictError names both modules in details', () => {
      expect(new ProviderConflictError(BILLING, 'one', 'two').details).toEqual({
        token: '@acme/billing.BillingService',
        modules: ['one', 'two'],
      });
    });

    it('ModuleStartError keeps the cause and the phase', () => {
      const cause = new Error('boom');
      const error = new ModuleStartError('cache', 'register', cause);
      expect(error.cause).toBe(cause);
      expect(error.details).toEqual({ module: 'cache', phase: 'register' });
      expect(error.message).toContain('failed during register: boom');
    });

    it('ModuleStartError describes a cause that is not an Error', () => {
      expect(new ModuleStartError('cache', 'start', 'plain string').message).toContain(
        'during start: plain string',
      );
    });

    it('ServiceNotRegisteredError points to the hinted provider', () => {
      const error = new ServiceNotRegisteredError(BILLING, 'a module from @acme/billing');
      expect(error.fix).toBe('Register a provider: a module from @acme/billing.');
    });

    it('ServiceNotRegisteredError without a hint asks for a module that provides the token', () => {
      const error = new ServiceNotRegisteredError(BILLING, undefined);
      expect(error.fix).toBe('Register a module that lists @acme/billing.BillingService in "provides".');
    });

    it('ServiceNotRegisteredError keeps the cause', () => {
      const cause = new Error('tsyringe said no');
      expect(new ServiceNotRegisteredError(BILLING, undefined, cause).cause).toBe(cause);
    });

    it('ConfigValueMissingError keeps the path in details', () => {
      expect(new ConfigValueMissingError('db.url').details).toEqual({ path: 'db.url' });
    });
  });

  describe('docs/errors.md', () => {
    const readDocs = () => readFileSync(path.resolve(__dirname, '../../../docs/errors.md'), 'utf8');

    it.each([...CORE_ERROR_CODES])('documents %s in a table row', (code) => {
      expect(readDocs()).toMatch(new RegExp(`^\\|\\s*\`${code}\`\\s*\\|`, 'm'));
    });
  });
});
