import { IntegrationError, silentLogger, toIntegrationError, type Logger } from '@switchyard/core';
import type { Store } from '../store/store';

/** What {@link holdSyncLease} takes. */
export interface SyncLeaseOptions {
  readonly store: Store;
  readonly integrationId: string;
  /** Unique per run. */
  readonly owner: string;
  readonly leaseMs: number;
  /** How long to wait for another run to finish. Default: 0 (fail at once). */
  readonly waitMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Names the operation in errors, e.g. `sync.syncIntegration`. */
  readonly operation: string;
  readonly logger?: Logger | undefined;
}

/** A held sync lease. */
export interface SyncLeaseHold {
  /** Renews the lease when a third of it has passed; throws `conflict` when another run has taken it. */
  keep(): Promise<void>;
  /** Stops renewing and gives the lease up. Never throws. */
  release(): Promise<void>;
}

const POLL_MS = 250;

/**
 * Takes an integration's sync lease (one run per integration across every
 * process sharing the store), waiting up to `waitMs` for another run, and
 * keeps it: renewed every third of its life between batches (`keep`) and by
 * a timer while a page is slow to come. Busy is a `conflict` error with
 * `details.busy`.
 */
export async function holdSyncLease(options: SyncLeaseOptions): Promise<SyncLeaseHold> {
  const { store, integrationId, owner, leaseMs, operation } = options;
  const logger = options.logger ?? silentLogger;
  const giveUpAt = Date.now() + (options.waitMs ?? 0);
  while ((await store.sync.acquireLease(integrationId, owner, leaseMs)) === undefined) {
    if (Date.now() >= giveUpAt) {
      const holder = await store.sync.getLease(integrationId);
      throw new IntegrationError({
        kind: 'conflict',
        message: `integration "${integrationId}" is being synced by another run${holder === undefined ? '' : ` (lease until ${holder.expiresAt})`}`,
        operation,
        details: { busy: true },
      });
    }
    options.signal?.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, giveUpAt - Date.now()))));
  }

  let renewedAt = Date.now();
  const due = () => Date.now() - renewedAt >= leaseMs / 3;
  const renew = async (): Promise<boolean> => {
    renewedAt = Date.now();
    return (await store.sync.acquireLease(integrationId, owner, leaseMs)) !== undefined;
  };
  const timer = setInterval(() => {
    if (!due()) return;
    renew().catch((error: unknown) => {
      logger.warn({ integrationId, error: toIntegrationError(error).message }, 'sync: renewing the lease failed');
    });
  }, leaseMs / 6);
  timer.unref();
  return {
    async keep() {
      if (!due() || (await renew())) return;
      throw new IntegrationError({
        kind: 'conflict',
        message: `integration "${integrationId}": another run took the sync lease`,
        operation,
      });
    },
    async release() {
      clearInterval(timer);
      await store.sync.releaseLease(integrationId, owner).catch(() => undefined);
    },
  };
}
