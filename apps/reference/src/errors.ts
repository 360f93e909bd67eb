import { TrellisError } from '@trellis/core';

/** Every error code the reference app raises; each is documented in `docs/errors.md`. */
export const REFERENCE_ERROR_CODES = ['HTTP_ROUTE_CONFLICT'] as const;

/** Two live routes claim the same method and URL. */
export class HttpRouteConflictError extends TrellisError {
  constructor(method: string, url: string) {
    super('HTTP_ROUTE_CONFLICT', `${method} ${url} is already served by another route.`, {
      fix: 'Give the route another path, or dispose the existing route first.',
      details: { method, url },
    });
  }
}
