import { describe, expect, it } from '@jest/globals';
import { ConfigDiffSourcesError, ConfigPathNotSecretError } from './operation-errors.js';

describe('ConfigPathNotSecretError', () => {
  it('has code CONFIG_PATH_UNKNOWN and names the secret fields to use instead', () => {
    const error = new ConfigPathNotSecretError('db.pool', ['db.password']);
    expect(error.code).toBe('CONFIG_PATH_UNKNOWN');
    expect(error.message).toContain('"db.pool" is not a secret field');
    expect(error.message).toContain('db.password');
  });

  it('says to mark the field secret() when the schema has no secret fields', () => {
    expect(new ConfigPathNotSecretError('name', []).message).toContain('has no secret fields');
  });
});

describe('ConfigDiffSourcesError', () => {
  it('has code CONFIG_DIFF_SOURCES_MIXED and names both sources', () => {
    const error = new ConfigDiffSourcesError('config/a.yaml', 'production');
    expect(error.code).toBe('CONFIG_DIFF_SOURCES_MIXED');
    expect(error.message).toContain('config/a.yaml');
    expect(error.message).toContain('"production"');
  });
});
