import { describe, expect, it } from '@jest/globals';
import { envNameForPath, envSegment, normalizeName } from './env-names.js';

describe('envNameForPath', () => {
  it('turns a dotted path into a prefixed UPPER_SNAKE name with __ between segments', () => {
    expect(envNameForPath('TRELLIS_', 'cache.ttlMs')).toBe('TRELLIS_CACHE__TTL_MS');
    expect(envNameForPath('APP_', 'plugins.my-plugin.enabled')).toBe('APP_PLUGINS__MY_PLUGIN__ENABLED');
    expect(envNameForPath('TRELLIS_', 'servers.0.port')).toBe('TRELLIS_SERVERS__0__PORT');
  });
});

describe('envSegment', () => {
  it.each([
    ['ttlMs', 'TTL_MS'],
    ['ttl_ms', 'TTL_MS'],
    ['HTTPServer', 'HTTP_SERVER'],
    ['v2Api', 'V2_API'],
    ['a.b c', 'A_B_C'],
  ])('%s → %s', (key, segment) => {
    expect(envSegment(key)).toBe(segment);
  });
});

describe('normalizeName', () => {
  it('compares names without case, _ or -', () => {
    expect(new Set(['TTL_MS', 'ttlMs', 'ttl_ms', 'ttl-ms'].map(normalizeName))).toEqual(new Set(['ttlms']));
  });
});
