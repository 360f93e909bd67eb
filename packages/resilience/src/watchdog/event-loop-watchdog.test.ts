import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { LocalEventBus, type Logger, runInPluginScope, type TrellisEvents } from '@trellis/core';
import '../events/resilience-events.js';
import { EventLoopWatchdog } from './event-loop-watchdog.js';
import { locateWatchdogWorker } from './locate-worker.js';
import type { WatchdogReport } from './watchdog-protocol.js';

// Real threads and real time: the watchdog exists to observe a main thread that cannot run.
const THRESHOLD_MS = 300;
const dir = mkdtempSync(join(tmpdir(), 'trellis-watchdog-'));
const started: EventLoopWatchdog[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.stop()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // Spinning on purpose: this is the hang under test.
  }
}

function fakeLogger() {
  const error = jest.fn();
  return { logger: { error } as unknown as Logger, error };
}

async function watch(options: ConstructorParameters<typeof EventLoopWatchdog>[0] = {}) {
  const watchdog = new EventLoopWatchdog({ thresholdMs: THRESHOLD_MS, stderr: false, ...options });
  started.push(watchdog);
  const reports: WatchdogReport[] = [];
  watchdog.onReport((report) => reports.push(report));
  await watchdog.start();
  // Let a few heartbeats pass so the stall under test is measured from a fresh beat.
  await new Promise((resolve) => setTimeout(resolve, 120));
  return { watchdog, reports };
}

/** Resolves with the first `resumed` report made after `since`. */
function resumedAfter(watchdog: EventLoopWatchdog, since: number): Promise<WatchdogReport> {
  return new Promise((resolve) => {
    const sub = watchdog.onReport((report) => {
      if (report.kind === 'resumed' && report.at >= since) {
        sub.dispose();
        resolve(report);
      }
    });
  });
}

