import { IntegrationError, type Hub } from '@switchyard/core';
import type { JsonObject } from '../store/store-records';

/** What {@link SyncSource.readPage} is asked for. */
export interface SyncPageRequest {
  /** Where the previous page ended; `undefined` for the first page. */
  readonly cursor: string | undefined;
  /** For incremental streams: only records changed at or after this (the last run's high-water mark). */
  readonly since: string | undefined;
  /** At most this many records. */
  readonly limit: number;
  readonly signal: AbortSignal;
}

/** One page of a {@link SyncSource}. */
export interface SyncPage {
  readonly items: readonly JsonObject[];
  /** Where the next page starts; absent on the last page. */
  readonly nextCursor?: string | undefined;
}

/**
 * Where a stream's records come from, one page at a time. Reading the same
 * cursor again must give the same page (or a newer state of it): a sync that
 * resumes after a crash re-reads the page it had not stored yet.
 */
export interface SyncSource {
  readPage(request: SyncPageRequest): Promise<SyncPage>;
}

/** What the sync needs of a record: its record mapped (or refused), with the rule that failed. */
export interface SyncMappingResult {
  readonly ok: boolean;
  readonly record?: JsonObject | undefined;
  readonly errors?: readonly { readonly field: string; readonly rule: string; readonly message: string }[] | undefined;
}

/** Maps a source record to the stored record: a compiled mapping (`createMappingService(...).compiled(...)`) fits. */
export interface SyncMapping {
  toInternal(external: JsonObject): Promise<SyncMappingResult> | SyncMappingResult;
}

/** One stream of an integration: a source, how to key and map its records, and how to sync it. */
export interface SyncStream {
  /** The checkpoint's name, e.g. `issues`. */
  readonly name: string;
  /** The stored records' entity, e.g. `issue`. Default: the stream's name. */
  readonly entity?: string | undefined;
  readonly source: SyncSource;
  /** The record's id at the provider. Default: its `id` field (a string, or a number as text). */
  readonly externalId?: ((item: JsonObject) => string | undefined) | undefined;
  /**
   * `full`: every run reads everything and deletes the stored records it did
   * not see. `incremental`: a run asks the source for what changed since the
   * last run's high-water mark (`updatedAt`), and deletes nothing unless it
   * is a full run (`{ full: true }`, the first run, or every `fullEvery` runs).
   * Default: `full`.
   */
  readonly mode?: 'full' | 'incremental' | undefined;
  /** For incremental streams: the record's change time, ISO 8601. Default: its `updatedAt` field. */
  readonly updatedAt?: ((item: JsonObject) => string | undefined) | undefined;
  /** For incremental streams: every how many runs to make a full one, so deletions are found. Default: 24. */
  readonly fullEvery?: number | undefined;
  /** Default: records are stored as the source gives them. */
  readonly mapping?: SyncMapping | undefined;
}

/** What {@link hubListSource} reads through. */
export interface HubListSourceOptions {
  readonly hub: Pick<Hub, 'execute'>;
  readonly capability: string;
  /** A list operation taking `cursor` and `limit`, e.g. `searchIssues`. */
  readonly operation: string;
  /** The rest of the operation's input, e.g. `{ project: 'acme/website', state: 'all' }`. */
  readonly input: JsonObject;
  /** The field of the output that holds the page's records, e.g. `issues`. */
  readonly items: string;
  /** The provider to read from (the integration's); the call never fails over to another. */
  readonly provider: string;
  /** The largest `limit` the operation takes. Default: 100. */
  readonly maxLimit?: number | undefined;
}

/**
 * A {@link SyncSource} over a hub list operation that pages with `cursor` and
 * `nextCursor` (as `issues.searchIssues` and `repositories.listCommits` do),
 * pinned to one provider: a sync reads the system it mirrors, never a
 * stand-in.
 */
export function hubListSource(options: HubListSourceOptions): SyncSource {
  const maxLimit = options.maxLimit ?? 100;
  return {
    async readPage({ cursor, limit, signal }) {
      const input = { ...options.input, ...(cursor === undefined ? {} : { cursor }), limit: Math.min(limit, maxLimit) };
      const { value } = await options.hub.execute(
        { capability: options.capability, operation: options.operation, input },
        { only: [options.provider], signal },
      );
      const output = value as Record<string, unknown>;
      const items = output[options.items];
      if (!Array.isArray(items)) {
        throw new IntegrationError({
          kind: 'validation',
          message: `hubListSource: ${options.capability}.${options.operation} returned no "${options.items}" list`,
          operation: `${options.capability}.${options.operation}`,
        });
      }
      const next = output['nextCursor'];
      return { items: items as JsonObject[], nextCursor: typeof next === 'string' ? next : undefined };
    },
  };
}
