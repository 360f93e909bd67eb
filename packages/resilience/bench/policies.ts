// Policy benchmarks: what our resilience layers cost per call, against a bare call, raw
// cockatiel and opossum, in one run. Run alone: `pnpm exec tsx bench/policies.ts`.
import { appendFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchRow, runSuite } from '@trellis/bench';
import { subjects, work } from './policies-subjects.js';

/** Calls per measured task: tinybench's own per-task cost is spread over them. */
const BATCH = 1_000;

/** Targets from the issue, in ns per call. */
const TARGETS = { composedOverhead: 1_000, timeoutOverhead: 300, fastFail: 1_000 };

async function batch(call: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < BATCH; i++) await call();
}

async function batchRejected(call: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < BATCH; i++) {
    try {
      await call();
    } catch {
      // Expected: the breaker is open.
    }
  }
}

const GROUPS = {
  timeout: 'Timeout alone',
  composed: 'Bulkhead + retry + breaker + timeout, successful call',
  fastFail: 'Fast fail on an open breaker',
} as const;

/** ns per call of `task` in `group` (the µs per batch of 1,000 calls read as ns). */
function nsPerCall(rows: readonly BenchRow[], group: string, task: string): number {
  const row = rows.find((r) => r.group === group && r.task === task);
  if (!row) throw new Error(`no row for ${group} / ${task}`);
  return (row.meanMicros * 1_000) / BATCH;
}

/** The targets section appended to the markdown: overheads against the bare call, met or not. */
export function targetsSection(rows: readonly BenchRow[]): string {
  const bare = (group: string) => nsPerCall(rows, group, 'bare call');
  const timeout = nsPerCall(rows, GROUPS.timeout, 'ours: Timeout') - bare(GROUPS.timeout);
  const composed = nsPerCall(rows, GROUPS.composed, 'ours: composePolicy') - bare(GROUPS.composed);
  const cockatiel =
    nsPerCall(rows, GROUPS.composed, 'cockatiel wrap(), default options') - bare(GROUPS.composed);
  const opossum = nsPerCall(rows, GROUPS.composed, 'opossum (no retry)') - bare(GROUPS.composed);
  const fastFail = nsPerCall(rows, GROUPS.fastFail, 'ours: open breaker');
  const verdict = (value: number, target: number) => (value <= target ? 'met' : '**missed**');
  const fmt = (ns: number) => `${Math.round(ns).toLocaleString('en-US')} ns`;
  return [
    '',
    '## Targets',
    '',
    'Overhead = ns per call of the task minus ns per call of the bare call in the same group.',
    '',
    '| measure | value | target | verdict |',
    '| --- | ---: | ---: | --- |',
    `| composed overhead (bulkhead + retry + breaker + timeout) | ${fmt(composed)} | ≤ ${fmt(TARGETS.composedOverhead)} | ${verdict(composed, TARGETS.composedOverhead)} |`,
    `| timeout overhead | ${fmt(timeout)} | ≤ ${fmt(TARGETS.timeoutOverhead)} | ${verdict(timeout, TARGETS.timeoutOverhead)} |`,
    `| fast fail on an open breaker (whole call) | ${fmt(fastFail)} | ≤ ${fmt(TARGETS.fastFail)} | ${verdict(fastFail, TARGETS.fastFail)} |`,
    '',
    `Same composition in raw cockatiel: ${fmt(cockatiel)} overhead (${(cockatiel / composed).toFixed(1)}× ours); ` +
      `opossum, without a retry layer: ${fmt(opossum)} (${(opossum / composed).toFixed(1)}× ours).`,
    '',
  ].join('\n');
}

/** Runs the policy benchmarks, writes docs/benchmarks/resilience-policies.md, returns the rows. */
export async function runPolicyBench(): Promise<readonly BenchRow[]> {
  const s = await subjects();
  const description = (what: string) =>
    `${what} Each task awaits ${BATCH.toLocaleString('en-US')} calls in sequence, so the µs columns read as ` +
    'ns per call. The call itself is an async function returning at once: only the layers are measured.';
  try {
    const rows = await runSuite({
      title: '@trellis/resilience policies',
      file: 'resilience-policies.md',
      command: 'pnpm --filter @trellis/resilience exec tsx bench/policies.ts',
      groups: [
        {
          title: GROUPS.timeout,
          description: description(
            'A 1 h timeout around a call that succeeds. cockatiel creates an AbortController and a timer per call ' +
              'and, by default, aborts the signal after each success; ours shares one timer and builds no signal ' +
              'unless the callee reads it.',
          ),
          baseline: { name: 'bare call', fn: () => batch(work) },
          tasks: [
            { name: 'ours: Timeout', fn: () => batch(() => s.oursTimeout.execute(work)) },
            {
              name: 'cockatiel timeout, Cooperative',
              fn: () => batch(() => s.cockatielTimeout.execute(work)),
            },
            {
              name: 'cockatiel timeout, abortOnReturn: false',
              fn: () => batch(() => s.cockatielTimeoutNoAbort.execute(work)),
            },
          ],
        },
        {
          title: GROUPS.composed,
          description: description(
            'Bulkhead (100) + retry (3 attempts) + consecutive breaker (5) + timeout (1 h) around a call that ' +
              "succeeds. Peers: cockatiel's `wrap` with its default options, cockatiel built from our config by " +
              '`toCockatielPolicy` (safe options), and opossum with a timeout, capacity and breaker (it has no retry).',
          ),
          baseline: { name: 'bare call', fn: () => batch(work) },
          tasks: [
            { name: 'ours: composePolicy', fn: () => batch(() => s.ours.execute(work)) },
            {
              name: 'cockatiel wrap(), default options',
              fn: () => batch(() => s.cockatielComposed.execute(work)),
            },
            { name: 'cockatiel via toCockatielPolicy', fn: () => batch(() => s.cockatielSafe.execute(work)) },
            { name: 'opossum (no retry)', fn: () => batch(() => s.opossum.fire()) },
          ],
        },
        {
          title: GROUPS.fastFail,
          description: description(
            'A call refused by an open breaker, against the bare successful call. Ours returns a rejected promise ' +
              'built when the breaker opened; cockatiel throws a new error from an async frame; opossum rejects ' +
              'with a new error too.',
          ),
          baseline: { name: 'bare call', fn: () => batch(work) },
          tasks: [
            { name: 'ours: open breaker', fn: () => batchRejected(() => s.oursOpen.execute(work)) },
            { name: 'cockatiel: open breaker', fn: () => batchRejected(() => s.cockatielOpen.execute(work)) },
            { name: 'opossum: open breaker', fn: () => batchRejected(() => s.opossumOpen.fire()) },
          ],
        },
      ],
    });
    const docs = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'benchmarks');
    const targets = targetsSection(rows);
    await appendFile(join(docs, 'resilience-policies.md'), targets);
    console.log(targets);
    return rows;
  } finally {
    s.dispose();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await runPolicyBench();
}
