/** A one-line human description of any thrown value, for logs and reports. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    // Circular structures and BigInts cannot be JSON; describing an error must not throw.
    return String(error);
  }
}
