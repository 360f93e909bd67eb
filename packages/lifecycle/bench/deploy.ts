// Deployment section: the plugin store and deployer (upgrade with a health gate, automatic and
// manual rollback) live under a running PluginManager, and desired-state plan / apply over 1,000
// plugins. Writes docs/benchmarks/lifecycle-deploy.md (its own report: these are deployment
// operations measured in ms, not the per-plugin runtime costs of lifecycle.md).
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { DESIRED_SETUP, type DesiredResults, measureDesired } from './deploy-desired.js';
import { DATA_SHAPE } from './deploy-fixtures.js';
import {
  BASELINE_PHASES,
  FAILED_PHASES,
  LIVE_SETUP,
  type LiveResults,
  measureLive,
  type OperationSamples,
  ROLLBACK_PHASES,
  UPGRADE_PHASES,
} from './deploy-live.js';
import { PACKAGE_DIR } from './fixtures.js';
import { fmt, summarize, times } from './measure.js';

/** The report this section writes, under docs/benchmarks. */
export const DEPLOY_REPORT = 'lifecycle-deploy.md';

/** What the section measured, with the conditions of the run. */
export interface DeployResults {
  readonly live: LiveResults;
  readonly desired: DesiredResults;
  readonly seconds: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
}

/** Runs both parts under `root` (created by the caller, removed by the caller). */
export async function measureDeploy(root: string): Promise<DeployResults> {
  const began = performance.now();
  const loadBefore = loadavg()[0] ?? 0;
  const live = await measureLive(join(root, 'live'));
  console.log(`deploy live: upgrade p50 ${fmt(summarize(live.upgrade.total).p50, 1)} ms`);
  const desired = await measureDesired(join(root, 'desired'));
  console.log(`deploy desired: plan p50 ${fmt(summarize(desired.plan).p50, 0)} ms`);
  return {
    live,
    desired,
    seconds: (performance.now() - began) / 1_000,
    loadBefore,
    loadAfter: loadavg()[0] ?? 0,
  };
}

const p50 = (samples: readonly number[]): number => summarize(samples).p50;
const p95 = (samples: readonly number[]): number => summarize(samples).p95;
const ms = (value: number): string => fmt(value, value >= 100 ? 0 : value >= 10 ? 1 : 2);

/** One row per phase: p50, p95, and the phase's share of the p50 total. */
function phaseRows(samples: OperationSamples, names: readonly string[]): string[] {
  const total = p50(samples.total);
  return names
    .filter((name) => samples.phases[name] !== undefined)
    .map((name) => {
      const list = samples.phases[name] as number[];
      return `| ${name} | ${ms(p50(list))} | ${ms(p95(list))} | ${fmt((100 * p50(list)) / total, 0)}% |`;
    });
}

/** Per run: the failed upgrade's time from the gate giving up to the error (the rollback itself). */
function afterGateSamples(failed: OperationSamples): number[] {
  return failed.total.map((_, i) =>
    FAILED_PHASES.slice(3).reduce((sum, name) => sum + ((failed.phases[name] as number[])[i] as number), 0),
  );
}

