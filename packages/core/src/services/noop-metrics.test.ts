import { describe, expect, it } from '@jest/globals';
import { noopMetrics } from './noop-metrics.js';

describe('noopMetrics', () => {
  it('returns a counter whose inc records nothing and does not throw', () => {
    const counter = noopMetrics.counter({ name: 'trellis_requests_total', help: 'requests' });
    expect(counter.inc({ route: '/' }, 2)).toBeUndefined();
  });

  it('returns a gauge whose methods do not throw', () => {
    const gauge = noopMetrics.gauge({ name: 'trellis_connections', help: 'connections' });
    expect(() => {
      gauge.set(3);
      gauge.inc();
      gauge.dec({ pool: 'a' }, 2);
    }).not.toThrow();
  });

  it('returns a histogram whose timer reports 0 seconds', () => {
    const histogram = noopMetrics.histogram({
      name: 'trellis_latency_seconds',
      help: 'latency',
      buckets: [0.1],
    });
    histogram.observe(0.5);
    const stop = histogram.startTimer({ route: '/' });
    expect(stop()).toBe(0);
  });

  it('returns the same metric for the same name', () => {
    const options = { name: 'trellis_x_total', help: 'x' };
    expect(noopMetrics.counter(options)).toBe(noopMetrics.counter(options));
  });

  it('withLabels returns metrics that are just as usable', () => {
    const labelled = noopMetrics.withLabels({ plugin: 'hello' });
    const timer = labelled.histogram({ name: 'h', help: 'h' }).startTimer();
    expect(timer()).toBe(0);
    expect(typeof labelled.counter({ name: 'c', help: 'c' }).inc).toBe('function');
    expect(typeof labelled.gauge({ name: 'g', help: 'g' }).set).toBe('function');
    expect(typeof labelled.withLabels({ more: 1 }).counter).toBe('function');
  });
});
