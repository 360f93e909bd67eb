import { randomUUID } from 'node:crypto';
import { type Disposer, toDisposer } from '@trellis/core';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';

/** The message one instance publishes after applying a change. */
export interface ConfigAnnouncement {
  readonly instanceId: string;
  readonly version: number;
  readonly checksum: string;
  readonly reason: string;
}

/** What happened when an instance heard another's announcement. */
export type ConfigSyncEvent =
  | { readonly type: 'published'; readonly announcement: ConfigAnnouncement }
  | { readonly type: 'publish-failed'; readonly announcement: ConfigAnnouncement; readonly error: string }
  | { readonly type: 'applied'; readonly from: ConfigAnnouncement; readonly version: number }
  | { readonly type: 'in-sync'; readonly from: ConfigAnnouncement }
  | { readonly type: 'rejected'; readonly from: ConfigAnnouncement; readonly error: string }
  | { readonly type: 'diverged'; readonly from: ConfigAnnouncement; readonly checksum: string };

/** Options of {@link startRedisConfigSync}. */
export interface RedisConfigSyncOptions<T = unknown> {
  readonly config: Config<T>;
  /** A connection for PUBLISH. */
  readonly publisher: Redis;
  /** A separate connection for SUBSCRIBE (a subscribed connection cannot publish). */
  readonly subscriber: Redis;
  /** Default `trellis:config`. */
  readonly channel?: string;
  /** Default a random UUID. */
  readonly instanceId?: string;
  /** Hears every publish and every outcome of a remote announcement. */
  readonly onEvent?: (event: ConfigSyncEvent) => void;
}

/**
 * Propagates applied configuration changes between instances over a Redis channel. After a
 * local change (file edit, override, rollback) this instance publishes its version and checksum;
 * the others reload their own sources. An instance whose reload is invalid keeps its current
 * configuration and reports `rejected`; one that ends with a different checksum (its files or
 * overrides differ) reports `diverged`. Remote-triggered reloads are not re-published, so
 * announcements never loop.
 */
export async function startRedisConfigSync<T>(options: RedisConfigSyncOptions<T>): Promise<Disposer> {
  const channel = options.channel ?? 'trellis:config';
  const instanceId = options.instanceId ?? randomUUID();
  const emit = (event: ConfigSyncEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener must not break synchronisation; there is no one else to tell.
    }
  };

  const onMessage = (from: string, text: string) => {
    if (from !== channel) return;
    let announcement: ConfigAnnouncement;
    try {
      announcement = JSON.parse(text) as ConfigAnnouncement;
    } catch {
      return; // not ours
    }
    if (announcement.instanceId === instanceId) return;
    void options.config
      .reload(`remote v${announcement.version} from ${announcement.instanceId}`)
      .then((result) => {
        if (!result.applied && result.reason === 'invalid') {
          emit({ type: 'rejected', from: announcement, error: result.error.message });
        } else if (options.config.checksum !== announcement.checksum) {
          emit({ type: 'diverged', from: announcement, checksum: options.config.checksum });
        } else if (result.applied) {
          emit({ type: 'applied', from: announcement, version: result.version });
        } else {
          emit({ type: 'in-sync', from: announcement });
        }
      });
  };

  options.subscriber.on('message', onMessage);
  try {
    await options.subscriber.subscribe(channel);
  } catch (error) {
    options.subscriber.off('message', onMessage);
    throw error;
  }
  const changes = options.config.onChange((event) => {
    if (event.reason.startsWith('remote ')) return;
    const announcement: ConfigAnnouncement = {
      instanceId,
      version: event.version,
      checksum: options.config.checksum,
      reason: event.reason,
    };
    options.publisher.publish(channel, JSON.stringify(announcement)).then(
      () => emit({ type: 'published', announcement }),
      (error: unknown) =>
        emit({ type: 'publish-failed', announcement, error: String((error as Error)?.message ?? error) }),
    );
  });

  return toDisposer(() => {
    changes.dispose();
    options.subscriber.off('message', onMessage);
    void options.subscriber.unsubscribe(channel).catch(() => undefined);
  });
}
