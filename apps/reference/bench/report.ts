// Renders the recovery bench's results as docs/benchmarks/resilience-recovery.md.
import { HEAP_CAP_MB, HEARTBEAT, MIN_BACKOFF } from './bench-host.js';
import {
  CHAOS_BACKOFF,
  CHAOS_INTENSITY,
  CHAOS_LOAD,
  CHAOS_SECONDS,
  type ChaosResults,
  CRASHING,
  clientDowntimes,
} from './chaos.js';
import {
  type FailureResults,
  HANG_RUNS,
  type HangSample,
  LEAK_BYTES_PER_TURN,
  OOM_RUNS,
  type OomSample,
} from './failures.js';
import { describeFailures, figures, type TargetFigures } from './load.js';
import type { LoadResult } from './load-client.js';
import { fmt, pct, type Summary, summarize, verdict } from './measure.js';
import { MTTR_RUNS, type MttrRow } from './mttr.js';
import { POLL_GAP_MS } from './trial.js';

/** Everything the report is made of. */
export interface ReportInput {
  readonly machine: string;
  readonly failures: FailureResults;
  readonly mttr: readonly MttrRow[];
  /** The steady client's result during sections 1 and 2. */
  readonly steady: LoadResult;
  readonly steadyRate: number;
  /** Host event-loop delay during sections 1 and 2, ms. */
  readonly steadyLoopDelay: { readonly p99: number; readonly max: number };
  readonly chaos: ChaosResults;
}

/** The issue's targets, ms (availability as a share). */
const TARGETS = {
  detectMs: 500,
  killMs: 20,
  replacementMs: 100,
  heapKillMs: 500,
  availability: 0.999,
} as const;

const p = (s: Summary) => `${fmt(s.p50)} / ${fmt(s.p95)} / ${fmt(s.max)}`;

