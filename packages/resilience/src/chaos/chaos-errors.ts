import { TrellisError } from '@trellis/core';

/** Every error code `src/chaos` raises; merge into the package's catalogue and `docs/errors.md`. */
export const CHAOS_ERROR_CODES = ['RESILIENCE_CHAOS_FAULT', 'RESILIENCE_CHAOS_CONFIG_INVALID'] as const;

/** A code from {@link CHAOS_ERROR_CODES}. */
export type ChaosErrorCode = (typeof CHAOS_ERROR_CODES)[number];

/** The faults that surface as an error: injected errors, and crashes where no real crash is wired. */
export type ChaosErrorFault = 'error' | 'crash';

/** What a {@link ChaosFaultError} is built from. */
export interface ChaosFaultErrorOptions {
  /** The rule's own message; default says what was injected where. */
  readonly message?: string;
  /** A code the injected failure stands for (e.g. `ECONNRESET`), kept on `details.errorCode`. */
  readonly errorCode?: string;
  /** The rule's rate, for the record. */
  readonly rate?: number;
}

/**
 * A failure injected on purpose by a chaos rule, never a real one: `details.injected` is true so
 * logs and dashboards can tell them apart. `code` is always `RESILIENCE_CHAOS_FAULT`; the code
 * the failure imitates is `errorCode`.
 */
export class ChaosFaultError extends TrellisError {
  /** Always true: this failure was injected. */
  readonly injected = true;
  /** Whose call was hit: `plugin:<name>`, a call site, ... */
  readonly target: string;
  /** The fault injected. */
  readonly fault: ChaosErrorFault;
  /** The code the failure imitates, when the rule names one. */
  readonly errorCode: string | undefined;

  constructor(target: string, fault: ChaosErrorFault, options: ChaosFaultErrorOptions = {}) {
    super(
      'RESILIENCE_CHAOS_FAULT',
      options.message ?? `Chaos injected ${fault === 'error' ? 'an error' : 'a crash'} into "${target}".`,
      {
        fix:
          fault === 'crash'
            ? 'This crash is deliberate (chaos testing): let the supervisor restart the plugin, or turn chaos off (chaos.enabled: false, injector.disable()) or lower the rule rate.'
            : 'This error is deliberate (chaos testing): make the caller survive it (retry, fallback), or turn chaos off (chaos.enabled: false, injector.disable()) or lower the rule rate.',
        details: {
          injected: true,
          target,
          fault,
          ...(options.errorCode === undefined ? {} : { errorCode: options.errorCode }),
          ...(options.rate === undefined ? {} : { rate: options.rate }),
        },
      },
    );
    this.target = target;
    this.fault = fault;
    this.errorCode = options.errorCode;
  }
}

/** A chaos config does not match `ChaosConfigSchema`; every problem is listed. */
export class ChaosConfigInvalidError extends TrellisError {
  constructor(problems: readonly string[]) {
    super('RESILIENCE_CHAOS_CONFIG_INVALID', `Invalid chaos config:\n  - ${problems.join('\n  - ')}`, {
      fix: "Correct the listed fields; each rule needs a target ('plugin:<name>', a call site, a 'prefix*' or '*'), a fault (latency, error, crash, hang) and a rate in [0, 1].",
      details: { problems },
    });
  }
}
