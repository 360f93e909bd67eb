import { describe, expect, it } from '@jest/globals';
import {
  type ActivationEvent,
  activationValue,
  formatActivationEvent,
  matchesActivation,
  parseActivationEvent,
  routePrefixesOf,
} from './activation-events.js';

function parsed(text: string): ActivationEvent {
  const event = parseActivationEvent(text);
  if (event === undefined) throw new Error(`${text} did not parse`);
  return event;
}

describe('parseActivationEvent', () => {
  it('parses each kind into its typed form', () => {
    expect(parseActivationEvent('onRoute:/plugins/hello')).toEqual({
      kind: 'route',
      prefix: '/plugins/hello',
    });
    expect(parseActivationEvent('onService:@acme/billing.Invoices')).toEqual({
      kind: 'service',
      token: '@acme/billing.Invoices',
    });
    expect(parseActivationEvent('onEvent:user.created')).toEqual({ kind: 'event', name: 'user.created' });
    expect(parseActivationEvent('onCommand:billing:rebuild')).toEqual({
      kind: 'command',
      id: 'billing:rebuild',
    });
  });

  it('drops a trailing slash from a route prefix but keeps the root', () => {
    expect(parseActivationEvent('onRoute:/plugins/hello/')).toEqual({
      kind: 'route',
      prefix: '/plugins/hello',
    });
    expect(parseActivationEvent('onRoute:/')).toEqual({ kind: 'route', prefix: '/' });
  });

  it.each([
    'eager',
    'onRoute:',
    'onRoute:plugins/hello',
    'onService:',
    'onEvent:two words',
    'onSomething:x',
    ':x',
  ])('rejects %p', (text) => {
    expect(parseActivationEvent(text)).toBeUndefined();
  });

  it('round-trips through formatActivationEvent', () => {
    for (const text of ['onRoute:/a/b', 'onService:x.Y', 'onEvent:e', 'onCommand:c']) {
      expect(formatActivationEvent(parsed(text))).toBe(text);
    }
  });

  it('names the value each event waits for', () => {
    expect(
      ['onRoute:/a', 'onService:s', 'onEvent:e', 'onCommand:c'].map((t) => activationValue(parsed(t))),
    ).toEqual(['/a', 's', 'e', 'c']);
  });
});

describe('matchesActivation', () => {
  const hello = parsed('onRoute:/plugins/hello');

  it('matches a route at the prefix itself and below it', () => {
    expect(matchesActivation(hello, { kind: 'route', value: '/plugins/hello' })).toBe(true);
    expect(matchesActivation(hello, { kind: 'route', value: '/plugins/hello/' })).toBe(true);
    expect(matchesActivation(hello, { kind: 'route', value: '/plugins/hello/x/y' })).toBe(true);
  });

  it('matches a route only at a segment boundary', () => {
    expect(matchesActivation(hello, { kind: 'route', value: '/plugins/helloworld' })).toBe(false);
    expect(matchesActivation(hello, { kind: 'route', value: '/plugins/hell' })).toBe(false);
    expect(matchesActivation(hello, { kind: 'route', value: '/plugins' })).toBe(false);
  });

  it('ignores the query and fragment of a request path', () => {
    expect(matchesActivation(hello, { kind: 'route', value: '/plugins/hello?x=/y' })).toBe(true);
    expect(matchesActivation(hello, { kind: 'route', value: '/plugins/helloworld#/hello' })).toBe(false);
  });

  it('matches every path with the root prefix', () => {
    expect(matchesActivation(parsed('onRoute:/'), { kind: 'route', value: '/anything/at/all' })).toBe(true);
  });

  it('matches service, event and command triggers by equal value', () => {
    expect(matchesActivation(parsed('onService:a.B'), { kind: 'service', value: 'a.B' })).toBe(true);
    expect(matchesActivation(parsed('onService:a.B'), { kind: 'service', value: 'a.Bc' })).toBe(false);
    expect(matchesActivation(parsed('onEvent:user.created'), { kind: 'event', value: 'user.created' })).toBe(
      true,
    );
    expect(matchesActivation(parsed('onCommand:rebuild'), { kind: 'command', value: 'rebuild' })).toBe(true);
  });

  it('never matches a trigger of another kind', () => {
    expect(
      matchesActivation(parsed('onEvent:/plugins/hello'), { kind: 'route', value: '/plugins/hello' }),
    ).toBe(false);
    expect(matchesActivation(hello, { kind: 'command', value: '/plugins/hello' })).toBe(false);
  });
});

describe('routePrefixesOf', () => {
  it('lists every segment-boundary prefix of a path, shortest first', () => {
    expect(routePrefixesOf('/a/b/c?q=1')).toEqual(['/', '/a', '/a/b', '/a/b/c']);
    expect(routePrefixesOf('/a/b/')).toEqual(['/', '/a', '/a/b']);
    expect(routePrefixesOf('/')).toEqual(['/']);
  });

  it('gives only the root for a path that does not start with a slash', () => {
    expect(routePrefixesOf('a/b')).toEqual(['/']);
  });

  it('agrees with matchesActivation for every prefix it lists', () => {
    const path = '/plugins//hello/x';
    for (const prefix of routePrefixesOf(path)) {
      expect(matchesActivation({ kind: 'route', prefix }, { kind: 'route', value: path })).toBe(true);
    }
  });
});