function reasons(samples: readonly { reason: string }[]): string {
  const counts = new Map<string, number>();
  for (const s of samples) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${reason} × ${n}`).join(', ');
}

function hangSection(input: ReportInput) {
  const { worker, process } = input.failures.hang;
  const of = (samples: readonly HangSample[], key: keyof Omit<HangSample, 'reason'>) =>
    summarize(samples.map((s) => s[key]));
  const floor = {
    worker: summarize(input.failures.spawn.worker),
    process: summarize(input.failures.spawn.process),
  };
  const check = (key: 'detectMs' | 'killMs' | 'servingMs', limit: number) =>
    of(worker, key).p95 <= limit && of(process, key).p95 <= limit;
  const verdicts = {
    detect: check('detectMs', TARGETS.detectMs),
    kill: check('killMs', TARGETS.killMs),
    serving: check('servingMs', TARGETS.replacementMs),
  };
  const row = (label: string, key: keyof Omit<HangSample, 'reason'>, target: string) =>
    `| ${label} | ${p(of(worker, key))} | ${p(of(process, key))} | ${target} |`;
  const lines = [
    '## 1. A hung plugin and a plugin over its heap cap',
    '',
    `### Hung plugin (busy loop): ${HANG_RUNS.worker} worker runs, ${HANG_RUNS.process} process runs`,
    '',
    'The victim answers `GET /hang` with 202 and, on the next turn of its event loop, spins in ' +
      '`for (;;) spins++` for good. Times start when the bench sends that request, a fraction of a ' +
      'millisecond before the loop starts, so they slightly overstate detection. "Detection" ends when the runtime’s heartbeat ' +
      'monitor gives up and asks for the kill (`worker.terminate()` / `child.kill("SIGKILL")`, time-' +
      'stamped by wrapping those two Node methods); "kill" runs from there until the worker’s ' +
      '`terminate()` promise resolved / the child’s `exit` event. `plugin.exited` comes after the ' +
      'worker or process is gone (the runtime reports it from the worker’s `exit` / the child’s `close` ' +
      'event), so "loop start → ' +
      '`plugin.exited`" ≈ detection + kill. "Replacement serving" runs from `plugin.exited` to the ' +
      `first 200 from the restarted plugin’s \`GET /ping\`, polled one request at a time every ${POLL_GAP_MS} ms; ` +
      'it includes the start of the new instance (row "of which cold start": the manager’s load + ' +
      'setup + start timings of the new instance; the worker or process itself comes from a warm ' +
      'standby, see below), and the row below it is what a replacement would pay on this machine ' +
      'without one: a raw `new Worker(file)` / `fork(file)` of a script that only posts "ready", ' +
      'until that message.',
    '',
    `Exit reasons: worker ${reasons(worker)}; process ${reasons(process)}.`,
    '',
    '| ms (p50 / p95 / max) | worker | process | target (p95) |',
    '| --- | ---: | ---: | --- |',
    row(
      'detection: loop start → kill asked',
      'detectMs',
      `≤ ${TARGETS.detectMs} ms: ${verdict(verdicts.detect)}`,
    ),
    row(
      'kill: kill asked → worker / process gone',
      'killMs',
      `≤ ${TARGETS.killMs} ms: ${verdict(verdicts.kill)}`,
    ),
    row('loop start → `plugin.exited` (reason `hang`)', 'exitedMs', '—'),
    row('`plugin.exited` → restarted plugin `active`', 'restartMs', '—'),
    row(
      'replacement serving: `plugin.exited` → first 200',
      'servingMs',
      `≤ ${TARGETS.replacementMs} ms: ${verdict(verdicts.serving)}`,
    ),
    row('of which cold start (load + setup + start)', 'coldStartMs', '—'),
    `| floor: raw \`new Worker\` / \`fork\` until its first message (${floor.worker.count} runs) | ${p(floor.worker)} | ${p(floor.process)} | — |`,
    '',
    `Replacement serving is almost all cold start: the supervisor, the restart bookkeeping and the ` +
      `first request add ${fmt(of(worker, 'servingMs').p50 - of(worker, 'coldStartMs').p50)} ms (worker) and ` +
      `${fmt(of(process, 'servingMs').p50 - of(process, 'coldStartMs').p50)} ms (process) to it at p50. A bare ` +
      `\`new Worker\` already takes ${fmt(floor.worker.p50, 0)} ms and a bare \`fork\` ${fmt(floor.process.p50, 0)} ms ` +
      `(p50) on this machine, before any plugin code loads. The worker runtime keeps a warm standby (a worker ` +
      'started ahead of need, taken by the next load); the process victim has the plugin policy ' +
      '`warmStandby: true` (as the app’s `notes` has), so the process runtime keeps a spare process ' +
      'forked with that plugin’s own sandbox flags once it has loaded. Either way a replacement pays ' +
      'for loading the plugin, not for the thread or the fork.',
  ];
  return { lines, verdicts };
}