function liveMarkdown(live: LiveResults): string[] {
  const { upgrade, baselineUpgrade, rollback, baselineRollback, failed } = live;
  const gatePart = failed.phases[FAILED_PHASES[2]] as number[];
  const afterGate = afterGateSamples(failed);
  return [
    '## 1. Live upgrade of a plugin with 10 dependents, and rollbacks',
    '',
    `Set-up: a store holding \`${LIVE_SETUP.plugin}\` 1.0.0 and ${LIVE_SETUP.dependents} plugins \`d01\`…\`d10\` that ` +
      `depend on it (\`^1.0.0\`), installed offline, then run inline by a \`PluginManager\` over \`store.managedInputs()\` ` +
      `(\`dataDir\` = the store’s data folder). \`${LIVE_SETUP.plugin}\` has a data folder of ${DATA_SHAPE.files} files × ` +
      `${fmt(DATA_SHAPE.bytesPerFile / 1_024, 0)} KiB and a config document, which every backup copies and every rollback ` +
      'restores. Each plugin is generated (no-op hooks, `health` answers `pass`, imports nothing). The deployer has the ' +
      `platform’s container (memory audit log, event bus) and a gate of \`${JSON.stringify(LIVE_SETUP.gate)}\`. Each run ` +
      `writes \`${LIVE_SETUP.plugin}\` 1.N.0 into a fresh source folder (untimed), then times ` +
      `\`deployer.upgrade('${LIVE_SETUP.plugin}', { source })\` until it resolves with the gate passed, then ` +
      `\`deployer.rollback('${LIVE_SETUP.plugin}')\` back to 1.0.0. The baseline runs on a second manager with the same 11 ` +
      'plugins from plain folders: `readManifest(newFolder)` then `manager.replace(name, { manifest, dir })`, and ' +
      '`manager.replace(name, v1Input)` to swap back — the swap a host would write without the store: no staging, ' +
      'compatibility check, backup, journal, gate or audit. Both sides stop the 10 dependents, stop and start the plugin ' +
      '(a fresh `import()` of its new code) and start the 10 dependents again. ' +
      `${LIVE_SETUP.upgradeRuns} timed runs of each after ${LIVE_SETUP.upgradeWarmups} warm-ups, store pair and ` +
      'baseline pair alternating first, a forced GC before each pair. The breakdown comes from timestamps taken by ' +
      'wrapping the store’s methods and the manager’s `replace` on the instances and by two lifecycle hooks ' +
      '(`afterStop` / `afterStart` of the upgraded plugin) registered on both managers alike; its phases are contiguous, ' +
      'so they add up to the total run by run (their p50s need not add up to the total’s p50).',
    '',
    '| operation | p50 ms | p95 ms | vs baseline (p50) |',
    '| --- | ---: | ---: | ---: |',
    `| hand-rolled swap: \`readManifest\` + \`manager.replace\` with the new folder (baseline) | ${ms(p50(baselineUpgrade.total))} | ${ms(p95(baselineUpgrade.total))} | baseline |`,
    `| \`deployer.upgrade\` from a folder, gate passed | ${ms(p50(upgrade.total))} | ${ms(p95(upgrade.total))} | ${times(p50(upgrade.total) / p50(baselineUpgrade.total))} |`,
    `| hand-rolled swap back: \`manager.replace\` with the old input (baseline) | ${ms(p50(baselineRollback.total))} | ${ms(p95(baselineRollback.total))} | baseline |`,
    `| \`deployer.rollback\` (manual), gate passed | ${ms(p50(rollback.total))} | ${ms(p95(rollback.total))} | ${times(p50(rollback.total) / p50(baselineRollback.total))} |`,
    `| upgrade to a version whose health fails, until \`PLUGIN_HEALTH_GATE_FAILED\` (rolled back) | ${ms(p50(failed.total))} | ${ms(p95(failed.total))} | — |`,
    `| … of which the gate (timeout ${LIVE_SETUP.failingGate.timeoutMs} ms, every ${LIVE_SETUP.failingGate.intervalMs} ms) | ${ms(p50(gatePart))} | ${ms(p95(gatePart))} | — |`,
    `| … of which the rollback after the gate gave up | ${ms(p50(afterGate))} | ${ms(p95(afterGate))} | ${times(p50(afterGate) / p50(baselineRollback.total))} |`,
    '',
    'The two rollback ratios divide by the hand-rolled swap back, which restores no data and checks no health.',
    '',
    `### Upgrade, phase by phase (${upgrade.total.length} runs)`,
    '',
    '| phase | p50 ms | p95 ms | share of the p50 total |',
    '| --- | ---: | ---: | ---: |',
    ...phaseRows(upgrade, UPGRADE_PHASES),
    `| **total** | **${ms(p50(upgrade.total))}** | **${ms(p95(upgrade.total))}** | |`,
    '',
    'The hand-rolled swap, for comparison:',
    '',
    '| phase | p50 ms | p95 ms | share of the p50 total |',
    '| --- | ---: | ---: | ---: |',
    ...phaseRows(baselineUpgrade, BASELINE_PHASES),
    `| **total** | **${ms(p50(baselineUpgrade.total))}** | **${ms(p95(baselineUpgrade.total))}** | |`,
    '',
    `### Manual rollback, phase by phase (${rollback.total.length} runs)`,
    '',
    '| phase | p50 ms | p95 ms | share of the p50 total |',
    '| --- | ---: | ---: | ---: |',
    ...phaseRows(rollback, ROLLBACK_PHASES),
    `| **total** | **${ms(p50(rollback.total))}** | **${ms(p95(rollback.total))}** | |`,
    '',
    `### Failed health gate and automatic rollback, phase by phase (${failed.total.length} runs)`,
    '',
    `Each run upgrades \`${LIVE_SETUP.plugin}\` to a new version whose \`health\` answers \`fail\`, with a deployer whose gate ` +
      `is \`${JSON.stringify(LIVE_SETUP.failingGate)}\` (${LIVE_SETUP.failedWarmups} warm-ups first). The new version ` +
      'starts (and its dependents with it), the gate asks every 20 ms until 200 ms have passed, then the deployer ' +
      'replaces it with 1.0.0 again and restores the data and config from the backup it took; the call rejects with ' +
      '`PLUGIN_HEALTH_GATE_FAILED` (`rolledBack: true`), checked each run along with 1.0.0 and its 10 dependents active. ' +
      '"Rollback after the gate gave up" is the sum of the rows marked rollback plus the last one.',
    '',
    '| phase | p50 ms | p95 ms | share of the p50 total |',
    '| --- | ---: | ---: | ---: |',
    ...phaseRows(failed, FAILED_PHASES),
    `| **total** | **${ms(p50(failed.total))}** | **${ms(p95(failed.total))}** | |`,
    '',
    `At the end the store held ${live.versionsHeld} versions of \`${LIVE_SETUP.plugin}\` (every upgrade keeps the new ` +
      'version beside the old ones until `prune`, failed ones included) and two backups per upgrade/rollback pair.',
  ];
}

