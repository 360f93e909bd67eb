import { describe, expect, it, jest } from '@jest/globals';
import { HeartbeatMonitor } from './heartbeat-monitor.js';

function monitor(timeoutMs = 100, checkEveryMs = 20) {
  let now = 0;
  const onMissed = jest.fn<(silentFor: number) => void>();
  const m = new HeartbeatMonitor({ timeoutMs, checkEveryMs, onMissed, now: () => now });
  m.start();
  const advance = (ms: number) => {
    now += ms;
    m.check();
  };
  return { m, onMissed, advance };
}

describe('HeartbeatMonitor', () => {
  const afterPoll = () => new Promise((resolve) => setImmediate(resolve));

  it('reports silence longer than the timeout, once, after the poll phase', async () => {
    const { m, onMissed, advance } = monitor();
    for (let i = 0; i < 5; i++) advance(20);
    expect(onMissed).not.toHaveBeenCalled();
    advance(20);
    // The verdict waits for the poll phase, where queued heartbeats would be read.
    expect(onMissed).not.toHaveBeenCalled();
    await afterPoll();
    expect(onMissed).toHaveBeenCalledWith(120);
    advance(20);
    await afterPoll();
    expect(onMissed).toHaveBeenCalledTimes(1);
    m.stop();
  });

  it('is not fooled by a heartbeat that was queued while the timer fired', async () => {
    const { m, onMissed, advance } = monitor();
    for (let i = 0; i < 6; i++) advance(20);
    m.beat(); // delivered in the poll phase, after the overdue check
    await afterPoll();
    expect(onMissed).not.toHaveBeenCalled();
    m.stop();
  });

  it('is kept quiet by heartbeats', () => {
    const { m, onMissed, advance } = monitor();
    for (let i = 0; i < 20; i++) {
      advance(20);
      m.beat();
    }
    expect(onMissed).not.toHaveBeenCalled();
    m.stop();
  });

  it('does not blame the other side when the host itself was blocked', () => {
    const { m, onMissed, advance } = monitor();
    advance(500);
    expect(onMissed).not.toHaveBeenCalled();
    advance(20);
    expect(onMissed).not.toHaveBeenCalled();
    m.stop();
  });
});
