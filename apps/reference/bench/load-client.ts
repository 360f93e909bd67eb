// A load generator in its own process, so that the client's own work never shares the host's
// event loop and its latencies are what a real client would see. The bench forks this file under
// plain `node` (native type stripping: it imports nothing but Node's modules), sends `start`,
// later `stop`, and gets one `result` back. Open loop: every target fires on its own fixed
// schedule whether or not earlier requests have answered, so a stalled server cannot slow the
// client down and hide its own stall (no coordinated omission); a late timer fires the requests
// it owes at once.

/** One stream of requests at a fixed rate. */
export interface LoadTarget {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** Path on the server, e.g. `/plugins/hello`. */
  readonly path: string;
  /** JSON body (POST). */
  readonly body?: unknown;
  readonly ratePerSec: number;
  /** Also record every request's send time, answer time and status (see {@link TargetResult.timeline}). */
  readonly timeline?: boolean;
}

/** Parent → client: start firing. */
export interface LoadStart {
  readonly type: 'start';
  readonly url: string;
  readonly targets: readonly LoadTarget[];
  /** A request still unanswered after this counts as `error:timeout`. */
  readonly timeoutMs: number;
}

/** Parent → client: stop firing, wait for the requests in flight, then answer with a result. */
export interface LoadStop {
  readonly type: 'stop';
}

/** What one target saw. */
export interface TargetResult {
  readonly name: string;
  readonly sent: number;
  /** Count by HTTP status (`"200"`) or failure (`"error:ECONNREFUSED"`, `"error:timeout"`). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Latency of every answered request (any status), ms. */
  readonly latenciesMs: readonly number[];
  /** Latency of every 2xx answer, ms. */
  readonly okLatenciesMs: readonly number[];
  /**
   * With `timeline`: `[sentAt, answeredAt, status]` per request, times as epoch ms with fractions
   * (`performance.timeOrigin + performance.now()`), status 0 for a failure without an answer.
   */
  readonly timeline: readonly (readonly [number, number, number])[];
}

/** Client → parent, once after `stop`. */
export interface LoadResult {
  readonly type: 'result';
  readonly durationMs: number;
  readonly targets: readonly TargetResult[];
}

interface Tally {
  sent: number;
  readonly outcomes: Record<string, number>;
  readonly latenciesMs: number[];
  readonly okLatenciesMs: number[];
  readonly timeline: [number, number, number][];
}

function errorKind(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'error:timeout';
  return `error:${e.cause?.code ?? e.name ?? 'unknown'}`;
}

const epoch = (now: number): number => performance.timeOrigin + now;

function run(start: LoadStart): void {
  const began = performance.now();
  const inFlight = new Set<Promise<void>>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  const tallies = start.targets.map(
    (): Tally => ({ sent: 0, outcomes: {}, latenciesMs: [], okLatenciesMs: [], timeline: [] }),
  );

  const fire = (target: LoadTarget, tally: Tally) => {
    tally.sent += 1;
    const sentAt = performance.now();
    const request = fetch(`${start.url}${target.path}`, {
      method: target.method,
      ...(target.body === undefined
        ? {}
        : { body: JSON.stringify(target.body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(start.timeoutMs),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        const ms = performance.now() - sentAt;
        const key = String(response.status);
        tally.outcomes[key] = (tally.outcomes[key] ?? 0) + 1;
        tally.latenciesMs.push(ms);
        if (response.status >= 200 && response.status < 300) tally.okLatenciesMs.push(ms);
        if (target.timeline) tally.timeline.push([epoch(sentAt), epoch(sentAt + ms), response.status]);
      })
      .catch((error: unknown) => {
        const key = errorKind(error);
        tally.outcomes[key] = (tally.outcomes[key] ?? 0) + 1;
        if (target.timeline) tally.timeline.push([epoch(sentAt), epoch(performance.now()), 0]);
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  start.targets.forEach((target, index) => {
    const tally = tallies[index] as Tally;
    const interval = 1_000 / target.ratePerSec;
    // Spread the targets' first requests over one interval so they do not all fire together.
    let next = began + (interval * index) / start.targets.length;
    const tick = () => {
      if (stopped) return;
      const now = performance.now();
      while (next <= now) {
        fire(target, tally);
        next += interval;
      }
      timers.push(setTimeout(tick, Math.max(0, next - performance.now())));
      if (timers.length > 64) timers.splice(0, 32);
    };
    tick();
  });

  process.on('message', async (message: LoadStop) => {
    if (message.type !== 'stop' || stopped) return;
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    const durationMs = performance.now() - began;
    await Promise.allSettled([...inFlight]);
    const result: LoadResult = {
      type: 'result',
      durationMs,
      targets: start.targets.map((target, index) => {
        const tally = tallies[index] as Tally;
        return { name: target.name, ...tally };
      }),
    };
    process.send?.(result, () => process.disconnect());
  });
}

if (process.send !== undefined) {
  process.once('message', (message: LoadStart) => {
    if (message.type === 'start') run(message);
  });
  process.send({ type: 'ready' });
}
