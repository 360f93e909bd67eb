// Shared benchmark runner: tinybench measures, this file compares each task with its group's
// baseline in the same process run and writes the markdown committed under docs/benchmarks.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'benchmarks');

/** @param {import('./index.js').BenchSuite} suite */
export async function runSuite(suite) {
  const time = Number(process.env.BENCH_TIME_MS ?? suite.timeMs ?? 1_000);
  const rows = [];
  for (const group of suite.groups) {
    const bench = new Bench({ time, warmupTime: Math.min(250, time) });
    for (const task of [group.baseline, ...group.tasks]) bench.add(task.name, task.fn);
    await bench.run();
    const stats = bench.tasks.map((task) => {
      const result = task.result;
      if (!('latency' in result))
        throw new Error(
          `${group.title} / ${task.name} did not complete: ${result.state} ${result.error ?? ''}`,
        );
      return { task: task.name, result };
    });
    const baselineMean = stats[0].result.latency.mean;
    for (const { task, result } of stats) {
      rows.push({
        group: group.title,
        task,
        opsPerSecond: 1_000 / result.latency.mean,
        meanMicros: result.latency.mean * 1_000,
        p99Micros: result.latency.p99 * 1_000,
        rmePercent: result.latency.rme,
        samples: result.latency.samples?.length ?? result.latency.df + 1,
        vsBaseline: result.latency.mean / baselineMean,
      });
    }
    console.log(`\n${group.title}`);
    console.table(rows.filter((r) => r.group === group.title).map(printable));
  }
  await mkdir(docsDir, { recursive: true });
  await writeFile(join(docsDir, suite.file), toMarkdown(suite, rows, time));
  console.log(`\nwrote docs/benchmarks/${suite.file}`);
  return rows;
}

function printable(row) {
  return {
    task: row.task,
    'ops/s': fmt(row.opsPerSecond, 0),
    'mean µs': fmt(row.meanMicros, 3),
    'p99 µs': fmt(row.p99Micros, 3),
    '±%': fmt(row.rmePercent, 2),
    'vs baseline': `${fmt(row.vsBaseline, 2)}×`,
  };
}

function fmt(value, digits) {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function toMarkdown(suite, rows, time) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `# ${suite.title}`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${cpus().length} × ${cpu}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB; tinybench, ${time} ms per task after warm-up.`,
    `Reproduce: \`${suite.command}\`. "vs baseline" is mean time divided by the baseline's mean in the same run ` +
      '(1.00× = as fast; 3.00× = three times slower).',
  ];
  for (const group of suite.groups) {
    lines.push('', `## ${group.title}`, '', group.description, '');
    lines.push(
      '| task | ops/s | mean µs | p99 µs | ±% | vs baseline |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const row of rows.filter((r) => r.group === group.title)) {
      const p = printable(row);
      const name = row.task === group.baseline.name ? `${row.task} (baseline)` : row.task;
      lines.push(
        `| ${name} | ${p['ops/s']} | ${p['mean µs']} | ${p['p99 µs']} | ${p['±%']} | ${p['vs baseline']} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
