import { describe, expect, it } from '@jest/globals';
import { ManifestInvalidError } from '../errors.js';
import { checkManifest, joinField, validateManifest } from './validate-manifest.js';

const minimal = { name: 'billing', version: '1.2.0', platform: '^0.1.0' };
const FILE = '/app/plugins/billing/trellis.plugin.json';

function problemsOf(value: unknown, field?: string): { field: string; message: string }[] {
  try {
    validateManifest(value, FILE, field === undefined ? {} : { field });
  } catch (error) {
    if (!(error instanceof ManifestInvalidError)) throw error;
    return error.problems.map(({ field, message }) => ({ field, message }));
  }
  throw new Error('expected the manifest to be invalid');
}

describe('validateManifest', () => {
  it('returns the manifest with defaults applied', () => {
    expect(validateManifest(minimal, FILE)).toMatchObject({
      ...minimal,
      isolation: 'inline',
      activation: 'eager',
    });
  });

  it('names the file, the field, what was expected and what was found', () => {
    expect(() => validateManifest({ ...minimal, version: 'one' }, FILE)).toThrow(
      `${FILE} "version": expected a semver version like "1.2.0", got "one"`,
    );
  });

  it('raises PLUGIN_MANIFEST_INVALID with the file in its details', () => {
    let caught: unknown;
    try {
      validateManifest({}, FILE);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ManifestInvalidError);
    expect((caught as ManifestInvalidError).code).toBe('PLUGIN_MANIFEST_INVALID');
    expect((caught as ManifestInvalidError).details).toMatchObject({ file: FILE });
  });

  it('lists every missing required field with what to add', () => {
    expect(problemsOf({})).toEqual([
      { field: 'name', message: expect.stringMatching(/^missing; add an npm-style name like "billing"/) },
      { field: 'version', message: 'missing; add a semver version like "1.2.0"' },
      { field: 'platform', message: 'missing; add a semver range of the Trellis API like "^0.1.0"' },
    ]);
  });

  it('lists every invalid field at once', () => {
    const fields = problemsOf({
      name: 'Billing',
      version: 'one',
      platform: 'latest',
      dependencies: { auth: 'soon' },
      permissions: ['everything'],
      isolation: 'thread',
      activation: ['onRoute:/billing', 'onBoot:now'],
      health: { intervalMs: 0 },
    }).map((problem) => problem.field);
    expect(fields).toEqual([
      'name',
      'version',
      'platform',
      'dependencies.auth',
      'permissions[0]',
      'isolation',
      'activation[1]',
      'health.intervalMs',
    ]);
  });

  it('reports a bad name with the npm rules', () => {
    expect(problemsOf({ ...minimal, name: 'My Plugin' })).toEqual([
      {
        field: 'name',
        message: expect.stringMatching(
          /^expected an npm-style name like "billing" or "@acme\/billing" .* got "My Plugin"$/,
        ),
      },
    ]);
  });

  it('reports a bad semver range with an example of a good one', () => {
    expect(problemsOf({ ...minimal, dependencies: { auth: 'one or two' } })).toEqual([
      { field: 'dependencies.auth', message: 'expected a semver range like "^1.0.0", got "one or two"' },
    ]);
  });

  it('reports a dependency key that is not a plugin name', () => {
    expect(problemsOf({ ...minimal, optionalDependencies: { Auth: '^1.0.0' } })).toEqual([
      {
        field: 'optionalDependencies.Auth',
        message: expect.stringMatching(/^expected each key to be an npm-style name/),
      },
    ]);
  });

  it('reports dependencies that are not an object', () => {
    expect(problemsOf({ ...minimal, dependencies: ['auth'] })).toEqual([
      {
        field: 'dependencies',
        message: expect.stringMatching(/^expected an object mapping plugin names .* got an array$/),
      },
    ]);
  });

  it('reports the one bad activation event, not the whole list', () => {
    expect(problemsOf({ ...minimal, activation: ['onRoute:/billing', 'onRoute:'] })).toEqual([
      {
        field: 'activation[1]',
        message: expect.stringMatching(/^expected an activation event .* got "onRoute:"$/),
      },
    ]);
  });

  it('reports an activation that is neither "eager" nor a list', () => {
    expect(problemsOf({ ...minimal, activation: 'lazy' })).toEqual([
      {
        field: 'activation',
        message:
          'expected "eager" or a non-empty array of activation events like ["onRoute:/billing"], got "lazy"',
      },
    ]);
  });

  it('reports an empty activation list', () => {
    expect(problemsOf({ ...minimal, activation: [] })).toEqual([
      { field: 'activation', message: expect.stringMatching(/got an empty array$/) },
    ]);
  });

  it('reports an unknown field with the known ones and a near match', () => {
    expect(problemsOf({ ...minimal, permission: ['cache:write'] })).toEqual([
      {
        field: 'permission',
        message: expect.stringMatching(
          /^unknown field; remove it or use one of: \$schema, name, .* Did you mean "permissions"\?$/,
        ),
      },
    ]);
  });

  it('reports an unknown health field with the health fields', () => {
    expect(problemsOf({ ...minimal, health: { Critical: true } })).toEqual([
      {
        field: 'health.Critical',
        message:
          'unknown field; remove it or use one of: intervalMs, timeoutMs, critical. Did you mean "critical"?',
      },
    ]);
  });

  it('suggests nothing for an unknown field unlike any known one', () => {
    expect(problemsOf({ ...minimal, colour: 'red' })[0]?.message).not.toContain('Did you mean');
  });

  it('reports a manifest that is not an object', () => {
    expect(problemsOf(['billing'])).toEqual([
      {
        field: '',
        message: 'expected a JSON object with at least "name", "version" and "platform", got an array',
      },
    ]);
  });

  it('reports one problem when a value fails two checks of one field', () => {
    expect(problemsOf({ ...minimal, name: 'X'.repeat(300) })).toHaveLength(1);
  });

  it('prefixes every field with options.field', () => {
    expect(problemsOf({ ...minimal, version: 1, activation: ['x'] }, 'trellis').map((p) => p.field)).toEqual([
      'trellis.version',
      'trellis.activation[0]',
    ]);
    expect(problemsOf('yes', 'trellis').map((p) => p.field)).toEqual(['trellis']);
  });
});

describe('checkManifest', () => {
  it('returns the problems instead of throwing', () => {
    expect(checkManifest({ ...minimal, isolation: 'thread' })).toEqual({
      ok: false,
      problems: [{ field: 'isolation', message: 'expected "inline", "worker" or "process", got "thread"' }],
    });
  });
});

describe('joinField', () => {
  it('joins with a dot, or keeps whichever side is not empty', () => {
    expect(joinField('trellis', 'name')).toBe('trellis.name');
    expect(joinField('trellis', '[0]')).toBe('trellis[0]');
    expect(joinField('', 'name')).toBe('name');
    expect(joinField('trellis', '')).toBe('trellis');
  });
});
