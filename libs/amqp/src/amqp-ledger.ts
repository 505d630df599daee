import { createHash } from 'node:crypto';
import { IntegrationError } from '@switchyard/core';
import type { JsonObject, Store } from '@switchyard/platform';
import type { AmqpResultEvent } from './amqp-messages';

/** The data-record entity the worker keeps one record of per command. */
export const COMMAND_ENTITY = 'amqp-command';

/**
 * Where a command got to:
 * - `running`: claimed, the tool was called (or is being called);
 * - `done`: the result event is stored but not known to be published;
 * - `published`: the broker confirmed the result event.
 */
export type CommandEntry =
  { readonly state: 'running' } | { readonly state: 'done' | 'published'; readonly event: AmqpResultEvent; readonly deadLetter: boolean };

/** Data-record external ids are at most 255 characters; longer message ids are hashed. */
function externalId(messageId: string): string {
  return messageId.length <= 255 ? messageId : `sha256:${createHash('sha256').update(messageId).digest('hex')}`;
}

function isNotFound(error: unknown): boolean {
  return IntegrationError.isInstance(error) && error.kind === 'not_found';
}

/** The worker's dedupe records in the platform store, under the integration named after the worker. */
export class CommandLedger {
  private readonly store: Pick<Store, 'integrations' | 'records'>;
  private readonly integrationId: string;

  constructor(store: Pick<Store, 'integrations' | 'records'>, integrationId: string) {
    this.store = store;
    this.integrationId = integrationId;
  }

  /** Creates the integration the records belong to, unless it exists. */
  async prepare(): Promise<void> {
    try {
      await this.store.integrations.get(this.integrationId);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.store.integrations
        .create({ id: this.integrationId, providerId: 'amqp', name: this.integrationId })
        .catch((createError: unknown) => {
          if (!(IntegrationError.isInstance(createError) && createError.kind === 'conflict')) throw createError;
        });
    }
  }

  /**
   * Claims a command: `first` when this call created its record (the upsert
   * is atomic in every store, so of two racing workers one wins), otherwise
   * the entry as stored.
   */
  async claim(messageId: string): Promise<{ readonly first: true } | { readonly first: false; readonly entry: CommandEntry }> {
    const existing = await this.read(messageId);
    if (existing !== undefined) return { first: false, entry: existing };
    const { outcome, record } = await this.store.records.upsert({
      integrationId: this.integrationId,
      entity: COMMAND_ENTITY,
      externalId: externalId(messageId),
      data: { state: 'running' },
    });
    return outcome === 'created' ? { first: true } : { first: false, entry: record.data as unknown as CommandEntry };
  }

  /** Stores where a command got to. */
  async save(messageId: string, entry: CommandEntry): Promise<void> {
    await this.store.records.upsert({
      integrationId: this.integrationId,
      entity: COMMAND_ENTITY,
      externalId: externalId(messageId),
      data: entry as unknown as JsonObject,
    });
  }

  private async read(messageId: string): Promise<CommandEntry | undefined> {
    try {
      const record = await this.store.records.get(this.integrationId, COMMAND_ENTITY, externalId(messageId));
      return record.data as unknown as CommandEntry;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
