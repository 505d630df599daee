/** Secret values shorter than this are not kept: redacting them would mangle ordinary text. */
const MINIMUM_SECRET_LENGTH = 6;

/** Default of {@link SecretSetOptions.maxSecrets}. */
const DEFAULT_MAX_SECRETS = 10_000;

/** Options of {@link SecretSet}. */
export interface SecretSetOptions {
  /**
   * The most values kept at once; past it the least recently set slot is
   * dropped, so memory stays bounded whatever a long-running host does.
   * Default 10 000 — far above what one provider holds (its keys, plus one
   * live token per installation or integration; replaced tokens do not
   * count). A value dropped this way is no longer redacted, so an owner that
   * holds more live secrets than that must raise it (the vault sets no
   * bound: it holds one value per stored credential, never more).
   */
  readonly maxSecrets?: number | undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The secrets one owner knows — a provider, the HTTP client of one provider,
 * the credential vault — so that errors, events and logs it produces can be
 * redacted. A hub redacts with the sets of its own providers (and its
 * vault), never with another hub's: there is no process-wide list.
 *
 * Values live in slots. `add(value)` keeps a value that does not change (an
 * API key); `set(slot, value)` keeps the current value of something that is
 * replaced (an installation token, an OAuth2 access token): the previous
 * value is dropped, since nothing can leak it any more. The set holds at
 * most `maxSecrets` values. The values are private fields: the set prints,
 * serializes and inspects as empty.
 *
 * @example
 * ```ts
 * const secrets = new SecretSet();
 * secrets.add(settings.token);
 * secrets.set(`installation:${id}`, installationToken); // replaces the token before it
 * secrets.addPattern(/\bghp_[A-Za-z0-9]{20,}\b/g);        // the service's token format
 * secrets.addSensitiveKey('x-hub-signature-256');       // a header whose value is always hidden
 * ```
 */
export class SecretSet {
  readonly #values = new Map<string, string>();
  readonly #patterns: RegExp[] = [];
  readonly #sensitiveKeys = new Set<string>();
  readonly #maxSecrets: number;
  /** The values as one regex, longest first; `undefined` when stale, `null` when there are none. */
  #compiled: RegExp | null | undefined = null;

  constructor(options: SecretSetOptions = {}) {
    const maxSecrets = options.maxSecrets ?? DEFAULT_MAX_SECRETS;
    if (!Number.isInteger(maxSecrets) || maxSecrets < 1) throw new RangeError('maxSecrets must be a whole number >= 1');
    this.#maxSecrets = maxSecrets;
  }

  /** How many values the set holds now. */
  get size(): number {
    return this.#values.size;
  }

  /** Keeps a value that does not change. Empty, missing and short (< 6 characters) values are ignored. */
  add(value: string | undefined | null): void {
    if (typeof value === 'string') this.set(`value:${value}`, value);
  }

  /**
   * Keeps `value` as the current value of `slot`, dropping the one it
   * replaces; `undefined` empties the slot. Short values are ignored (the
   * slot is emptied).
   */
  set(slot: string, value: string | undefined | null): void {
    const previous = this.#values.get(slot);
    if (previous !== undefined) this.#values.delete(slot);
    if (typeof value !== 'string' || value.length < MINIMUM_SECRET_LENGTH) {
      if (previous !== undefined) this.#compiled = undefined;
      return;
    }
    this.#values.set(slot, value);
    if (previous !== value) this.#compiled = undefined;
    if (this.#values.size > this.#maxSecrets) {
      const oldest = this.#values.keys().next().value as string;
      this.#values.delete(oldest);
    }
  }

  /** Empties a slot. */
  delete(slot: string): void {
    if (this.#values.delete(slot)) this.#compiled = undefined;
  }

  /** A pattern for secrets of a known shape, e.g. a service's token prefix. Must have the `g` flag; matches become `[REDACTED]`. */
  addPattern(pattern: RegExp): void {
    if (!pattern.global) throw new TypeError(`secret pattern ${String(pattern)} needs the g flag`);
    this.#patterns.push(pattern);
  }

  /** An object key (such as a signature header) whose value is always redacted. Case-insensitive. */
  addSensitiveKey(key: string): void {
    this.#sensitiveKeys.add(key.toLowerCase());
  }

  /** Whether `key` was added with {@link addSensitiveKey}. */
  isSensitiveKey(key: string): boolean {
    return this.#sensitiveKeys.size > 0 && this.#sensitiveKeys.has(key.toLowerCase());
  }

  /** `text` with this set's values and patterns replaced by `replacement`. Used by `redactText`. */
  redactKnown(text: string, replacement: string): string {
    let result = text;
    const values = this.#pattern();
    if (values !== null) result = result.replace(values, replacement);
    for (const pattern of this.#patterns) result = result.replace(pattern, replacement);
    return result;
  }

  /** Prints as `SecretSet { size: n }`, never the values. */
  toJSON(): { readonly size: number } {
    return { size: this.size };
  }

  #pattern(): RegExp | null {
    if (this.#compiled === undefined) {
      const alternatives = [...new Set(this.#values.values())].sort((left, right) => right.length - left.length).map(escapeRegExp);
      this.#compiled = alternatives.length === 0 ? null : new RegExp(alternatives.join('|'), 'g');
    }
    return this.#compiled;
  }
}