function desiredMarkdown(desired: DesiredResults): string[] {
  const kinds = Object.entries(desired.actions)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  const actionCount = Object.values(desired.actions).reduce((a, b) => a + b, 0);
  const floor = p50(desired.readManifests);
  const row = (what: string, samples: readonly number[], ratio = true) =>
    `| ${what} | ${ms(p50(samples))} | ${ms(p95(samples))} | ${ratio ? times(p50(samples) / floor) : '—'} |`;
  const stepSum = desired.parse.map(
    (v, i) =>
      v +
      (desired.readSources[i] as number) +
      (desired.installedStates[i] as number) +
      (desired.pure[i] as number),
  );
  const noopTotal = desired.noopPlan.map(
    (v, i) => v + (desired.noopApply[i] as number) + (desired.open[i] as number),
  );
  return [
    `## 2. Plan and apply a desired state of ${fmt(DESIRED_SETUP.plugins, 0)} plugins with 10 changes`,
    '',
    `Set-up (untimed): ${fmt(DESIRED_SETUP.plugins, 0)} generated plugin folders in a seeded dependency graph (about 10% ` +
      `roots, the others depending on 1–3 earlier plugins, ${fmt(desired.dependencyEdges, 0)} edges; no-op code, two files ` +
      'each), installed into one store with `store.stage(folder)` + `store.hold(staged, { activate: true })` each ' +
      `(${fmt(desired.setupMs / 1_000, 1)} s for the ${fmt(DESIRED_SETUP.plugins, 0)}, one \`store.json\` rewrite per ` +
      `plugin). Each run then writes (untimed) a \`trellis.plugins.yaml\` listing every plugin with \`source: ./sources/<name>-<version>\` ` +
      `and ${DESIRED_SETUP.upgrades} upgrades (new folders 1.N.0 of \`p0001\`, a root most of the graph depends on, ` +
      `\`p0250\`, \`p0500\`, \`p0750\`, \`p1000\`), ${DESIRED_SETUP.installs} new plugins (depending on \`p0001\`) and ` +
      `${DESIRED_SETUP.uninstalls} plugins left out (leaves of the graph in the first run, then two of the previous ` +
      `run’s new plugins), so the store holds ${fmt(desired.storePlugins, 0)}–${fmt(desired.storePlugins + DESIRED_SETUP.runs + DESIRED_SETUP.warmups, 0)} ` +
      `plugins. The plan has ${actionCount} actions: ${kinds} (a new plugin is installed disabled, then enabled). ` +
      '**Offline**: the deployer has no manager, so nothing starts: upgrades are switched in the store with their gate ' +
      'left `pending` for the next host start, and installs, enables and uninstalls only change the store. ' +
      `\`store.json\` is ${fmt(desired.stateBytes / 1_024, 0)} KiB at the end. ${DESIRED_SETUP.runs} timed runs after ` +
      `${DESIRED_SETUP.warmups} warm-up; with ${DESIRED_SETUP.runs} samples p95 is the slowest run. Every plan is made ` +
      'on a store instance opened just before (its manifest cache empty, as in a CLI run or at a host start); the OS page ' +
      'cache is warm. Checked each run: no problems, the planned action kinds, the apply completed, and planning again ' +
      'gives 0 actions whose apply applies nothing.',
    '',
    `The baseline is the floor any planner pays: \`readManifest\` (from \`@trellis/discovery\`) of each of the ` +
      `${fmt(DESIRED_SETUP.plugins, 0)} source folders, ${DESIRED_SETUP.concurrency} at a time (as \`readDesiredSources\` does).`,
    '',
    '| step | p50 ms | p95 ms | vs baseline (p50) |',
    '| --- | ---: | ---: | ---: |',
    row(`read ${fmt(DESIRED_SETUP.plugins, 0)} manifests (baseline)`, desired.readManifests),
    row('`PluginStore.open` (read and validate `store.json`, recovery scan)', desired.open),
    row('a replica of its first step: read, parse and validate `store.json`', desired.stateRead),
    row(
      'a replica of its recovery scan (run separately): one `readdir` per plugin’s versions folder, in turn',
      desired.recoveryScan,
    ),
    row('`planDeployment(store, file)`: the plan', desired.plan),
    row('… its steps run one by one, total', stepSum),
    row('…… `loadDesiredState` (read + parse + validate the YAML)', desired.parse),
    row(
      '…… `readDesiredSources` with `readSourceManifest` (manifest + content digest of each source)',
      desired.readSources,
    ),
    row('…… `installedPluginStates(store)` (manifest of every held version)', desired.installedStates),
    row('…… `planDesiredState` (pure planning)', desired.pure),
    row(`\`applyDeployment\` of the ${actionCount} actions (offline deployer)`, desired.apply, false),
    ...Object.entries(desired.actionMs).map(([kind, samples]) =>
      row(`…… one \`${kind}\` action (${samples.length / DESIRED_SETUP.runs} per plan)`, samples, false),
    ),
    row('plan again after the apply: 0 actions', desired.noopPlan),
    row('apply that empty plan (no-op)', desired.noopApply, false),
    row('no-op round: open + plan + apply', noopTotal),
  ];
}

