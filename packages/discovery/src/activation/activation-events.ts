import type { PluginActivationEvent } from '@trellis/core';

/** A parsed lazy-activation event from a manifest's `activation` list. */
export type ActivationEvent =
  /** `onRoute:<prefix>`: a request whose path is `prefix` or lies below it. */
  | { readonly kind: 'route'; readonly prefix: string }
  /** `onService:<token>`: someone resolves the service with this token name. */
  | { readonly kind: 'service'; readonly token: string }
  /** `onEvent:<name>`: this event is emitted. */
  | { readonly kind: 'event'; readonly name: string }
  /** `onCommand:<id>`: this command is run. */
  | { readonly kind: 'command'; readonly id: string };

/** The kinds of {@link ActivationEvent}. */
export type ActivationKind = ActivationEvent['kind'];

/** Something that happened and may activate lazy plugins: a request path, a service token, ... */
export interface ActivationTrigger {
  readonly kind: ActivationKind;
  /** The request path (`route`), token name (`service`), event name or command id. */
  readonly value: string;
}

const PREFIXES: Readonly<Record<string, ActivationKind>> = {
  onRoute: 'route',
  onService: 'service',
  onEvent: 'event',
  onCommand: 'command',
};

/**
 * Parses one activation event, e.g. `onRoute:/plugins/hello` or `onService:@acme/billing.Invoices`.
 * A route prefix must start with `/`; a trailing `/` is dropped (`/a/` and `/a` are the same
 * prefix). Other values are taken as written and may not contain whitespace.
 *
 * @returns the event, or `undefined` when `text` is not a valid activation event (manifest
 * validation reports it).
 */
export function parseActivationEvent(text: PluginActivationEvent | string): ActivationEvent | undefined {
  const colon = text.indexOf(':');
  const kind = colon === -1 ? undefined : PREFIXES[text.slice(0, colon)];
  const value = text.slice(colon + 1);
  if (kind === undefined || value === '' || /\s/.test(value)) return undefined;
  switch (kind) {
    case 'route':
      return value.startsWith('/') ? { kind, prefix: trimTrailingSlash(value) } : undefined;
    case 'service':
      return { kind, token: value };
    case 'event':
      return { kind, name: value };
    case 'command':
      return { kind, id: value };
  }
}

/** Writes an {@link ActivationEvent} back in manifest form, e.g. `onRoute:/plugins/hello`. */
export function formatActivationEvent(event: ActivationEvent): PluginActivationEvent {
  switch (event.kind) {
    case 'route':
      return `onRoute:${event.prefix}`;
    case 'service':
      return `onService:${event.token}`;
    case 'event':
      return `onEvent:${event.name}`;
    case 'command':
      return `onCommand:${event.id}`;
  }
}

/** The value an event waits for: the route prefix, token, event name or command id. */
export function activationValue(event: ActivationEvent): string {
  switch (event.kind) {
    case 'route':
      return event.prefix;
    case 'service':
      return event.token;
    case 'event':
      return event.name;
    case 'command':
      return event.id;
  }
}

/**
 * True when `trigger` fires `event`. A route trigger matches when its path (query and fragment
 * ignored) equals the prefix or continues it at a segment boundary: `/plugins/hello` matches
 * `/plugins/hello` and `/plugins/hello/x`, not `/plugins/helloworld`. Other kinds match by
 * equal value.
 */
export function matchesActivation(event: ActivationEvent, trigger: ActivationTrigger): boolean {
  if (event.kind !== trigger.kind) return false;
  if (event.kind !== 'route') return activationValue(event) === trigger.value;
  const path = requestPath(trigger.value);
  return event.prefix === '/' || path === event.prefix || path.startsWith(`${event.prefix}/`);
}

/**
 * The route prefixes a request path can match, shortest first: `/a/b` gives `/`, `/a`, `/a/b`.
 * Looking these up in a map finds every matching `onRoute` event without scanning them all.
 */
export function routePrefixesOf(path: string): string[] {
  const trimmed = requestPath(path);
  const prefixes = ['/'];
  if (!trimmed.startsWith('/')) return prefixes;
  for (let slash = trimmed.indexOf('/', 1); slash !== -1; slash = trimmed.indexOf('/', slash + 1)) {
    prefixes.push(trimmed.slice(0, slash));
  }
  if (trimmed !== '/') prefixes.push(trimmed);
  return prefixes;
}

function requestPath(value: string): string {
  const end = value.search(/[?#]/);
  return trimTrailingSlash(end === -1 ? value : value.slice(0, end));
}

function trimTrailingSlash(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}
