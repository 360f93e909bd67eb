import type { DependencyContainer } from 'tsyringe';
import { ServiceNotRegisteredError } from './errors.js';
import type { Token } from './token.js';
import { providerHint } from './tokens.js';

/**
 * Resolves `token` from `container` (or its ancestors), throwing {@link ServiceNotRegisteredError}
 * that names the token and where a provider comes from, instead of tsyringe's generic message.
 */
export function resolveService<T>(container: DependencyContainer, token: Token<T>): T {
  if (!container.isRegistered(token, true)) throw new ServiceNotRegisteredError(token, providerHint(token));
  return container.resolve<T>(token);
}
