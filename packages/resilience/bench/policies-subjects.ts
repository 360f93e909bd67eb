// The subjects of bench/policies.ts: the same call under our policies, raw cockatiel and opossum.
import {
  bulkhead,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  retry,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import CircuitBreaker from 'opossum';
import { toCockatielPolicy } from '../src/policies/cockatiel-adapter.js';
import { composePolicy } from '../src/policies/compose.js';
import { PolicyConfigSchema } from '../src/policies/policy-schema.js';
import { Timeout } from '../src/policies/timeout.js';

/** Long enough that no timer fires and no breaker half-opens while measuring. */
const HOUR = 3_600_000;

/** The protected call: resolves at once, so only the layers' cost is measured. */
export const work = async (): Promise<number> => 1;

/** One configuration for every subject: limit 100, 3 attempts, 5-failure breaker, 1 h timeout. */
export const config = PolicyConfigSchema.parse({
  bulkhead: { limit: 100 },
  retry: { maxAttempts: 3 },
  breaker: { threshold: 5, halfOpenAfterMs: HOUR },
  timeout: { ms: HOUR },
});

/** Builds every subject; open breakers are opened (by failures, for cockatiel) and stay open. */
export async function subjects() {
  const ours = composePolicy('bench/composed', config);
  const oursTimeout = new Timeout('bench/timeout', HOUR);
  const oursOpen = composePolicy(
    'bench/open',
    PolicyConfigSchema.parse({ breaker: { halfOpenAfterMs: HOUR } }),
  );
  oursOpen.breaker?.open('bench');

  const cockatielTimeout = timeout(HOUR, TimeoutStrategy.Cooperative);
  const cockatielTimeoutNoAbort = timeout(HOUR, {
    strategy: TimeoutStrategy.Cooperative,
    abortOnReturn: false,
  });
  // "Default options": what the README's first example gives.
  const cockatielComposed = wrap(
    bulkhead(100),
    retry(handleAll, { maxAttempts: 2 }),
    circuitBreaker(handleAll, { halfOpenAfter: HOUR, breaker: new ConsecutiveBreaker(5) }),
    timeout(HOUR, TimeoutStrategy.Cooperative),
  );
  const cockatielSafe = toCockatielPolicy(config);
  const cockatielOpen = circuitBreaker(handleAll, {
    halfOpenAfter: HOUR,
    breaker: new ConsecutiveBreaker(5),
  });
  for (let i = 0; i < 5; i++) {
    await cockatielOpen
      .execute(() => {
        throw new Error('down');
      })
      .catch(() => undefined);
  }
  if (cockatielOpen.state !== CircuitState.Open) throw new Error('cockatiel breaker did not open');

  // opossum has a breaker, a timeout and a capacity (bulkhead) but no retry.
  const opossumOptions = {
    timeout: HOUR,
    capacity: 100,
    errorThresholdPercentage: 50,
    volumeThreshold: 5,
    resetTimeout: HOUR,
  };
  const opossum = new CircuitBreaker(work, opossumOptions);
  const opossumOpen = new CircuitBreaker(work, opossumOptions);
  opossumOpen.open();

  return {
    ours,
    oursTimeout,
    oursOpen,
    cockatielTimeout,
    cockatielTimeoutNoAbort,
    cockatielComposed,
    cockatielSafe,
    cockatielOpen,
    opossum,
    opossumOpen,
    dispose: () => {
      ours.dispose();
      oursOpen.dispose();
      opossum.shutdown();
      opossumOpen.shutdown();
    },
  };
}