/** What the numbers point at in src/, with the figures of this run. */
function findingsMarkdown(results: DeployResults): string[] {
  const { live, desired } = results;
  const backup = live.upgrade.phases[UPGRADE_PHASES[3]] as number[];
  const restore = live.rollback.phases[ROLLBACK_PHASES[4]] as number[];
  const storeOnly = UPGRADE_PHASES.filter((_, i) => ![2, 6, 7].includes(i));
  const sumOf = (samples: OperationSamples, names: readonly string[]) =>
    samples.total.map((_, i) =>
      names.reduce((sum, name) => sum + ((samples.phases[name] as number[])[i] as number), 0),
    );
  const managerPart = sumOf(live.upgrade, [UPGRADE_PHASES[2], UPGRADE_PHASES[6], UPGRADE_PHASES[7]]);
  const baselineManagerPart = sumOf(live.baselineUpgrade, BASELINE_PHASES.slice(1));
  const overhead = sumOf(live.upgrade, storeOnly);
  const copyShare = (100 * (p50(backup) + p50(restore))) / p50(live.rollback.total);
  const firstInstalls = desired.installMs.slice(0, 100);
  const lastInstalls = desired.installMs.slice(-100);
  const cpMs = p50(live.dataCopy.cp);
  const walkMs = p50(live.dataCopy.copyFile);
  const upgradeAction = desired.actionMs.upgrade ?? [];
  return [
    '## Findings',
    '',
    'No functional problem showed up in the measured runs (each checked the versions, states and errors it expected); ' +
      'one showed up beside them (6). Where the time goes:',
    '',
    `1. **The manager’s part of an upgrade costs what the hand-rolled swap’s does** (stop 11, start 11: ` +
      `${ms(p50(managerPart))} ms p50 against ${ms(p50(baselineManagerPart))} ms); the rest is the store’s: stage, ` +
      `checks and hold, backup, journalled switch, input, settle and audit add up to ${ms(p50(overhead))} ms (p50) of ` +
      `the ${ms(p50(live.upgrade.total))} ms, against ${ms(p50(live.baselineUpgrade.total))} ms for the whole ` +
      'hand-rolled swap.',
    `2. **Backups and restores copy with \`fs.cp\`, which is slow on small files.** Copying the ${DATA_SHAPE.files}-file ` +
      `data folder took ${ms(cpMs)} ms with \`fs.cp(..., { recursive: true })\` and ${ms(walkMs)} ms with a plain ` +
      `\`readdir\` + \`copyFile\` walk (${times(cpMs / walkMs)}; ${live.dataCopy.cp.length} copies each, same folder, ` +
      `same run). Backup is the largest phase of an upgrade (${ms(p50(backup))} ms p50), and backup + restore make ` +
      `${fmt(copyShare, 0)}% of a manual rollback’s p50 (${ms(p50(backup))} + ${ms(p50(restore))} ms); both grow with the number of files ` +
      'in the data folder (`PluginStore#backup` and `restoreItem` in `src/store/plugin-store.ts`). A hand-written ' +
      'walk (links kept as links, as `verbatimSymlinks` does) would cut that part by about the ratio above.',
    `3. **Planning is reading the sources, not planning.** \`planDesiredState\` takes ${ms(p50(desired.pure))} ms; ` +
      `\`readDesiredSources\` with \`readSourceManifest\` takes ${ms(p50(desired.readSources))} ms, ` +
      `${times(p50(desired.readSources) / p50(desired.readManifests))} the ${ms(p50(desired.readManifests))} ms of reading ` +
      'the manifests alone, because every folder source is also content-digested (`contentDigest`: a walk, then ' +
      'open / read / close of every file with a fresh 64 KiB buffer each) on every plan, to tell a rebuilt folder of the ' +
      'same version from an unchanged one. The cost grows with the number of files of all sources (two each here; a real ' +
      'plugin’s `dist/` has more), and a no-op plan pays it in full. A digest cache keyed by each file’s size, mtime and ' +
      'inode (as git’s index does), kept in the store, would make an unchanged source cost about a `stat` per file.',
    `4. **\`PluginStore.open\` scans every plugin’s folder.** At ${fmt(desired.storePlugins, 0)} plugins it takes ` +
      `${ms(p50(desired.open))} ms p50, most of it the recovery scan (\`#recover\`): one \`readdir\` per plugin’s ` +
      'versions folder, 16 at a time (fixed after this bench’s first runs found them awaited one after the other), ' +
      `looking for version folders the record does not know; a replica of the old sequential loop takes ` +
      `${ms(p50(desired.recoveryScan))} ms, reading and validating \`store.json\` ${ms(p50(desired.stateRead))} ms. ` +
      'Every CLI `plan` / `apply` and every host start pays it; skipping the scan needs a durable marker of the hold ' +
      'in flight, since an orphan version folder leaves no journal behind.',
    `5. **Every store change rewrites the whole \`store.json\`** (${fmt(desired.stateBytes / 1_024, 0)} KiB ` +
      'pretty-printed at this size) through `atomicWriteFile` (temp file, fsync, rename, folder fsync). Installing the ' +
      `${fmt(DESIRED_SETUP.plugins, 0)} plugins one by one took ${fmt(desired.setupMs / 1_000, 1)} s, and an install ` +
      `slows down as the store grows (p50 ${ms(p50(firstInstalls))} ms for the first 100, ${ms(p50(lastInstalls))} ms ` +
      'for the last 100: the bytes written grow quadratically with the count); an offline `upgrade` action, which rewrites it twice (hold, ' +
      `switch) and fsyncs a backup record and the journal besides, takes ${ms(p50(upgradeAction))} ms p50. A bulk ` +
      'install path, or one record write per apply, would help first deployments of many plugins.',
    '6. **Fixed: unbounded parallel reads ran out of file descriptors** (seen while writing this bench: this machine ' +
      'allows 20,000 open files). `installedPluginStates` and `PluginStore.verify` read every plugin at once; under ' +
      'the common default soft limit (`ulimit -n 1024`) a store of 1,500 plugins made `planDeployment` reject with ' +
      '`PLUGIN_MANIFEST_INVALID` ("cannot be read (EMFILE)") and `verify()` report every plugin as invalid. Both now ' +
      'read 16 plugins at a time (`FILE_CONCURRENCY`), as `readDesiredSources` does.',
  ];
}

