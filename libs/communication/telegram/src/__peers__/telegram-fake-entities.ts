/**
 * How the fake reads marked-up text, after the Bot API's formatting rules
 * (https://core.telegram.org/bots/api#formatting-options): it refuses text
 * Telegram would refuse ("can't parse entities") and returns what a user
 * would see, markup removed.
 */

const HTML_TAG = /<\/?(?:b|strong|i|em|u|ins|s|strike|del|code|pre|tg-spoiler|blockquote)>|<a href="[^"<>]*">|<\/a>/g;
const HTML_ENTITY = /&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/g;
const MARKDOWN_V2_RESERVED = new Set(['_', '*', '[', ']', '(', ')', '~', '`', '>', '#', '+', '-', '=', '|', '{', '}', '.', '!']);

function decodeEntity(entity: string): string {
  if (entity === '&lt;') return '<';
  if (entity === '&gt;') return '>';
  if (entity === '&amp;') return '&';
  if (entity === '&quot;') return '"';
  const code = entity.startsWith('&#x') ? Number.parseInt(entity.slice(3, -1), 16) : Number.parseInt(entity.slice(2, -1), 10);
  return String.fromCodePoint(code);
}

/** The visible text, or an error description when Telegram would refuse the markup. */
export function parseEntities(text: string, mode: unknown): { readonly visible: string } | { readonly error: string } {
  if (mode === 'HTML') {
    const withoutTags = text.replace(HTML_TAG, '');
    if (/[<>]/.test(withoutTags)) return { error: "Bad Request: can't parse entities: Unsupported start tag at byte offset 0" };
    if (/&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)/.test(withoutTags))
      return { error: "Bad Request: can't parse entities: Unexpected end of name token at byte offset 0" };
    return { visible: withoutTags.replace(HTML_ENTITY, decodeEntity) };
  }
  if (mode === 'MarkdownV2') {
    let visible = '';
    for (let index = 0; index < text.length; index += 1) {
      const character = text[index] ?? '';
      if (character === '\\') {
        visible += text[index + 1] ?? '';
        index += 1;
      } else if (character === '_' || character === '*') {
        // Formatting delimiters (italic, bold): not shown.
      } else if (MARKDOWN_V2_RESERVED.has(character)) {
        return {
          error: `Bad Request: can't parse entities: Character '${character}' is reserved and must be escaped with the preceding '\\'`,
        };
      } else {
        visible += character;
      }
    }
    return { visible };
  }
  if (mode !== undefined) return { error: `Bad Request: unsupported parse_mode` };
  return { visible: text };
}
