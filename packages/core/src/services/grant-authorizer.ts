import type { AuthorizationDecision, AuthorizationRequest, Authorizer } from './authorizer.js';

/**
 * The default {@link Authorizer}: deny unless granted. Grants are permission patterns per subject;
 * `*` matches everything and `cache:*` every `cache:` permission.
 */
export class GrantAuthorizer implements Authorizer {
  readonly #grants = new Map<string, Set<string>>();

  constructor(grants: Readonly<Record<string, readonly string[]>> = {}) {
    for (const [subject, permissions] of Object.entries(grants)) this.grant(subject, permissions);
  }

  /** Adds permission patterns for `subject`. */
  grant(subject: string, permissions: readonly string[]): void {
    const set = this.#grants.get(subject) ?? new Set<string>();
    this.#grants.set(subject, set);
    for (const permission of permissions) set.add(permission);
  }

  /** Removes permission patterns from `subject`. */
  revoke(subject: string, permissions: readonly string[]): void {
    const set = this.#grants.get(subject);
    for (const permission of permissions) set?.delete(permission);
  }

  authorize(request: AuthorizationRequest): AuthorizationDecision {
    for (const pattern of this.#grants.get(request.subject) ?? []) {
      if (matches(pattern, request.permission)) {
        return { allowed: true, reason: `${request.subject} holds "${pattern}"` };
      }
    }
    return { allowed: false, reason: `${request.subject} has no grant matching "${request.permission}"` };
  }
}

function matches(pattern: string, permission: string): boolean {
  if (pattern === '*' || pattern === permission) return true;
  return pattern.endsWith(':*') && permission.startsWith(pattern.slice(0, -1));
}