/** The report as markdown. */
export function deployMarkdown(results: DeployResults, command: string): string {
  const { live, desired } = results;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const afterGate = afterGateSamples(live.failed);
  const noop = desired.noopPlan.map((v, i) => v + (desired.noopApply[i] as number));
  const target = (what: string, samples: readonly number[], vs: string) =>
    `| ${what} | ${ms(p50(samples))} | ${ms(p95(samples))} | ${vs} |`;
  return [
    '# @trellis/lifecycle benchmarks: plugin store, deployer and desired state',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${cpus().length} × ${cpu}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}; the store and the plugin folders are in the OS temp ` +
      `folder (ext4 here: every store change fsyncs). Reproduce: \`${command}\` (this section took ` +
      `${fmt(results.seconds, 0)} s; it runs in a fresh Node process after the sections of [lifecycle.md](lifecycle.md), ` +
      'and alone with ' +
      '`pnpm build && pnpm --filter @trellis/lifecycle bench --deploy-only`). "vs baseline" divides by the baseline of ' +
      'the same table, measured in the same run (1.00× = as fast; 3.00× = three times slower). One-minute load average ' +
      `${fmt(results.loadBefore, 2)} at the start and ${fmt(results.loadAfter, 2)} at the end: anything above zero is ` +
      'other work on the machine, which widens the p95s more than the p50s.',
    '',
    'Method: times are `performance.now()` differences in one Node process running the built `dist/` of ' +
      '`@trellis/lifecycle` (the bench runs itself again under plain `node`, see [lifecycle.md](lifecycle.md)). ' +
      'p50 / p95 are nearest-rank percentiles of the timed runs. Generated plugins and stores are written to the OS ' +
      'temp folder and removed afterwards. The code is in `packages/lifecycle/bench/deploy*.ts`.',
    '',
    '## What the issue asks to report',
    '',
    'The issue sets no numeric targets; it asks for these figures.',
    '',
    '| asked | p50 ms | p95 ms | vs baseline (p50) |',
    '| --- | ---: | ---: | ---: |',
    target(
      `upgrade of a plugin with ${LIVE_SETUP.dependents} dependents, live, end to end (gate passed)`,
      live.upgrade.total,
      `${times(p50(live.upgrade.total) / p50(live.baselineUpgrade.total))} a hand-rolled \`manager.replace\` (${ms(p50(live.baselineUpgrade.total))} ms)`,
    ),
    target(
      `rollback after a failed health gate (${LIVE_SETUP.failingGate.timeoutMs} ms / ${LIVE_SETUP.failingGate.intervalMs} ms), total`,
      live.failed.total,
      '—',
    ),
    target(
      '… the rollback itself, after the gate gave up',
      afterGate,
      `${times(p50(afterGate) / p50(live.baselineRollback.total))} a hand-rolled swap back (${ms(p50(live.baselineRollback.total))} ms)`,
    ),
    target(
      'manual `rollback(name)`',
      live.rollback.total,
      `${times(p50(live.rollback.total) / p50(live.baselineRollback.total))} a hand-rolled swap back`,
    ),
    target(
      `plan, ${fmt(DESIRED_SETUP.plugins, 0)} plugins, 10 changes (offline store)`,
      desired.plan,
      `${times(p50(desired.plan) / p50(desired.readManifests))} reading the ${fmt(DESIRED_SETUP.plugins, 0)} manifests (${ms(p50(desired.readManifests))} ms)`,
    ),
    target('… of which pure planning (`planDesiredState`)', desired.pure, '—'),
    target(
      `apply of those ${Object.values(desired.actions).reduce((a, b) => a + b, 0)} actions (offline deployer)`,
      desired.apply,
      '—',
    ),
    target(
      'plan + apply again: 0 actions, no-op',
      noop,
      `${times(p50(noop) / p50(desired.readManifests))} reading the manifests`,
    ),
    '',
    ...liveMarkdown(live),
    '',
    ...desiredMarkdown(desired),
    '',
    ...findingsMarkdown(results),
    '',
  ].join('\n');
}

/** Runs the section under `root` and writes {@link DEPLOY_REPORT}; returns its seconds. */
export async function runDeployBench(root: string, command: string): Promise<number> {
  const results = await measureDeploy(root);
  await writeFile(
    join(PACKAGE_DIR, '..', '..', 'docs', 'benchmarks', DEPLOY_REPORT),
    deployMarkdown(results, command),
  );
  console.log(`wrote docs/benchmarks/${DEPLOY_REPORT} in ${fmt(results.seconds, 0)} s`);
  return results.seconds;
}
