import { describe, expect, it } from '@jest/globals';
import {
  PluginSupervisorConfigSchema,
  parseSupervisorConfig,
  SupervisorConfigSchema,
} from './supervisor-config.js';
import {
  SUPERVISOR_ERROR_CODES,
  SupervisorChildUnknownError,
  SupervisorConfigInvalidError,
} from './supervisor-errors.js';

describe('supervisor config', () => {
  it('documents its defaults', () => {
    expect(SupervisorConfigSchema.parse({})).toEqual({
      name: 'supervisor',
      strategy: 'one_for_one',
      intensity: { maxRestarts: 5, periodMs: 30_000, resetAfterMs: 600_000 },
      backoff: { initialMs: 100, maxMs: 30_000, multiplier: 2, jitter: 0.2 },
      health: { intervalMs: 0, failureThreshold: 3, timeoutMs: 5_000 },
    });
    expect(PluginSupervisorConfigSchema.parse({})).toMatchObject({
      name: 'plugins',
      strategy: 'rest_for_one',
      exclude: [],
    });
  });

  it('reports every issue with its path', () => {
    expect(() =>
      parseSupervisorConfig(SupervisorConfigSchema, { strategy: 'one_for_all', nope: 1 }, 'supervisor'),
    ).toThrow(SupervisorConfigInvalidError);
    try {
      parseSupervisorConfig(SupervisorConfigSchema, { strategy: 'one_for_all', nope: 1 }, 'supervisor');
    } catch (error) {
      expect((error as SupervisorConfigInvalidError).details.issues).toEqual([
        expect.stringMatching(/^strategy:/),
        expect.stringMatching(/^\(root\):/),
      ]);
    }
  });

  it('has stable error codes with fixes', () => {
    expect(SUPERVISOR_ERROR_CODES).toContain('SUPERVISOR_CONFIG_INVALID');
    expect(new SupervisorChildUnknownError('s', 'x', []).fix).toBe(
      "Use one of the supervisor's children: (none).",
    );
  });
});
