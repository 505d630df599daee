import type { MessageBlock } from '@switchyard/core';

/** A Block Kit block as `chat.postMessage` takes it. */
export type SlackBlock = Readonly<Record<string, unknown>>;

const plainText = (text: string) => ({ type: 'plain_text', text, emoji: true });

/**
 * Maps the messaging contract's blocks to Slack Block Kit: `section` → a
 * section with `mrkdwn` text, `divider` → divider, `context` → a context
 * block of `mrkdwn` elements, `actions` → an actions block of buttons (the
 * button's `value` comes back in `block_actions`; `url` makes it a link
 * button). Buttons get `action_id`s `button-<n>` (unique within the block, as
 * Slack requires). The message `text` is always sent alongside as the
 * fallback for notifications and clients that cannot show blocks.
 */
export function toBlockKit(blocks: readonly MessageBlock[]): SlackBlock[] {
  return blocks.map((block) => {
    switch (block.type) {
      case 'section':
        return { type: 'section', text: { type: 'mrkdwn', text: block.text } };
      case 'divider':
        return { type: 'divider' };
      case 'context':
        return { type: 'context', elements: block.elements.map((text) => ({ type: 'mrkdwn', text })) };
      case 'actions':
        return {
          type: 'actions',
          elements: block.buttons.map((button, index) => ({
            type: 'button',
            action_id: `button-${index}`,
            text: plainText(button.text),
            value: button.value,
            ...(button.url === undefined ? {} : { url: button.url }),
          })),
        };
    }
  });
}
