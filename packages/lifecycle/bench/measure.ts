// Timing and memory helpers shared by the bench sections.
import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Memory figures need a collection before each reading; `gc` is not exposed without a flag.
setFlagsFromString('--expose-gc');

/** Runs a full garbage collection of the host's heap. */
export const collectGarbage = runInNewContext('gc') as () => void;

/** Percentiles and mean of a list of samples, in the samples' unit. */
export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** The nearest-rank percentile `p` (0–100) of ascending `sorted` samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

/** The {@link Summary} of `samples`. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return {
    count: sorted.length,
    mean,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

/** The median of `samples` (the mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Times `count` calls of each of `fns` one by one, in blocks of `block` calls of each function in
 * turn, after `warmup` untimed calls of each: a busy moment on the machine then lands on every
 * function alike. Returns each function's samples, in ms.
 */
export async function timeInterleaved(
  fns: readonly (() => unknown)[],
  count: number,
  block: number,
  warmup: number,
): Promise<number[][]> {
  for (const fn of fns) for (let i = 0; i < warmup; i++) await fn();
  const samples = fns.map((): number[] => []);
  for (let done = 0; done < count; done += block) {
    for (const [index, fn] of fns.entries()) {
      const into = samples[index] as number[];
      for (let i = 0; i < block; i++) {
        const started = performance.now();
        await fn();
        into.push(performance.now() - started);
      }
    }
  }
  return samples;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Bytes in MiB. */
export const mib = (bytes: number): number => bytes / 2 ** 20;

/** Bytes in KiB. */
export const kib = (bytes: number): number => bytes / 2 ** 10;

/** The resident set of process `pid` in bytes, from `/proc/<pid>/status` (Linux only). */
export async function processRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** `value` with `digits` decimals and thousands separators. */
export function fmt(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio as the docs show it, e.g. `3.20×`. */
export function times(ratio: number): string {
  return `${fmt(ratio, ratio >= 100 ? 0 : 2)}×`;
}
