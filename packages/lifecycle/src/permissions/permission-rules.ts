// Pure rules shared by the host and the code that runs inside worker and process plugins, so this
// file imports nothing: isolated plugins check a resolve before sending it, and the host checks
// it again on arrival (the plugin side is not trusted).

/**
 * Which permission each service token needs, by token key. `null` means every plugin may resolve
 * it (the plugin's own scoped logger, metrics, cache, tracer, clock and event bus). A token not
 * listed needs `service:resolve:<token key>`.
 */
export type ServicePermissionRules = Readonly<Record<string, string | null>>;

/** The rules for the services `@trellis/core` defines. */
export const DEFAULT_SERVICE_PERMISSIONS: ServicePermissionRules = Object.freeze({
  '@trellis/core.Logger': null,
  '@trellis/core.Metrics': null,
  '@trellis/core.Tracer': null,
  '@trellis/core.Cache': null,
  '@trellis/core.Clock': null,
  '@trellis/core.EventBus': null,
  '@trellis/core.ConfigReader': 'config:read',
  '@trellis/core.AuditLog': 'audit:write',
  '@trellis/core.Authorizer': 'auth:check',
  '@trellis/core.HealthRegistry': 'health:register',
  '@trellis/core.HttpRouter': 'http:route',
});

/** The permission a plugin needs to resolve the token with key `tokenKey`; `null` when none. */
export function requiredPermission(tokenKey: string, rules: ServicePermissionRules): string | null {
  if (Object.hasOwn(rules, tokenKey)) return rules[tokenKey] ?? null;
  return `service:resolve:${tokenKey}`;
}

/**
 * True when `granted` covers `permission`: the same string, or a grant whose last segment is `*`
 * (`service:resolve:*` covers every service, `fs:*` every `fs:` permission).
 */
export function isGranted(permission: string, granted: readonly string[]): boolean {
  for (const grant of granted) {
    if (grant === permission) return true;
    if (grant.endsWith('*') && permission.startsWith(grant.slice(0, -1))) return true;
  }
  return false;
}
