import { describe, expect, it } from '@jest/globals';
import {
  AUDIT_LOG,
  CACHE,
  createPlatform,
  createToken,
  HTTP_ROUTER,
  inject,
  injectable,
  Lifecycle,
  LOGGER,
  resolveService,
  TrellisError,
} from '@trellis/core';
import { createPermissionGatedContainer, tokenKey } from './permission-gated-container.js';

const BILLING = createToken<{ charge(): string }>('@acme/billing.BillingService');

function platformWithBilling() {
  const platform = createPlatform({ logLevel: 'silent' });
  platform.container.register(BILLING, { useValue: { charge: () => 'charged' } });
  return platform;
}

function thrownBy(fn: () => unknown): TrellisError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TrellisError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('createPermissionGatedContainer', () => {
  it('refuses a parent service the plugin was not granted, naming token and permission', () => {
    const platform = platformWithBilling();
    const gated = createPermissionGatedContainer(platform.container, { plugin: 'shop', granted: [] });
    const error = thrownBy(() => gated.resolve(BILLING));
    expect(error.code).toBe('PLUGIN_PERMISSION_DENIED');
    expect(error.message).toContain('Plugin "shop" may not use @acme/billing.BillingService');
    expect(error.message).toContain('"service:resolve:@acme/billing.BillingService"');
    expect(error.fix).toContain('"permissions"');
  });

  it('still reports the service as registered, so the error says denied rather than missing', () => {
    const platform = platformWithBilling();
    const gated = createPermissionGatedContainer(platform.container, { plugin: 'shop', granted: [] });
    expect(gated.isRegistered(BILLING, true)).toBe(true);
    expect(thrownBy(() => resolveService(gated, BILLING)).code).toBe('PLUGIN_PERMISSION_DENIED');
  });

  it('hands out a granted service, by exact grant or by a trailing wildcard', () => {
    const platform = platformWithBilling();
    const exact = createPermissionGatedContainer(platform.container, {
      plugin: 'shop',
      granted: ['service:resolve:@acme/billing.BillingService'],
    });
    const wildcard = createPermissionGatedContainer(platform.container, {
      plugin: 'shop',
      granted: ['service:*'],
    });
    expect(resolveService(exact, BILLING).charge()).toBe('charged');
    expect(resolveService(wildcard, BILLING).charge()).toBe('charged');
  });

  it('maps core services to their named permissions, and lets everyone use the scoped ones', () => {
    const platform = createPlatform({ logLevel: 'silent' });
    platform.container.register(HTTP_ROUTER, { useValue: {} as never });
    const gated = createPermissionGatedContainer(platform.container, {
      plugin: 'p',
      granted: ['audit:write'],
    });
    expect(gated.resolve(LOGGER)).toBe(platform.resolve(LOGGER));
    expect(gated.resolve(CACHE)).toBe(platform.resolve(CACHE));
    expect(gated.resolve(AUDIT_LOG)).toBe(platform.resolve(AUDIT_LOG));
    expect(thrownBy(() => gated.resolve(HTTP_ROUTER)).details).toMatchObject({ permission: 'http:route' });
  });

  it('gates grandchild containers too, since they look up through the gate', () => {
    const platform = platformWithBilling();
    const gated = createPermissionGatedContainer(platform.container, { plugin: 'shop', granted: [] });
    const grandchild = gated.createChildContainer().createChildContainer();
    expect(thrownBy(() => grandchild.resolve(BILLING)).code).toBe('PLUGIN_PERMISSION_DENIED');
  });

  it('gates constructor injection of a class the plugin registers itself', () => {
    @injectable()
    class Checkout {
      constructor(@inject(BILLING) readonly billing: { charge(): string }) {}
    }
    const platform = platformWithBilling();
    const denied = createPermissionGatedContainer(platform.container, { plugin: 'shop', granted: [] });
    denied.register(Checkout, { useClass: Checkout });
    // tsyringe rewraps constructor-injection errors in a plain Error that keeps only the message.
    expect(() => denied.resolve(Checkout)).toThrow(/Plugin "shop" may not use @acme\/billing.BillingService/);
    const allowed = createPermissionGatedContainer(platform.container, {
      plugin: 'shop',
      granted: ['service:resolve:*'],
    });
    allowed.register(Checkout, { useClass: Checkout });
    expect(allowed.resolve(Checkout).billing.charge()).toBe('charged');
  });

  it("resolves the plugin's own registrations without any permission", () => {
    const platform = platformWithBilling();
    const gated = createPermissionGatedContainer(platform.container, { plugin: 'shop', granted: [] });
    gated.register(BILLING, { useValue: { charge: () => 'own' } });
    expect(resolveService(gated, BILLING).charge()).toBe('own');
    expect(gated.resolveAll(BILLING)).toHaveLength(1);
  });

  it('gates resolveAll of a parent service', () => {
    const platform = platformWithBilling();
    const gated = createPermissionGatedContainer(platform.container, { plugin: 'shop', granted: [] });
    expect(thrownBy(() => gated.resolveAll(BILLING)).code).toBe('PLUGIN_PERMISSION_DENIED');
  });

  it('does not let container-scoped parent registrations slip past the gate', () => {
    const SCOPED = createToken<object>('@acme/scoped.Scoped');
    const platform = createPlatform({ logLevel: 'silent' });
    class Scoped {}
    platform.container.register(SCOPED, { useClass: Scoped }, { lifecycle: Lifecycle.ContainerScoped });
    const gated = createPermissionGatedContainer(platform.container, { plugin: 'p', granted: [] });
    expect(thrownBy(() => gated.resolve(SCOPED)).code).toBe('PLUGIN_PERMISSION_DENIED');
  });

  it('reports each refusal to onDenied', () => {
    const platform = platformWithBilling();
    const denied: string[] = [];
    const gated = createPermissionGatedContainer(platform.container, {
      plugin: 'shop',
      granted: [],
      onDenied: (service, permission) => denied.push(`${service} ${permission}`),
    });
    thrownBy(() => gated.resolve(BILLING));
    thrownBy(() => gated.resolve(BILLING));
    expect(denied).toEqual([
      '@acme/billing.BillingService service:resolve:@acme/billing.BillingService',
      '@acme/billing.BillingService service:resolve:@acme/billing.BillingService',
    ]);
  });

  it('leaves an unregistered token to the usual not-registered error', () => {
    const platform = createPlatform({ logLevel: 'silent' });
    const gated = createPermissionGatedContainer(platform.container, { plugin: 'p', granted: [] });
    expect(thrownBy(() => resolveService(gated, BILLING)).code).toBe('SERVICE_NOT_REGISTERED');
  });
});

describe('tokenKey', () => {
  it('reads symbols, strings and classes', () => {
    class Widget {}
    expect(tokenKey(BILLING)).toBe('@acme/billing.BillingService');
    expect(tokenKey('plain')).toBe('plain');
    expect(tokenKey(Widget)).toBe('Widget');
    expect(tokenKey(Symbol())).toBe('Symbol()');
  });
});