describe('EventLoopWatchdog', () => {
  it('names the inline plugin whose synchronous code blocks the loop, while it still blocks', async () => {
    const reportFile = join(dir, 'sync.jsonl');
    const bus = new LocalEventBus<TrellisEvents>();
    const events: TrellisEvents['watchdog.blocked'][] = [];
    bus.on('watchdog.blocked', (event) => void events.push(event));
    const { logger, error } = fakeLogger();
    const { watchdog, reports } = await watch({ reportFile, bus, logger });

    const loopStart = Date.now();
    const resumed = resumedAfter(watchdog, loopStart);
    runInPluginScope('looper', () => busy(1_500));
    const loopEnd = Date.now();
    const total = await resumed;

    // The file was written by the watchdog thread during the stall, before the loop ended.
    const lines = readFileSync(reportFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as WatchdogReport);
    const blocked = lines.find((l) => l.kind === 'blocked' && l.at >= loopStart);
    expect(blocked).toMatchObject({
      source: 'trellis-watchdog',
      plugin: 'looper',
      thresholdMs: THRESHOLD_MS,
      pid: process.pid,
    });
    expect(blocked?.blockedMs).toBeGreaterThanOrEqual(THRESHOLD_MS);
    expect(blocked?.at).toBeLessThan(loopEnd);
    // Detected about threshold + heartbeat + poll after the stall began (~340 ms here).
    expect((blocked?.at ?? 0) - loopStart).toBeGreaterThanOrEqual(THRESHOLD_MS);

    // The same reports reach the main thread once it runs again, and become an event and a log.
    expect(reports).toContainEqual(blocked);
    expect(total).toMatchObject({ kind: 'resumed', plugin: 'looper' });
    expect(total.blockedMs).toBeGreaterThanOrEqual(1_300);
    expect(events).toContainEqual({ blockedMs: total.blockedMs, plugin: 'looper' });
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ plugin: 'looper', blockedMs: total.blockedMs }),
      expect.stringContaining('by plugin "looper"'),
    );
    expect(watchdog.stats()).toMatchObject({ stalls: expect.any(Number), lastReport: total });
    expect(watchdog.stats().stalls).toBeGreaterThanOrEqual(1);
  });

  it('blames host code (no plugin) when the host blocks', async () => {
    const { watchdog, reports } = await watch();
    const loopStart = Date.now();
    const resumed = resumedAfter(watchdog, loopStart);
    busy(800);
    const total = await resumed;
    const blocked = reports.find((r) => r.kind === 'blocked' && r.at >= loopStart);
    expect(blocked).toBeDefined();
    expect(blocked?.plugin).toBeUndefined();
    expect(blocked?.blockedMs).toBeGreaterThanOrEqual(THRESHOLD_MS);
    expect(total.plugin).toBeUndefined();
  });

  it('names a plugin that blocks in an async continuation, and the host after it returned', async () => {
    const { watchdog, reports } = await watch();
    const loopStart = Date.now();
    const resumed = resumedAfter(watchdog, loopStart);
    await runInPluginScope('awaiter', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      busy(700);
    });
    await resumed;
    expect(reports.find((r) => r.kind === 'blocked' && r.at >= loopStart)?.plugin).toBe('awaiter');

    // Back in host code: the slot was restored when the plugin's callback ended.
    const hostStart = Date.now();
    const hostResumed = resumedAfter(watchdog, hostStart);
    busy(700);
    await hostResumed;
    expect(reports.find((r) => r.kind === 'blocked' && r.at >= hostStart)?.plugin).toBeUndefined();
  });

  it('reports the stall without a culprit when plugin tracking is off', async () => {
    const { watchdog, reports } = await watch({ trackPlugins: false });
    const loopStart = Date.now();
    const resumed = resumedAfter(watchdog, loopStart);
    runInPluginScope('untracked', () => busy(700));
    await resumed;
    expect(reports.find((r) => r.kind === 'blocked' && r.at >= loopStart)?.plugin).toBeUndefined();
  });

  it('exposes event-loop delay percentiles, and starts and stops idempotently', async () => {
    const watchdog = new EventLoopWatchdog({ stderr: false, delayResolutionMs: 5 });
    started.push(watchdog);
    expect(watchdog.stats()).toEqual({
      delay: { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0, samples: 0 },
      stalls: 0,
    });
    await watchdog.stop(); // before start: nothing to do
    await Promise.all([watchdog.start(), watchdog.start()]);
    expect(watchdog.running).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    busy(40);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const { delay } = watchdog.stats();
    expect(delay.samples).toBeGreaterThan(0);
    expect(delay.p99Ms).toBeGreaterThanOrEqual(delay.p50Ms);
    expect(delay.maxMs).toBeGreaterThanOrEqual(30);
    watchdog.resetStats();
    expect(watchdog.stats().stalls).toBe(0);
    await watchdog.stop();
    await watchdog.stop();
    expect(watchdog.running).toBe(false);
    expect(watchdog.config).toMatchObject({
      thresholdMs: 1_000,
      heartbeatMs: 50,
      pollMs: 100,
      killSignal: 'SIGKILL',
    });
  });

  it('kills the process after killAfterMs, reporting on stderr from the watchdog thread', () => {
    const root = join(__dirname, '..', '..');
    const entry = pathToFileURL(join(root, 'dist', 'watchdog', 'event-loop-watchdog.js')).href;
    const script = `
      import { runInPluginScope } from '@trellis/core';
      import { EventLoopWatchdog } from ${JSON.stringify(entry)};
      const watchdog = new EventLoopWatchdog({ thresholdMs: 300, killAfterMs: 2000 });
      await watchdog.start();
      await new Promise((resolve) => setTimeout(resolve, 100));
      runInPluginScope('spinner', () => { for (;;) {} });
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 10_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(child.signal).toBe('SIGKILL');
    const lines = child.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as WatchdogReport);
    // A loaded machine may starve the child for a while (a host stall, reported but far shorter
    // than killAfterMs); the spinner's reports come last.
    const spinner = lines.filter((l) => l.plugin === 'spinner');
    expect(spinner.map((l) => l.kind)).toEqual(['blocked', 'kill']);
    expect(lines.at(-1)).toEqual(spinner[1]);
    expect(spinner[1]).toMatchObject({ signal: 'SIGKILL', pid: child.pid });
    expect(spinner[1]?.blockedMs).toBeGreaterThanOrEqual(2000);
  });

  describe('failures', () => {
    it('rejects invalid options', () => {
      expect(() => new EventLoopWatchdog({ thresholdMs: 40, heartbeatMs: 50 })).toThrow(
        expect.objectContaining({ code: 'WATCHDOG_CONFIG_INVALID' }),
      );
      expect(() => new EventLoopWatchdog({ killAfterMs: 500 })).toThrow(
        /killAfterMs must be above thresholdMs/,
      );
    });

    it('fails to start with a worker script that dies, and can be started again', async () => {
      const broken = join(dir, 'broken-worker.mjs');
      writeFileSync(broken, 'throw new Error("no watchdog today");\n');
      const watchdog = new EventLoopWatchdog({ workerPath: broken, stderr: false });
      await expect(watchdog.start()).rejects.toMatchObject({ code: 'WATCHDOG_WORKER_FAILED' });
      expect(watchdog.running).toBe(false);
      const silent = join(dir, 'silent-worker.mjs');
      writeFileSync(silent, 'process.exit(3);\n');
      const exits = new EventLoopWatchdog({ workerPath: silent, stderr: false });
      await expect(exits.start()).rejects.toThrow(/failed to start/);
      await exits.stop();
    });

    it('logs and stops watching when the watchdog thread dies later', async () => {
      const dying = join(dir, 'dying-worker.mjs');
      writeFileSync(
        dying,
        `import { parentPort } from 'node:worker_threads';
         parentPort.postMessage({ type: 'ready' });
         setTimeout(() => process.exit(7), 50);\n`,
      );
      const { logger, error } = fakeLogger();
      const watchdog = new EventLoopWatchdog({ workerPath: dying, stderr: false, logger });
      await watchdog.start();
      expect(watchdog.running).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(watchdog.running).toBe(false);
      expect(error).toHaveBeenCalledWith({ code: 7 }, expect.stringContaining('no longer watched'));
      await watchdog.stop();
    });
  });
});

describe('locateWatchdogWorker', () => {
  it('finds dist/watchdog/watchdog-worker.js of this package from src', () => {
    expect(locateWatchdogWorker()).toMatch(/resilience[\\/]dist[\\/]watchdog[\\/]watchdog-worker\.js$/);
  });

  it('says how to fix a package that was not built', () => {
    const pkg = join(dir, 'pkg');
    writeFileSync(join(dir, 'package.json'), '{}');
    expect(() => locateWatchdogWorker(pathToFileURL(join(pkg, 'src', 'watchdog', 'x.js')).href)).toThrow(
      expect.objectContaining({ code: 'WATCHDOG_WORKER_NOT_FOUND' }),
    );
    expect(() => locateWatchdogWorker('/no/such/dir/file.js')).toThrow(
      /watchdog worker script was not found/,
    );
  });
});
