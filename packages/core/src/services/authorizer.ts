/** A question to the {@link Authorizer}: may `subject` use `permission` (on `resource`)? */
export interface AuthorizationRequest {
  /** Who asks: a user id or `plugin:<name>`. */
  readonly subject: string;
  /** A capability string, `<area>:<action>`, e.g. `cache:write`. */
  readonly permission: string;
  readonly resource?: string;
}

/** The answer, with a reason fit for an audit log or an error message. */
export interface AuthorizationDecision {
  readonly allowed: boolean;
  readonly reason: string;
}

/** Authorization contract (token `AUTHORIZER`). `@trellis/security` provides RBAC. */
export interface Authorizer {
  authorize(request: AuthorizationRequest): AuthorizationDecision | Promise<AuthorizationDecision>;
}