function oomSection(input: ReportInput) {
  const { worker, process } = input.failures.oom;
  const of = (samples: readonly OomSample[], pick: (s: OomSample) => number) => summarize(samples.map(pick));
  const met = (samples: readonly OomSample[]) =>
    samples.every((s) => s.reason === 'oom') && of(samples, (s) => s.exitMs).p95 <= TARGETS.heapKillMs;
  const ok = met(worker) && met(process);
  const row = (label: string, pick: (s: OomSample) => number) =>
    `| ${label} | ${p(of(worker, pick))} | ${p(of(process, pick))} |`;
  const lines = [
    `### Plugin over its heap cap: ${OOM_RUNS.worker} worker runs, ${OOM_RUNS.process} process runs`,
    '',
    `Every bench worker runs with \`resourceLimits.maxOldGenerationSizeMb: ${HEAP_CAP_MB}\` and every bench ` +
      `process with \`--max-old-space-size=${HEAP_CAP_MB}\`. The victim answers \`GET /leak/4\` with 202 and ` +
      `then, on every turn of its event loop, retains ${fmt(LEAK_BYTES_PER_TURN / 1024, 0)} KiB more (four ` +
      'arrays of 16,384 small integers) and yields with `setImmediate`, so its heartbeats keep flowing and ' +
      'carry its heap size: a steady leak, not a blocked loop. The cap is enforced by V8, which ends the ' +
      'isolate when it cannot stay under it; the runtime reports `oom` (worker: `ERR_WORKER_OUT_OF_MEMORY`; ' +
      'process: V8’s "heap out of memory" on stderr). The moment the live heap crosses the cap cannot be ' +
      'observed from outside, so the table gives the time from the start of the allocation to ' +
      '`plugin.exited` — an upper bound on "over the cap → killed" — with the allocation rate (least-squares ' +
      'slope through the heap at the leak’s start and in each heartbeat during it) and the time that rate ' +
      'needs to fill the cap from the heap used before the leak; the last row is what remains beyond that ' +
      'fill time (GC at the limit, termination, exit report): an estimate of "over the cap → killed". At ' +
      'this rate only two or three heartbeats land before the cap, so the rate, fill time and remainder are ' +
      'rough; the first row of times is the measured one.',
    '',
    `Exit reasons: worker ${reasons(worker)}; process ${reasons(process)}.`,
    '',
    '| p50 / p95 / max | worker | process |',
    '| --- | ---: | ---: |',
    row('allocation rate, MB/s', (s) => s.rateMBps),
    row('heartbeats seen during the leak', (s) => s.samples),
    row('heap used before the leak, MB', (s) => s.baselineMB),
    row('heap used at the last heartbeat before the exit, MB', (s) => s.lastMB),
    row('allocation start → `plugin.exited` (reason `oom`), ms', (s) => s.exitMs),
    row(`time to fill the ${HEAP_CAP_MB} MB cap at that rate, ms`, (s) => s.fillMs),
    row('remainder: over the cap → exit (estimate), ms', (s) => s.exitMs - s.fillMs),
    row('`plugin.exited` → first 200 from the replacement, ms', (s) => s.servingMs),
    row('of which cold start, ms', (s) => s.coldStartMs),
    '',
    `Target: a plugin over its heap cap killed ≤ ${TARGETS.heapKillMs} ms — p95 of "allocation start → ` +
      `\`plugin.exited\`" (which includes the time to fill the cap) ≤ ${TARGETS.heapKillMs} ms with every exit ` +
      `reported as \`oom\`: ${verdict(ok)}.`,
  ];
  return { lines, ok };
}

function steadySection(input: ReportInput) {
  const target = input.steady.targets[0];
  const f = target ? figures(target) : undefined;
  const ok = f !== undefined && f.ok === f.sent && f.sent > 0;
  const lines = [
    '### The host kept serving',
    '',
    `During all of sections 1 and 2 (every hang, heap exhaustion, kill and crash above, ${fmt(input.steady.durationMs / 1_000, 0)} s), ` +
      `a client in a separate process called the inline plugin \`steady\` at ${input.steadyRate} req/s ` +
      '(open loop: on a fixed schedule, whatever the answers). Its latencies include that process’s own ' +
      'scheduling on the same 2-core machine, which the busy loops above were also using.',
    '',
    '| requests | 2xx | failures | p50 ms | p99 ms | max ms | host event-loop delay p99 / max ms |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: |',
    f
      ? `| ${fmt(f.sent, 0)} | ${fmt(f.ok, 0)} | ${describeFailures(f.failures)} | ${fmt(f.latency.p50, 2)} | ` +
        `${fmt(f.latency.p99, 2)} | ${fmt(f.latency.max, 1)} | ${fmt(input.steadyLoopDelay.p99, 1)} / ${fmt(input.steadyLoopDelay.max, 1)} |`
      : '| — | — | — | — | — | — | — |',
    '',
    `Target: the host never stops serving (every request to the neighbour answered 2xx): ${verdict(ok)}.`,
  ];
  return { lines, ok, figures: f };
}

