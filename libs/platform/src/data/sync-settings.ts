import type { RetryPolicy } from '@switchyard/core';
import { z } from 'zod';
import { parseStoreInput } from '../store/store-input';
import type { JsonObject } from '../store/store-records';

const settingsSchema = z
  .object({
    /** Run by itself every `syncInterval`. */
    autoSync: z.boolean().default(false),
    /** Milliseconds between scheduled runs: 1 s to 7 days. */
    syncInterval: z
      .int()
      .min(1_000)
      .max(7 * 86_400_000)
      .default(15 * 60_000),
    /** Records per page and per store transaction. */
    batchSize: z.int().min(1).max(10_000).default(500),
    /** Retries of a page read that failed with a retryable error. */
    retryAttempts: z.int().min(0).max(10).default(3),
    /** A run's time limit, in milliseconds. */
    timeoutMs: z
      .int()
      .min(1_000)
      .max(24 * 3_600_000)
      .default(30 * 60_000),
    /** Run once when the service starts. */
    syncOnStartup: z.boolean().default(false),
  })
  // Absent settings are an empty object, so the defaults above fill every field.
  .prefault({});

/** The seeds' sync settings of an integration (its `settings.sync`), defaults filled in. */
export interface SyncSettings {
  readonly autoSync: boolean;
  readonly syncInterval: number;
  readonly batchSize: number;
  readonly retryAttempts: number;
  readonly timeoutMs: number;
  readonly syncOnStartup: boolean;
  /** The retry policy of page reads that `retryAttempts` makes. */
  readonly retry: RetryPolicy;
}

/** Reads `settings.sync` of an integration; bad values are a `validation` error naming the field. */
export function readSyncSettings(settings: JsonObject): SyncSettings {
  const parsed = parseStoreInput(settingsSchema, settings['sync'] ?? undefined, 'sync.settings');
  return {
    ...parsed,
    retry: Object.freeze({ retries: parsed.retryAttempts, minDelayMs: 200, maxDelayMs: 10_000, factor: 2, jitter: true }),
  };
}
