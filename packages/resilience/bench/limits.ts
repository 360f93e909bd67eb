// Benchmark groups for src/limits and src/chaos, for the package's bench/index.ts to run with
// runSuite(). Each baseline is what a caller would write without them: a counting semaphore, a
// round-robin index, a direct call.
import type { BenchGroup } from '@trellis/bench';
import { FaultInjector } from '../src/chaos/fault-injection.js';
import { AdaptiveConcurrencyLimiter } from '../src/limits/adaptive-limit.js';
import { OutlierEjection } from '../src/limits/outlier-ejection.js';

let inflight = 0;
const fixedLimit = 20;
function semaphore(): void {
  if (inflight >= fixedLimit) return;
  inflight += 1;
  inflight -= 1;
}

const aimd = new AdaptiveConcurrencyLimiter({ algorithm: 'aimd' });
const gradient2 = new AdaptiveConcurrencyLimiter({ algorithm: 'gradient2' });

const members = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
let cursor = 0;
const pool = new OutlierEjection({ members });

const work = async (x: number): Promise<number> => x + 1;
const disabled = new FaultInjector({ enabled: false, rules: [{ target: '*', fault: 'error', rate: 1 }] });
const enabledNoMatch = new FaultInjector({
  enabled: true,
  rules: [{ target: 'other', fault: 'error', rate: 1 }],
});
const wrappedDisabled = disabled.wrap('plugin:a', work);
const wrappedNoMatch = enabledNoMatch.wrap('plugin:a', work);

/** The limits and chaos benchmark groups. */
export const limitsBenchGroups: readonly BenchGroup[] = [
  {
    title: 'Adaptive concurrency: admit and release one call',
    description:
      'tryAcquire() + success() (two clock reads, one algorithm update) against a fixed counting semaphore.',
    baseline: { name: 'counting semaphore', fn: semaphore },
    tasks: [
      { name: 'aimd tryAcquire + success', fn: () => aimd.tryAcquire()?.success() },
      { name: 'gradient2 tryAcquire + success', fn: () => gradient2.tryAcquire()?.success() },
    ],
  },
  {
    title: 'Outlier ejection: pick a member and record the outcome',
    description: 'pick() + recordSuccess() over 8 healthy members against a bare round-robin index.',
    baseline: { name: 'round-robin index', fn: () => members[cursor++ % members.length] },
    tasks: [
      {
        name: 'pick + recordSuccess',
        fn: () => {
          const member = pool.pick();
          if (member) pool.recordSuccess(member);
        },
      },
    ],
  },
  {
    title: 'Chaos: cost of an injector that injects nothing',
    description:
      'An async call through wrap() while chaos is off, and while on with no matching rule, against calling it directly.',
    baseline: { name: 'direct call', fn: () => work(1) },
    tasks: [
      { name: 'wrap, disabled', fn: () => wrappedDisabled(1) },
      { name: 'wrap, enabled, no matching rule', fn: () => wrappedNoMatch(1) },
    ],
  },
];
