/** A one-line human description of any thrown value, for logs and reports. */
export function describeError(error: unknown): string {
  // Duck-typed: errors from another realm (vm contexts, Jest) fail `instanceof Error`.
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    // Circular structures and BigInts cannot be JSON; describing an error must not throw.
    return String(error);
  }
}
