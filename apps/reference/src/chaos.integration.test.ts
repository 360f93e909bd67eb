import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ConsoleLogger } from '@trellis/core';
import { type ReferenceApp, startReferenceApp } from './reference-app.js';

const samplePlugins = resolve(__dirname, '../plugins');
let app: ReferenceApp | undefined;

afterEach(async () => {
  await app?.platform.stop();
  app = undefined;
});

describe('self-healing under chaos', () => {
  it('restarts a worker plugin that chaos keeps crashing, while the other plugins keep answering', async () => {
    app = await startReferenceApp({
      pluginsDir: samplePlugins,
      logger: new ConsoleLogger({ level: 'silent' }),
      overrides: {
        'http.port': 0,
        'resilience.supervisor.backoff': { initialMs: 20, maxMs: 100 },
        'resilience.supervisor.intensity': { maxRestarts: 50, periodMs: 30_000 },
        'resilience.chaos': {
          enabled: true,
          seed: 3,
          rules: [{ target: 'plugin:primes', fault: 'crash', rate: 0.3 }],
        },
      },
    });
    const recoveries: number[] = [];
    app.platform.events.on('supervisor.recovered', (event) => {
      if (event.child === 'primes') recoveries.push(event.downMs);
    });

    const url = app.url;
    let helloFailures = 0;
    let primesOk = 0;
    // Traffic until chaos has crashed primes (and its supervisor healed it) three times.
    const deadline = Date.now() + 30_000;
    while (recoveries.length < 3 && Date.now() < deadline) {
      const [hello, primes] = await Promise.all([
        fetch(`${url}/plugins/hello`),
        fetch(`${url}/plugins/primes/nth/100`),
      ]);
      if (hello.status !== 200) helloFailures += 1;
      if (primes.status === 200) primesOk += 1;
      await Promise.all([hello.arrayBuffer(), primes.arrayBuffer()]);
    }
    // The healthy neighbour never noticed.
    expect(helloFailures).toBe(0);
    // Chaos crashed primes repeatedly and its supervisor brought it back each time.
    expect(recoveries.length).toBeGreaterThanOrEqual(3);
    expect(primesOk).toBeGreaterThan(0);
    for (let i = 0; i < 100 && app.plugins.manager?.get('primes')?.state !== 'active'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(app.plugins.manager?.get('primes')?.state).toBe('active');
    const ready = await fetch(`${url}/health/ready`);
    // primes is active again and no plugin is critical: readiness passes (a stale check only degrades it).
    expect(ready.status).toBe(200);
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);
  }, 60_000);
});
