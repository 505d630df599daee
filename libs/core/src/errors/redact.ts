import { SecretSet } from './secret-set';

export { SecretSet, type SecretSetOptions } from './secret-set';

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/** Object keys whose values are always redacted, whatever they hold. Providers add their own header names to their `SecretSet`. */
const SENSITIVE_KEY =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|access[-_]?token|refresh[-_]?token|id[-_]?token|client[-_]?secret|secret|password|passphrase|private[-_]?key|token|signature|sig|credentials?)$/i;

/**
 * Patterns that carry secrets inside free text whatever the service: auth
 * schemes, URL credentials and query tokens, key=value pairs. A service's
 * own token formats (`ghp_…`, `xoxb-…`) are its provider's patterns.
 */
const TEXT_PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`],
  // "token ghp_…" and "Bot 123:ABC…" are credentials; "token request" and "token endpoint" are prose: require a digit.
  [/\b(Token|Bot|token)\s+(?=[A-Za-z0-9._~+/:=-]*\d)[A-Za-z0-9._~+/:=-]{6,}/g, `$1 ${REDACTED}`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`],
  [
    /([?&;](?:access_token|refresh_token|id_token|token|api_key|apikey|key|client_secret|secret|password|sig|signature|X-Amz-Signature|X-Amz-Credential|X-Goog-Signature|X-Goog-Credential|code)=)[^&#\s"']+/gi,
    `$1${REDACTED}`,
  ],
  [/\b((?:access_token|refresh_token|client_secret|api_key|apikey|password|secret)["']?\s*[:=]\s*["']?)[^"'\s,&}]{4,}/gi, `$1${REDACTED}`],
];

/** Where redaction looks for known secrets: one set, several (a hub's providers'), or none (patterns only). */
export type RedactionSecrets = SecretSet | readonly SecretSet[] | undefined;

function setsOf(source: RedactionSecrets): readonly SecretSet[] {
  if (source === undefined) return [];
  return source instanceof SecretSet ? [source] : source;
}

/**
 * Redacts secrets from a string: the values and patterns of `secrets` (a
 * provider's, or every provider's of a hub), then auth schemes, URL
 * credentials and token parameters. There is no process-wide list of
 * secrets: what one hub knows never redacts (or leaks into) another's text.
 */
export function redactText(text: string, secrets?: RedactionSecrets): string {
  let result = text;
  for (const set of setsOf(secrets)) result = set.redactKnown(result, REDACTED);
  for (const [pattern, replacement] of TEXT_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/**
 * Returns a copy of `value` that is safe to log, emit or attach to an error:
 * strings are passed through {@link redactText}, values under sensitive keys
 * (`authorization`, `password`, `token`, ... and the header names of
 * `secrets`) become `[REDACTED]`, and errors become plain objects with
 * redacted `name`, `message` and `cause`. Cycles and depth beyond 8 are cut.
 * The input is never modified.
 */
export function redact<T>(value: T, secrets?: RedactionSecrets): T {
  const sets = setsOf(secrets);
  return redactValue(value, 0, new WeakSet(), sets) as T;
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>, sets: readonly SecretSet[]): unknown {
  if (typeof value === 'string') return redactText(value, sets);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) {
    const copy: Record<string, unknown> = { name: value.name, message: redactText(value.message, sets) };
    if (value.cause !== undefined) copy.cause = redactValue(value.cause, depth + 1, seen, sets);
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen, sets));
  if (value instanceof Map) {
    return new Map([...value].map(([key, item]) => [key, redactEntry(String(key), item, depth, seen, sets)]));
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = redactEntry(key, item, depth, seen, sets);
  return copy;
}

function redactEntry(key: string, item: unknown, depth: number, seen: WeakSet<object>, sets: readonly SecretSet[]): unknown {
  const sensitive = SENSITIVE_KEY.test(key) || sets.some((set) => set.isSensitiveKey(key));
  if (sensitive && item !== undefined && item !== null && item !== '') return REDACTED;
  return redactValue(item, depth + 1, seen, sets);
}
