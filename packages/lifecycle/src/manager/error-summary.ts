import { describeError } from '@trellis/core';

/** A thrown value as reports and events carry it: its stable `code` (or `ERROR`) and message. */
export function errorSummary(error: unknown): { readonly code: string; readonly message: string } {
  // Duck-typed rather than `instanceof TrellisError`: errors rebuilt from a worker or child
  // process, or from another copy of core, carry a code without sharing the class.
  const code = (error as { code?: unknown } | null)?.code;
  return { code: typeof code === 'string' && code !== '' ? code : 'ERROR', message: describeError(error) };
}

/** The error's message without the `Fix:` sentence a `TrellisError` appends, to quote it inside another message. */
export function messageWithoutFix(error: unknown): string {
  const message = describeError(error);
  const fix = (error as { fix?: unknown } | null)?.fix;
  if (typeof fix !== 'string') return message;
  const suffix = ` Fix: ${fix}`;
  return message.endsWith(suffix) ? message.slice(0, -suffix.length) : message;
}
