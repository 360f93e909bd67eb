import type { RuntimeExitReason } from '../errors.js';
import type { ChannelMessage } from './child/protocol.js';

/** How a worker or child process ended, as its handle saw it. */
export interface ChildEnd {
  /** `killed` when the host terminated it (the instance turns that into `hang` when it was one). */
  readonly reason: Exclude<RuntimeExitReason, 'hang'>;
  readonly code?: number;
  readonly detail: string;
}

/**
 * What the isolated instance needs from a worker thread or child process, so both kinds share
 * one implementation of calls, heartbeats and exit handling.
 */
export interface ChildHandle {
  readonly kind: 'worker' | 'process';
  readonly pid?: number;
  readonly threadId?: number;
  /** Posts a message; throws when the value cannot be cloned. Dropped once the child is gone. */
  send(message: ChannelMessage): void;
  /** Registers the one message listener. */
  onMessage(listener: (message: unknown) => void): void;
  /** Registers the one end listener, called once when the child is gone. */
  onEnd(listener: (end: ChildEnd) => void): void;
  /** Ends the child; `hard` skips any grace period. Resolves once it is gone. Idempotent. */
  terminate(hard?: boolean): Promise<void>;
}
