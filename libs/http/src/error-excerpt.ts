import { redactText, type RedactionSecrets } from '@switchyard/core';

/** The longest excerpt of a service's own text quoted in an error message, before the `…`. */
export const MAXIMUM_EXCERPT_LENGTH = 200;

/** Options of {@link redactedExcerpt}. */
export interface RedactedExcerptOptions {
  /** The secrets to redact before the text is cut: the provider's set, and a request's own auth values. Default: core's patterns only. */
  readonly secrets?: RedactionSecrets;
  /** Keep only the first line (of the redacted text). Default `false`: every line, joined with spaces. */
  readonly firstLine?: boolean | undefined;
  /** The longest excerpt kept, before the `…`. Default 200. */
  readonly maximumLength?: number | undefined;
}

/**
 * A service's text made safe to quote in an error message, in this order:
 * secrets redacted from the whole text (a value cut in half no longer
 * matches, so redaction always comes first), whitespace runs collapsed to one
 * space, then shortened to `maximumLength` characters plus `…` at a word
 * boundary. A cut never ends inside a word: the word it would split is
 * dropped whole, since it could be a secret redaction did not recognize,
 * and a first word longer than the limit leaves an empty excerpt. So no run
 * of a secret the redaction knows, and no cut-off part of any other
 * whitespace-free secret, reaches the message (docs/errors.md, "Secrets").
 *
 * @example
 * ```ts
 * const quoted = redactedExcerpt(sdkError.message, { secrets, firstLine: true });
 * ```
 */
export function redactedExcerpt(text: string, options: RedactedExcerptOptions = {}): string {
  const maximumLength = options.maximumLength ?? MAXIMUM_EXCERPT_LENGTH;
  let redacted = redactText(text, options.secrets);
  if (options.firstLine === true) redacted = redacted.trimStart().split('\n')[0] ?? '';
  const oneLine = redacted.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= maximumLength) return oneLine;
  // `oneLine[maximumLength]` is a space when the cut falls between words; else the word it splits goes too.
  const boundary = oneLine.lastIndexOf(' ', maximumLength);
  const kept = boundary <= 0 ? '' : oneLine.slice(0, boundary).trimEnd();
  return kept === '' ? '' : `${kept}…`;
}