function mttrSection(input: ReportInput) {
  const lines = [
    '## 2. Time from a crash to serving again (MTTR)',
    '',
    `${MTTR_RUNS} runs per row after one warm-up, on the same host as section 1 (minimum backoff, so the ` +
      'supervisor restarts at once). "kill" is `manager.kill(name)` — what a chaos `crash` does: the plugin ' +
      'is reported `plugin.exited` (reason `killed`) and failed at once, its worker or process terminated; ' +
      'an inline plugin is failed in place. "crash" is a real one: the victim answers `GET /crash` with ' +
      '202, then throws from a `setImmediate` callback (uncaught), which ends its worker or process ' +
      '(reason `crash`). Inline plugins share the host’s thread, so there is no real crash to survive ' +
      'there: only `kill`. MTTR runs from the kill call / the `/crash` request being sent to the first 200 ' +
      `from the restarted plugin (polled every ${POLL_GAP_MS} ms from \`plugin.exited\` on).`,
    '',
    '| isolation | cause | exit reason | MTTR p50 / p95 / max ms | crash → `plugin.exited` p50 / p95 | `plugin.exited` → `active` p50 / p95 | of which cold start p50 / p95 |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
    ...input.mttr.map((row) => {
      const of = (key: 'mttrMs' | 'detectMs' | 'restartMs' | 'coldStartMs') =>
        summarize(row.samples.map((s) => s[key]));
      const two = (s: Summary) => `${fmt(s.p50)} / ${fmt(s.p95)}`;
      return (
        `| ${row.isolation} | ${row.cause} | ${reasons(row.samples)} | ${p(of('mttrMs'))} | ` +
        `${two(of('detectMs'))} | ${two(of('restartMs'))} | ${two(of('coldStartMs'))} |`
      );
    }),
  ];
  return { lines };
}

function combine(parts: readonly TargetFigures[], latencies: readonly number[]) {
  const sent = parts.reduce((s, f) => s + f.sent, 0);
  const ok = parts.reduce((s, f) => s + f.ok, 0);
  return { sent, ok, latency: summarize(latencies) };
}

