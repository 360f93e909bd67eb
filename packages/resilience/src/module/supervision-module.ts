import {
  CLOCK,
  createToken,
  type Disposer,
  defineModule,
  EVENT_BUS,
  HEALTH_REGISTRY,
  LOGGER,
  PLUGIN_CONTROL,
  resolveService,
  type TrellisModule,
} from '@trellis/core';
import { type PluginTransitionSource, registerPluginHealth } from '../health/plugin-health.js';
import { FailurePredictor, type PredictionActions } from '../prediction/failure-predictor.js';
import { createPluginSupervisor, type PluginSupervisor } from '../supervisor/plugin-supervisor.js';
import { parseResilienceConfig, type ResilienceConfigInput } from './resilience-config.js';

/** Heap figures of an isolated plugin, for leak prediction. */
export interface PluginHeapSample {
  readonly heapUsedBytes: number;
  readonly heapLimitBytes: number;
}

/** Options of {@link createSupervisionModule}. */
export interface SupervisionModuleOptions {
  /** The `resilience` config section (its `supervisor`, `pluginHealth` and `prediction` parts). */
  readonly config?: ResilienceConfigInput;
  /**
   * Heap figures of a plugin's worker or process (`undefined` for inline plugins), sampled every
   * `prediction.evaluateEveryMs` for leak prediction; without it, only error and latency trends
   * are predicted.
   */
  readonly heapOf?: (plugin: string) => PluginHeapSample | undefined;
  /**
   * What the predictor does about a prediction: `shedLoad` and `openBreaker` come from the host
   * (it owns the traffic); `recycle` defaults to restarting an isolated plugin through
   * `PLUGIN_CONTROL`.
   */
  readonly actions?: PredictionActions;
}

/**
 * The failure predictor the supervision module runs; hosts feed it call outcomes
 * (`record(plugin, { ok, latencyMs })`).
 */
export const FAILURE_PREDICTOR = createToken<FailurePredictor>('@trellis/resilience.FailurePredictor');

/**
 * Supervises the platform's plugins through core's contracts only (`PLUGIN_CONTROL` and the
 * lifecycle events on the bus): a health check per plugin feeding readiness (critical plugins
 * gate it, others degrade it), an OTP-style supervisor that restarts a plugin that died (with its
 * dependents under `rest_for_one`), with backoff and restart intensity, and a failure predictor
 * that acts on leak, error-budget and latency trends. Starts after the plugin host.
 */
export function createSupervisionModule(options: SupervisionModuleOptions = {}): TrellisModule {
  const config = parseResilienceConfig(options.config);
  const predictor: { current?: FailurePredictor } = {};
  const parts: { supervisor?: PluginSupervisor; disposers: Disposer[]; timer?: NodeJS.Timeout } = {
    disposers: [],
  };
  return defineModule({
    name: 'supervision',
    provides: [FAILURE_PREDICTOR],
    dependsOn: [PLUGIN_CONTROL, HEALTH_REGISTRY, EVENT_BUS],
    register(container) {
      container.register(FAILURE_PREDICTOR, {
        useFactory: () => {
          const logger = resolveService(container, LOGGER).child({ component: 'prediction' });
          const { enabled: _enabled, ...predictionConfig } = config.prediction;
          predictor.current ??= new FailurePredictor({
            config: predictionConfig,
            control: resolveService(container, PLUGIN_CONTROL),
            bus: resolveService(container, EVENT_BUS),
            clock: resolveService(container, CLOCK),
            ...(options.actions ? { actions: options.actions } : {}),
            onPrediction: (prediction) =>
              logger.warn(
                { prediction },
                `failure predicted for plugin "${prediction.plugin}": ${prediction.kind}`,
              ),
          });
          return predictor.current;
        },
      });
    },
    async start(context) {
      const control = context.resolve(PLUGIN_CONTROL);
      const bus = context.resolve(EVENT_BUS);
      const clock = context.resolve(CLOCK);
      const health = registerPluginHealth(context.resolve(HEALTH_REGISTRY), control, {
        ...(config.pluginHealth.intervalMs > 0 ? { intervalMs: config.pluginHealth.intervalMs } : {}),
        // The lifecycle package declares 'plugin.transition'; this package may not import it.
        events: bus as unknown as PluginTransitionSource,
      });
      parts.disposers.push(health);
      if (config.supervisor.enabled) {
        const { enabled: _enabled, ...supervisorConfig } = config.supervisor;
        parts.supervisor = createPluginSupervisor({ ...supervisorConfig, control, bus, clock });
      }
      if (config.prediction.enabled) {
        const current = context.resolve(FAILURE_PREDICTOR);
        const heapOf = options.heapOf;
        if (heapOf) {
          // Heap samples of isolated plugins; each sample lets the predictor evaluate the trend.
          parts.timer = setInterval(() => {
            for (const plugin of control.list()) {
              const heap = plugin.state === 'active' ? heapOf(plugin.name) : undefined;
              if (heap) current.sampleHeap(plugin.name, heap);
            }
          }, config.prediction.evaluateEveryMs);
          parts.timer.unref();
        }
      }
    },
    async stop() {
      clearInterval(parts.timer);
      await parts.supervisor?.stop();
      for (const disposer of parts.disposers.splice(0)) disposer.dispose();
    },
  });
}
