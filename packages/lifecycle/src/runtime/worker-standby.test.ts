import { afterEach, describe, expect, it } from '@jest/globals';
import type { PluginInstance } from './plugin-runtime.js';
import { createTestHost, fixtureSpec } from './runtime-test-host.js';
import { WorkerRuntime } from './worker-runtime.js';

const instances: PluginInstance[] = [];
const runtimes: WorkerRuntime[] = [];

afterEach(async () => {
  await Promise.all(instances.splice(0).map((instance) => instance.dispose()));
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.dispose()));
});

async function load(runtime: WorkerRuntime) {
  const spec = fixtureSpec('echo');
  const instance = await runtime.load(spec, createTestHost(spec).context);
  instances.push(instance);
  return instance;
}

describe('WorkerRuntime warm standby', () => {
  it('keeps a started worker ready and gives it to the next plugin', async () => {
    const runtime = new WorkerRuntime();
    runtimes.push(runtime);
    expect(runtime.standbyThreadId).toBeUndefined();
    const first = await load(runtime);
    const standby = runtime.standbyThreadId;
    expect(standby).toEqual(expect.any(Number));
    expect(standby).not.toBe(first.stats().threadId);
    const second = await load(runtime);
    expect(second.stats().threadId).toBe(standby);
    await second.call('setup', { timeoutMs: 5_000 });
    // Another standby replaces the one that was taken.
    expect(runtime.standbyThreadId).toEqual(expect.any(Number));
    expect(runtime.standbyThreadId).not.toBe(standby);
  });

  it('ends its standby on dispose and starts workers on demand afterwards', async () => {
    const runtime = new WorkerRuntime();
    runtimes.push(runtime);
    await load(runtime);
    await runtime.dispose();
    expect(runtime.standbyThreadId).toBeUndefined();
    const after = await load(runtime);
    expect(after.stats().threadId).toEqual(expect.any(Number));
    expect(runtime.standbyThreadId).toBeUndefined();
  });

  it('keeps no standby when asked not to', async () => {
    const runtime = new WorkerRuntime({ warmStandby: false });
    runtimes.push(runtime);
    await load(runtime);
    expect(runtime.standbyThreadId).toBeUndefined();
  });
});
