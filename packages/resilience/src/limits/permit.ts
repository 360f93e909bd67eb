/** How a call that held a permit ended; the limit algorithm learns from it. */
export type PermitOutcome = 'success' | 'dropped' | 'ignore';

/**
 * The right to run one call under an adaptive limiter. Release it exactly once, by how the call
 * ended; later releases are ignored so a double `finally` cannot corrupt the in-flight count.
 */
export interface Permit {
  /** The call succeeded: its RTT is a sample for the limit. */
  success(): void;
  /** The call was dropped (timed out, overloaded, refused downstream): the limit shrinks. */
  dropped(): void;
  /** The call ended in a way that says nothing about capacity (a validation error): no sample. */
  ignore(): void;
}

/** Receives a permit's release; one function per limiter, shared by all its permits. */
export type PermitRelease = (permit: LimiterPermit, outcome: PermitOutcome) => void;

/** The {@link Permit} a limiter hands out: the start time and in-flight count of its call. */
export class LimiterPermit implements Permit {
  /** When the call was admitted, by the limiter's clock. */
  readonly startedAt: number;
  /** Calls in flight when this one was admitted, itself included. */
  readonly inflight: number;
  #release: PermitRelease | undefined;

  constructor(release: PermitRelease, startedAt: number, inflight: number) {
    this.#release = release;
    this.startedAt = startedAt;
    this.inflight = inflight;
  }

  /** True until the permit is released. */
  get held(): boolean {
    return this.#release !== undefined;
  }

  /** See {@link Permit.success}. */
  success(): void {
    this.#end('success');
  }

  /** See {@link Permit.dropped}. */
  dropped(): void {
    this.#end('dropped');
  }

  /** See {@link Permit.ignore}. */
  ignore(): void {
    this.#end('ignore');
  }

  #end(outcome: PermitOutcome): void {
    const release = this.#release;
    if (!release) return;
    this.#release = undefined;
    release(this, outcome);
  }
}