function chaosSection(input: ReportInput) {
  const { chaos } = input;
  const all = chaos.load.targets.map((t) => ({ result: t, figures: figures(t) }));
  const others = all.filter((t) => /^(hello|notes) /.test(t.result.name));
  const weather = all.find((t) => t.result.name.startsWith('weather'));
  const primes = all.find((t) => t.result.name.startsWith('primes'));
  const strict = combine(
    others.map((t) => t.figures),
    others.flatMap((t) => t.result.latenciesMs),
  );
  const availability = strict.sent === 0 ? 0 : strict.ok / strict.sent;
  const availabilityMet = availability >= TARGETS.availability;
  const hits = chaos.crashes.filter((c) => c.hit).length;
  const client = clientDowntimes(chaos);
  const overhead = chaos.downMs.map((down, i) => down - (chaos.delaysMs[i] ?? Number.NaN));
  const recoveredBeforeNext = client.filter((ms) => ms < 1_000).length;
  const recoversEachTime =
    hits > 0 && chaos.downMs.length === hits && chaos.gaveUp === 0 && recoveredBeforeNext === hits;
  const weather5xx = weather
    ? Object.entries(weather.figures.failures)
        .filter(([k]) => /^5\d\d$/.test(k) || k.startsWith('error:'))
        .reduce((s, [, n]) => s + n, 0)
    : 0;
  const rate = (name: string) => CHAOS_LOAD.find((t) => t.name === name)?.ratePerSec ?? Number.NaN;
  const lines = [
    '## 3. Availability under chaos: one plugin crashing every second for a minute',
    '',
    'The real reference app: `startReferenceApp` with the sample plugins (`apps/reference/plugins`, built) ' +
      'and the shipped `config/default.yaml` (so weather’s upstream policy, plugin health every 5 s, ' +
      '`rest_for_one`, default worker and process runtimes: heartbeats 250 / 1,000 ms, 128 MB heap), ' +
      `with only these overrides: port 0; supervisor backoff \`${JSON.stringify(CHAOS_BACKOFF)}\` (the ` +
      'defaults but a 400 ms cap instead of 30 s: with the default cap the delays outgrow the 1 s period ' +
      `after four crashes and most kills would find \`${CRASHING}\` still down); intensity ` +
      `\`${JSON.stringify(CHAOS_INTENSITY)}\` (the shipped 5 restarts in 30 s would give up after the fifth ` +
      `crash); chaos rules off. Every second for ${CHAOS_SECONDS} s the bench calls ` +
      `\`manager.kill("${CRASHING}")\` — exactly what a chaos \`crash\` rule on \`plugin:${CRASHING}\` does in ` +
      'the app, on a fixed 1 s timer instead of a per-request rate. Plugins: ' +
      `${chaos.plugins.join(', ')}.`,
    '',
    'A separate process sends an open-loop load (each target on its own fixed schedule, whatever the ' +
      'answers) from 0.5 s before the first crash until 0.5 s after the last recovery. Counted for the ' +
      'availability target: every request to **hello and notes** (success = 2xx; anything else, a ' +
      'timeout or a refused connection is a failure). **weather** is counted apart: it calls a ' +
      'deliberately flaky simulated upstream (30% failures, 5% 3 s stalls) through a policy and answers ' +
      'a stale forecast when the policy gives up, 503 only with nothing cached; its non-5xx share is ' +
      `shown. **${CRASHING}** is the crashing one, probed at ${rate(CHAOS_LOAD[4]?.name ?? '')} req/s to see ` +
      'when it serves again; its failures are expected.',
    '',
    '| target | req/s | requests | 2xx | not 2xx | success | p50 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
    ...all.map(
      ({ result, figures: f }) =>
        `| ${result.name} | ${rate(result.name)} | ${fmt(f.sent, 0)} | ${fmt(f.ok, 0)} | ${describeFailures(f.failures)} | ` +
        `${pct(f.ok, f.sent)} | ${fmt(f.latency.p50, 2)} | ${fmt(f.latency.p99, 2)} | ${fmt(f.latency.max, 1)} |`,
    ),
    `| **hello + notes (the availability target)** | ${others.reduce((s, t) => s + rate(t.result.name), 0)} | ` +
      `${fmt(strict.sent, 0)} | ${fmt(strict.ok, 0)} | ${fmt(strict.sent - strict.ok, 0)} | ` +
      `**${pct(strict.ok, strict.sent, 3)}** | ${fmt(strict.latency.p50, 2)} | ${fmt(strict.latency.p99, 2)} | ${fmt(strict.latency.max, 1)} |`,
    '',
    `Host event-loop delay during the run: p99 ${fmt(chaos.loopDelay.p99, 1)} ms, max ${fmt(chaos.loopDelay.max, 1)} ms. ` +
      (weather
        ? `Weather answered non-5xx to ${pct(weather.figures.sent - weather5xx, weather.figures.sent)} of its requests (2xx ${pct(weather.figures.ok, weather.figures.sent)}).`
        : ''),
    '',
    `**The crashing plugin** (\`${CRASHING}\`, worker): ${chaos.crashes.length} kills, ${hits} of which found it ` +
      `active (a kill while it is still restarting does nothing); ${chaos.downMs.length} recoveries ` +
      `(\`supervisor.recovered\`), ${chaos.gaveUp} give-ups. Its probe got ${primes ? fmt(primes.figures.ok, 0) : '—'} ` +
      `2xx of ${primes ? fmt(primes.figures.sent, 0) : '—'} (${primes ? describeFailures(primes.figures.failures) : '—'}: ` +
      'a killed plugin’s routes are withdrawn, so calls in between get 404, and calls in flight at the kill 500).',
    '',
    '| per crash, ms | p50 | p95 | max |',
    '| --- | ---: | ---: | ---: |',
    `| backoff delay drawn (\`supervisor.restart\`) | ${fmt(summarize(chaos.delaysMs).p50)} | ${fmt(summarize(chaos.delaysMs).p95)} | ${fmt(summarize(chaos.delaysMs).max)} |`,
    `| downtime, kill → restarted (\`supervisor.recovered\` \`downMs\`) | ${fmt(summarize(chaos.downMs).p50)} | ${fmt(summarize(chaos.downMs).p95)} | ${fmt(summarize(chaos.downMs).max)} |`,
    `| of which the restart itself (downtime − backoff delay) | ${fmt(summarize(overhead).p50)} | ${fmt(summarize(overhead).p95)} | ${fmt(summarize(overhead).max)} |`,
    `| client-seen downtime: kill → first 200 to a probe sent after it | ${fmt(summarize(client).p50)} | ${fmt(summarize(client).p95)} | ${fmt(summarize(client).max)} |`,
    '',
    `Targets: ≥ ${fmt(TARGETS.availability * 100, 1)}% of requests to the other plugins succeed — ` +
      `${pct(strict.ok, strict.sent, 3)} of hello + notes: ${verdict(availabilityMet)}. The crashing one ` +
      'recovers each time within its backoff — read as: every crash that hit was followed by a recovery, ' +
      'no give-up, and each before the next crash; the time beyond the drawn backoff delay is the restart ' +
      `(a cold start of a fresh worker importing \`@trellis/core\` and zod): ${recoveredBeforeNext} of ${hits} ` +
      `recovered within the second, ${chaos.downMs.length} recoveries, ${chaos.gaveUp} give-ups: ${verdict(recoversEachTime)}. ` +
      'Taken literally (downtime ≤ the backoff delay) it cannot hold: downtime is the delay plus a restart.',
  ];
  return { lines, availability, availabilityMet, recoversEachTime, strict };
}

