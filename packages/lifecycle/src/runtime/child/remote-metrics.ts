import type { Counter, Gauge, Histogram, MetricLabels, Metrics } from '@trellis/core';
import { HOST_METHODS } from './protocol.js';
import type { RpcChannel } from './rpc-channel.js';

/**
 * Metrics whose every operation is sent, fire-and-forget, to the host-side plugin metrics (the
 * metric options travel with each operation, so the host declares metrics on first use).
 * `startTimer` measures on this side and sends the observation.
 */
export function createRemoteMetrics(channel: RpcChannel, labels: MetricLabels = {}): Metrics {
  const send = (kind: string, options: object, op: string, args: readonly unknown[]) =>
    channel.notify(HOST_METHODS.metric, [labels, kind, options, op, args]);
  return {
    counter: (options): Counter => ({
      inc: (l, value) => send('counter', options, 'inc', [l, value]),
    }),
    gauge: (options): Gauge => ({
      set: (value, l) => send('gauge', options, 'set', [value, l]),
      inc: (l, value) => send('gauge', options, 'inc', [l, value]),
      dec: (l, value) => send('gauge', options, 'dec', [l, value]),
    }),
    histogram: (options): Histogram => ({
      observe: (value, l) => send('histogram', options, 'observe', [value, l]),
      startTimer: (l) => {
        const started = performance.now();
        return () => {
          const seconds = (performance.now() - started) / 1000;
          send('histogram', options, 'observe', [seconds, l]);
          return seconds;
        };
      },
    }),
    withLabels: (more) => createRemoteMetrics(channel, { ...labels, ...more }),
  };
}
