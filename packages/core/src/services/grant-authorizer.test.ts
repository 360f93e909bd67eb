import { describe, expect, it } from '@jest/globals';
import { GrantAuthorizer } from './grant-authorizer.js';

describe('GrantAuthorizer', () => {
  it('denies by default', () => {
    const authorizer = new GrantAuthorizer();
    expect(authorizer.authorize({ subject: 'plugin:hello', permission: 'cache:read' }).allowed).toBe(false);
  });

  it('allows a permission granted exactly', () => {
    const authorizer = new GrantAuthorizer({ 'plugin:hello': ['cache:read'] });
    expect(authorizer.authorize({ subject: 'plugin:hello', permission: 'cache:read' }).allowed).toBe(true);
  });

  it('denies a permission that was not granted', () => {
    const authorizer = new GrantAuthorizer({ 'plugin:hello': ['cache:read'] });
    expect(authorizer.authorize({ subject: 'plugin:hello', permission: 'cache:write' }).allowed).toBe(false);
  });

  it('keeps grants per subject', () => {
    const authorizer = new GrantAuthorizer({ 'plugin:hello': ['cache:read'] });
    expect(authorizer.authorize({ subject: 'plugin:other', permission: 'cache:read' }).allowed).toBe(false);
  });

  it('"*" allows every permission', () => {
    const authorizer = new GrantAuthorizer({ admin: ['*'] });
    expect(authorizer.authorize({ subject: 'admin', permission: 'http:route' }).allowed).toBe(true);
    expect(authorizer.authorize({ subject: 'admin', permission: 'anything' }).allowed).toBe(true);
  });

  it('"cache:*" allows every cache: permission', () => {
    const authorizer = new GrantAuthorizer({ worker: ['cache:*'] });
    expect(authorizer.authorize({ subject: 'worker', permission: 'cache:read' }).allowed).toBe(true);
    expect(authorizer.authorize({ subject: 'worker', permission: 'cache:write' }).allowed).toBe(true);
  });

  it('"cache:*" does not allow a permission of another area sharing the prefix', () => {
    const authorizer = new GrantAuthorizer({ worker: ['cache:*'] });
    expect(authorizer.authorize({ subject: 'worker', permission: 'cachex:read' }).allowed).toBe(false);
    expect(authorizer.authorize({ subject: 'worker', permission: 'http:route' }).allowed).toBe(false);
  });

  it('treats "*" inside a pattern literally unless it ends the pattern after ":"', () => {
    const authorizer = new GrantAuthorizer({ worker: ['cache*'] });
    expect(authorizer.authorize({ subject: 'worker', permission: 'cache:read' }).allowed).toBe(false);
  });

  it('grant adds to the patterns a subject already holds', () => {
    const authorizer = new GrantAuthorizer({ worker: ['cache:read'] });
    authorizer.grant('worker', ['http:route']);
    expect(authorizer.authorize({ subject: 'worker', permission: 'cache:read' }).allowed).toBe(true);
    expect(authorizer.authorize({ subject: 'worker', permission: 'http:route' }).allowed).toBe(true);
  });

  it('grant works for a subject with no grants yet', () => {
    const authorizer = new GrantAuthorizer();
    authorizer.grant('plugin:new', ['events:emit']);
    expect(authorizer.authorize({ subject: 'plugin:new', permission: 'events:emit' }).allowed).toBe(true);
  });

  it('revoke removes a pattern', () => {
    const authorizer = new GrantAuthorizer({ worker: ['cache:read', 'http:route'] });
    authorizer.revoke('worker', ['cache:read']);
    expect(authorizer.authorize({ subject: 'worker', permission: 'cache:read' }).allowed).toBe(false);
    expect(authorizer.authorize({ subject: 'worker', permission: 'http:route' }).allowed).toBe(true);
  });

  it('revoke removes the pattern itself, not the permissions it matches', () => {
    const authorizer = new GrantAuthorizer({ worker: ['cache:*'] });
    authorizer.revoke('worker', ['cache:read']);
    expect(authorizer.authorize({ subject: 'worker', permission: 'cache:read' }).allowed).toBe(true);
    authorizer.revoke('worker', ['cache:*']);
    expect(authorizer.authorize({ subject: 'worker', permission: 'cache:read' }).allowed).toBe(false);
  });

  it('revoke for an unknown subject does nothing', () => {
    const authorizer = new GrantAuthorizer();
    expect(() => authorizer.revoke('nobody', ['cache:read'])).not.toThrow();
    expect(authorizer.authorize({ subject: 'nobody', permission: 'cache:read' }).allowed).toBe(false);
  });

  it('explains an allow with the matching pattern', () => {
    const authorizer = new GrantAuthorizer({ worker: ['cache:*'] });
    expect(authorizer.authorize({ subject: 'worker', permission: 'cache:read' })).toEqual({
      allowed: true,
      reason: 'worker holds "cache:*"',
    });
  });

  it('explains a deny with the subject and permission', () => {
    const authorizer = new GrantAuthorizer();
    expect(
      authorizer.authorize({ subject: 'plugin:hello', permission: 'cache:write', resource: 'x' }),
    ).toEqual({
      allowed: false,
      reason: 'plugin:hello has no grant matching "cache:write"',
    });
  });
});