/** The whole document, with a summary of every target first. */
export function renderReport(input: ReportInput): string {
  const hang = hangSection(input);
  const oom = oomSection(input);
  const steady = steadySection(input);
  const mttr = mttrSection(input);
  const chaos = chaosSection(input);
  const h = input.failures.hang;
  const s = (samples: readonly HangSample[], key: 'detectMs' | 'killMs' | 'servingMs') =>
    summarize(samples.map((x) => x[key])).p95;
  const both = (key: 'detectMs' | 'killMs' | 'servingMs', limit: number) =>
    (['worker', 'process'] as const)
      .map((kind) => {
        const value = s(h[kind], key);
        return `${kind} ${fmt(value, 1)} ms (${value <= limit ? 'met' : 'not met'})`;
      })
      .join(', ');
  const oomP95 = (samples: readonly OomSample[]) => summarize(samples.map((x) => x.exitMs)).p95;
  const mttrP50 = input.mttr
    .map((row) => `${row.isolation} ${row.cause} ${fmt(summarize(row.samples.map((x) => x.mttrMs)).p50, 0)}`)
    .join(', ');
  const summary = [
    '| target (from the issue) | measured | verdict |',
    '| --- | --- | --- |',
    `| hung plugin (busy loop) detected ≤ ${TARGETS.detectMs} ms | p95 ${both('detectMs', TARGETS.detectMs)} | ${verdict(hang.verdicts.detect)} |`,
    `| … killed ≤ ${TARGETS.killMs} ms | p95 ${both('killMs', TARGETS.killMs)} | ${verdict(hang.verdicts.kill)} |`,
    `| … replacement serving ≤ ${TARGETS.replacementMs} ms p95 | p95 ${both('servingMs', TARGETS.replacementMs)}, the new instance’s start included | ${verdict(hang.verdicts.serving)} |`,
    `| plugin over its heap cap killed ≤ ${TARGETS.heapKillMs} ms | p95 from the allocation’s start (cap fill included): worker ${fmt(oomP95(input.failures.oom.worker), 0)} ms, process ${fmt(oomP95(input.failures.oom.process), 0)} ms | ${verdict(oom.ok)} |`,
    `| the host never stops serving | ${steady.figures ? `${fmt(steady.figures.ok, 0)} of ${fmt(steady.figures.sent, 0)} calls to the inline neighbour 2xx, max ${fmt(steady.figures.latency.max, 0)} ms` : '—'} | ${verdict(steady.ok)} |`,
    `| MTTR per isolation (no target) | p50 ms: ${mttrP50} | — |`,
    `| ≥ ${fmt(TARGETS.availability * 100, 1)}% of requests to the other plugins succeed while one crashes every second | ${pct(chaos.strict.ok, chaos.strict.sent, 3)} of ${fmt(chaos.strict.sent, 0)} (hello + notes) | ${verdict(chaos.availabilityMet)} |`,
    `| … the crashing one recovers each time within its backoff | see section 3 | ${verdict(chaos.recoversEachTime)} |`,
  ];
  return [
    '# Resilience: recovery from hangs, heap exhaustion and crashes',
    '',
    input.machine,
    '',
    'Method: one Node process runs the built `dist/` of the workspace packages and of the reference app ' +
      '(the bench is TypeScript started by `tsx`, which runs itself again under plain `node` so that ' +
      'plugin workers do not load tsx); load comes from a separate Node process; times are ' +
      '`performance.now()` differences. Sections 1 and 2 run the reference app’s own assembly — ' +
      'resilience module, Fastify router, the app’s `PluginHost` (HTTP routes per plugin, calls in ' +
      'flight drained before a stop, through its `createPluginHostModule`), supervision module, HTTP ' +
      'server — assembled in the bench rather than by `startReferenceApp` because detecting a hang ' +
      'within 500 ms needs worker and process runtimes with heartbeats faster than the defaults, ' +
      'which the bench hands to the plugin-host module. Its plugins are generated into a temp folder: an ' +
      'inline `steady` neighbour and a victim per isolation with routes that hang, crash or leak on ' +
      'request. Section 3 runs the real `startReferenceApp`. The code is in `apps/reference/bench/`.',
    '',
    'Settings of sections 1 and 2:',
    '',
    `- Heartbeats of the worker and process runtimes: every ${HEARTBEAT.intervalMs} ms, hung after ` +
      `${HEARTBEAT.timeoutMs} ms of silence (defaults: 250 ms / 1,000 ms; the monitor checks every ` +
      `${Math.min(HEARTBEAT.intervalMs, HEARTBEAT.timeoutMs / 4)} ms, so a hang is detected between ` +
      `${HEARTBEAT.timeoutMs - HEARTBEAT.intervalMs} and about ${HEARTBEAT.timeoutMs + Math.min(HEARTBEAT.intervalMs, HEARTBEAT.timeoutMs / 4)} ms after the loop starts).`,
    `- Heap cap: ${HEAP_CAP_MB} MB old generation for every worker and process (default 128 MB).`,
    `- Supervisor backoff at its minimum, \`${JSON.stringify(MIN_BACKOFF)}\` (a restart is scheduled ` +
      'with a 0 ms timer), so the times are the recovery’s own; the app’s default backoff adds its ' +
      'delay on top (first restart 80–100 ms: 100 ms less up to 20% jitter, then doubling). Restart ' +
      'intensity raised so that the supervisor never gives up during the bench.',
    '',
    '## Targets',
    '',
    ...summary,
    '',
    ...hang.lines,
    '',
    ...oom.lines,
    '',
    ...steady.lines,
    '',
    ...mttr.lines,
    '',
    ...chaos.lines,
    '',
  ].join('\n');
}
