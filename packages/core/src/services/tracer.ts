/** Attribute values a span can carry. */
export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

/** One unit of traced work. */
export interface Span {
  setAttribute(key: string, value: string | number | boolean): void;
  recordException(error: unknown): void;
  setStatus(status: { readonly code: 'ok' | 'error'; readonly message?: string }): void;
  end(): void;
}

/** Options when starting a span. */
export interface SpanOptions {
  readonly attributes?: SpanAttributes;
}

/**
 * Tracing contract (token `TRACER`), shaped after OpenTelemetry's `startActiveSpan`.
 * `@trellis/observability` provides the OpenTelemetry implementation.
 */
export interface Tracer {
  /**
   * Runs `fn` inside a new active span, ends the span when `fn` settles, and records a thrown
   * error or rejection on it before passing it on.
   */
  withSpan<T>(name: string, fn: (span: Span) => T, options?: SpanOptions): T;
}
