import type { MessageBlock } from '@switchyard/core';
import { telegramErrors } from './telegram-errors';
import type { TelegramParseMode } from './telegram-settings';

/** The text fields of a sendMessage / editMessageText request. */
export interface TelegramMessageContent {
  readonly text: string;
  readonly parse_mode?: 'HTML' | 'MarkdownV2';
  readonly reply_markup?: { readonly inline_keyboard: readonly (readonly TelegramButton[])[] };
}

type TelegramButton = { readonly text: string; readonly url: string } | { readonly text: string; readonly callback_data: string };

/** Telegram's limit on `callback_data`, in bytes (not characters). */
const MAXIMUM_CALLBACK_DATA_BYTES = 64;

const MARKDOWN_V2_SPECIAL = /[_*[\]()~`>#+\-=|{}.!\\]/g;

/**
 * Escapes plain text so Telegram shows it literally in `mode`: HTML escapes
 * `&`, `<` and `>`; MarkdownV2 puts a backslash before each of
 * `_*[]()~\`>#+-=|{}.!` and `\`; `none` leaves it alone.
 */
export function escapeText(text: string, mode: TelegramParseMode): string {
  if (mode === 'HTML') return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (mode === 'MarkdownV2') return text.replace(MARKDOWN_V2_SPECIAL, (character) => `\\${character}`);
  return text;
}

function italic(text: string, mode: TelegramParseMode): string {
  if (mode === 'HTML') return `<i>${escapeText(text, mode)}</i>`;
  if (mode === 'MarkdownV2') return `_${escapeText(text, mode)}_`;
  return text;
}

function button(entry: { readonly text: string; readonly value: string; readonly url?: string | undefined }): TelegramButton {
  if (entry.url !== undefined) return { text: entry.text, url: entry.url };
  if (Buffer.byteLength(entry.value, 'utf8') > MAXIMUM_CALLBACK_DATA_BYTES) {
    throw telegramErrors.create({
      kind: 'validation',
      message: `button "${entry.text}": value must be at most ${MAXIMUM_CALLBACK_DATA_BYTES} bytes in UTF-8 (Telegram's callback_data limit)`,
      isRetryable: false,
    });
  }
  return { text: entry.text, callback_data: entry.value };
}

/**
 * Renders a message for Telegram. Without blocks the text is sent, escaped
 * for the parse mode. With blocks, `section`s become paragraphs, `divider` a
 * line, `context` italic small print joined with " · ", and each `actions`
 * block one row of the inline keyboard (URL buttons open `url`, the others
 * send `value` back as `callback_data`); when no block carries text, the
 * plain `text` is the body.
 */
export function renderMessage(text: string, blocks: readonly MessageBlock[] | undefined, mode: TelegramParseMode): TelegramMessageContent {
  const paragraphs: string[] = [];
  const rows: TelegramButton[][] = [];
  for (const block of blocks ?? []) {
    if (block.type === 'section') paragraphs.push(escapeText(block.text, mode));
    else if (block.type === 'divider') paragraphs.push('——————');
    else if (block.type === 'context') paragraphs.push(italic(block.elements.join(' · '), mode));
    else rows.push(block.buttons.map(button));
  }
  const body = paragraphs.length > 0 ? paragraphs.join('\n\n') : escapeText(text, mode);
  return {
    text: body,
    ...(mode === 'none' ? {} : { parse_mode: mode }),
    ...(rows.length > 0 ? { reply_markup: { inline_keyboard: rows } } : {}),
  };
}
