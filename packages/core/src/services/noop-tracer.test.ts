import { describe, expect, it } from '@jest/globals';
import { noopTracer } from './noop-tracer.js';
import type { Span } from './tracer.js';

describe('noopTracer', () => {
  it('returns the value of the function it runs', () => {
    expect(noopTracer.withSpan('work', () => 42)).toBe(42);
  });

  it('returns the promise of an async function as it is', async () => {
    const result = noopTracer.withSpan('work', async () => 'done', { attributes: { a: 1 } });
    await expect(result).resolves.toBe('done');
  });

  it('runs the function once, synchronously', () => {
    let calls = 0;
    noopTracer.withSpan('work', () => {
      calls += 1;
    });
    expect(calls).toBe(1);
  });

  it('passes a span whose methods do nothing and do not throw', () => {
    const span = noopTracer.withSpan('work', (s: Span) => s);
    expect(() => {
      span.setAttribute('key', 'value');
      span.recordException(new Error('x'));
      span.setStatus({ code: 'error', message: 'x' });
      span.end();
    }).not.toThrow();
  });

  it('lets an error thrown by the function propagate', () => {
    expect(() =>
      noopTracer.withSpan('work', () => {
        throw new Error('inside span');
      }),
    ).toThrow('inside span');
  });
});
