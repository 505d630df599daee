import type { ProviderCallContext } from '@switchyard/core';
import { z } from 'zod';
import { telegramUpdatesSchema } from './telegram-api';
import type { TelegramClient } from './telegram-client';
import type { TelegramCommandEvent, TelegramProviderSettings, TelegramUpdate } from './telegram-settings';

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/;

/** The part of a `message` update a command is read from. */
const commandMessageSchema = z.object({
  message: z.object({ text: z.string(), chat: z.object({ id: z.union([z.number(), z.string()]) }) }),
});

/** The `/command` of a `message` update (`/start`, `/deploy@MyBot 42`), or undefined for anything else. */
export function commandOf(update: unknown): Omit<TelegramCommandEvent, 'update'> | undefined {
  const parsed = commandMessageSchema.safeParse(update);
  if (!parsed.success) return undefined;
  const match = COMMAND.exec(parsed.data.message.text.trim());
  if (match === null) return undefined;
  return { command: (match[1] ?? '').toLowerCase(), argument: (match[2] ?? '').trim(), chatId: String(parsed.data.message.chat.id) };
}

/** What one `getUpdates` poll returns. */
export interface TelegramPollResult {
  readonly updates: TelegramUpdate[];
  /** The offset the next poll sends (highest `update_id` + 1); absent when nothing has been received yet. */
  readonly nextOffset?: number;
  /** How many updates went to a command handler. */
  readonly dispatched: number;
}

/** Options of one poll. */
export interface TelegramPollOptions {
  /** Long-poll for up to this many seconds (Telegram allows up to 50). Default: 0, answer at once. */
  readonly timeoutSeconds?: number | undefined;
  /** At most this many updates (1-100). Default: Telegram's 100. */
  readonly limit?: number | undefined;
}

/**
 * Long polling with offset checkpointing. Each poll sends the offset after
 * the last update handled (which tells Telegram to forget the earlier ones),
 * dispatches `/command` updates to `settings.commands` one by one, and saves
 * the new offset in the checkpoint store (stream `telegram:<botId>:updates`)
 * so a restarted poller resumes there. When a handler throws, the offset is
 * saved up to the update before it and the error is rethrown: that update
 * and the ones after it come again on the next poll (at least once).
 */
export function createUpdatePoller(client: TelegramClient, settings: TelegramProviderSettings) {
  let offset: number | undefined;
  const stream = () => `telegram:${client.botId()}:updates`;

  async function currentOffset(): Promise<number | undefined> {
    if (offset !== undefined || settings.checkpoints === undefined) return offset;
    const saved = await settings.checkpoints.store.checkpoints.get(settings.checkpoints.integrationId, stream());
    const parsed = saved === undefined ? Number.NaN : Number(saved.cursor);
    if (Number.isSafeInteger(parsed)) offset = parsed;
    return offset;
  }

  async function save(next: number): Promise<void> {
    offset = next;
    if (settings.checkpoints !== undefined) {
      await settings.checkpoints.store.checkpoints.put({
        integrationId: settings.checkpoints.integrationId,
        stream: stream(),
        cursor: String(next),
      });
    }
  }

  return {
    async poll(options: TelegramPollOptions, context: ProviderCallContext): Promise<TelegramPollResult> {
      const from = await currentOffset();
      const parameters = {
        ...(from === undefined ? {} : { offset: from }),
        timeout: options.timeoutSeconds ?? 0,
        ...(options.limit === undefined ? {} : { limit: options.limit }),
      };
      const updates = await client.call('getUpdates', parameters, telegramUpdatesSchema, context);
      let dispatched = 0;
      for (const update of updates) {
        const command = commandOf(update);
        const handler = command === undefined ? undefined : settings.commands?.[command.command];
        if (command !== undefined && handler !== undefined) {
          try {
            await handler({ update, ...command });
          } catch (error) {
            await save(update.update_id);
            throw error;
          }
          dispatched += 1;
        }
      }
      const last = updates.reduce((highest, update) => Math.max(highest, update.update_id), -1);
      if (last >= 0) await save(last + 1);
      return { updates, dispatched, ...(offset === undefined ? {} : { nextOffset: offset }) };
    },
  };
}
