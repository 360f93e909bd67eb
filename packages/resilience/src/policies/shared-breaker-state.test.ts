// Runs against the real Redis on 127.0.0.1:6379, with a unique key prefix per test.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ManualClock } from '@trellis/core';
import { Redis } from 'ioredis';
import { type BreakerTransition, CircuitBreaker } from './circuit-breaker.js';
import { BreakerSchema } from './policy-schema.js';
import { RedisBreakerState } from './shared-breaker-state.js';

const connections: Redis[] = [];
const states: RedisBreakerState[] = [];
const prefixes: string[] = [];

function redis(): Redis {
  const connection = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 2 });
  connections.push(connection);
  return connection;
}

afterEach(async () => {
  await Promise.all(states.splice(0).map((s) => s.stop()));
  const cleaner = redis();
  for (const prefix of prefixes.splice(0)) {
    const keys = await cleaner.keys(`${prefix}:*`);
    if (keys.length > 0) await cleaner.del(...keys);
  }
  await Promise.all(connections.splice(0).map((c) => c.quit().catch(() => undefined)));
});

/** One instance of the fleet: its clock, shared state and a breaker named `name`. */
async function instance(prefix: string, name = 'billing/charge', errors: unknown[] = []) {
  const clock = new ManualClock(Date.now());
  prefixes.push(prefix);
  const state = await RedisBreakerState.start({
    publisher: redis(),
    subscriber: redis(),
    prefix,
    clock,
    onError: (e) => void errors.push(e),
  });
  states.push(state);
  const breaker = new CircuitBreaker(name, BreakerSchema.parse({ threshold: 1, halfOpenAfterMs: 30_000 }), {
    clock,
  });
  const detach = state.attach(breaker);
  return { clock, state, breaker, detach, errors };
}

/** Resolves with the next transition of `breaker`. */
function nextTransition(breaker: CircuitBreaker): Promise<BreakerTransition> {
  return new Promise((resolve) => {
    const listening = breaker.onTransition((t) => {
      listening.dispose();
      resolve(t);
    });
  });
}

describe('RedisBreakerState', () => {
  it('opens the same breaker on other instances, until the same openUntil, without echoing back', async () => {
    const prefix = `test:${randomUUID()}`;
    const a = await instance(prefix);
    const b = await instance(prefix);
    const seenByA: BreakerTransition[] = [];
    a.breaker.onTransition((t) => void seenByA.push(t));
    const opened = nextTransition(b.breaker);
    a.breaker.onFailure(a.breaker.tryAcquire());
    const transition = await opened;
    expect(transition).toMatchObject({ to: 'open', remote: true, openUntil: a.breaker.openUntil });
    expect(b.breaker.state).toBe('open');
    expect(transition.reason).toBe(`opened by instance ${a.state.instanceId}`);
    // Give a would-be echo time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seenByA.map((t) => t.to)).toEqual(['open']);
  });

  it("closes the others when one instance's probe succeeds", async () => {
    const prefix = `test:${randomUUID()}`;
    const a = await instance(prefix);
    const b = await instance(prefix);
    const opened = nextTransition(b.breaker);
    a.breaker.open('test');
    await opened;
    a.clock.advance(30_000);
    expect(a.breaker.state).toBe('half-open');
    const closed = nextTransition(b.breaker);
    a.breaker.onSuccess(a.breaker.tryAcquire());
    await expect(closed).resolves.toMatchObject({ to: 'closed', remote: true });
    expect(a.state.keyOf('billing/charge')).toBe(`${prefix}:state:billing/charge`);
    expect(await redis().exists(a.state.keyOf('billing/charge'))).toBe(0);
  });

  it('an instance that attaches later adopts an opening stored in Redis', async () => {
    const prefix = `test:${randomUUID()}`;
    const a = await instance(prefix);
    a.breaker.open('test');
    // Wait until the opening is stored.
    const probe = redis();
    for (let i = 0; i < 50 && (await probe.exists(a.state.keyOf('billing/charge'))) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const ttl = await probe.pttl(a.state.keyOf('billing/charge'));
    expect(ttl).toBeGreaterThan(25_000);
    const late = await instance(prefix);
    if (late.breaker.state !== 'open') await nextTransition(late.breaker);
    expect(late.breaker.state).toBe('open');
    expect(late.breaker.openUntil).toBe(a.breaker.openUntil);
  });

  it('ignores other names, foreign messages and garbage, and stops after detach', async () => {
    const prefix = `test:${randomUUID()}`;
    const errors: unknown[] = [];
    const a = await instance(prefix, 'a/x', errors);
    const other = await instance(prefix, 'b/y');
    const publisher = redis();
    await publisher.publish(`${prefix}:events`, 'not json');
    await publisher.publish(`${prefix}:events`, JSON.stringify({ hello: 'world' }));
    await publisher.publish(`${prefix}:other`, 'x');
    other.breaker.open('test');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a.breaker.state).toBe('closed');
    expect(errors).toHaveLength(1);
    a.detach.dispose();
    const b = await instance(prefix, 'a/x');
    b.breaker.open('test');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a.breaker.state).toBe('closed');
  });

  it('reports Redis failures without affecting the breaker', async () => {
    const errors: unknown[] = [];
    const a = await instance(`test:${randomUUID()}`, 'n', errors);
    const publisher = connections[0] as Redis;
    publisher.disconnect();
    a.breaker.open('test');
    expect(a.breaker.state).toBe('open');
    for (let i = 0; i < 50 && errors.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors.length).toBeGreaterThan(0);
  });
});
