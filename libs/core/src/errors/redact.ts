/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/** Secret values shorter than this are not registered: redacting them would mangle ordinary text. */
const MINIMUM_SECRET_LENGTH = 6;

const secrets = new Set<string>();
let secretPattern: RegExp | undefined;

/** Object keys whose values are always redacted, whatever they hold. */
const SENSITIVE_KEY =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|access[-_]?token|refresh[-_]?token|id[-_]?token|client[-_]?secret|secret|password|passphrase|private[-_]?key|token|signature|x-hub-signature(?:-256)?|x-slack-signature|x-twilio-signature|x-telegram-bot-api-secret-token|sig|credentials?)$/i;

/** Patterns that carry secrets inside free text: auth schemes, URL credentials and query tokens, key=value pairs. */
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
  [
    /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk_(?:live|test)_[A-Za-z0-9]{10,}|glpat-[A-Za-z0-9_-]{20,})\b/g,
    REDACTED,
  ],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Registers a secret value (an API key, token, password, signing secret) so
 * that {@link redact} replaces it wherever it appears: in error messages,
 * causes, events and log lines. Providers and the credential vault register
 * every secret they resolve. Values shorter than 6 characters are ignored.
 */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string' || value.length < MINIMUM_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  const alternatives = [...secrets].sort((left, right) => right.length - left.length).map(escapeRegExp);
  secretPattern = new RegExp(alternatives.join('|'), 'g');
}

/** Redacts secrets from a string: registered values, auth schemes, URL credentials and token parameters. */
export function redactText(text: string): string {
  let result = secretPattern === undefined ? text : text.replace(secretPattern, REDACTED);
  for (const [pattern, replacement] of TEXT_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/**
 * Returns a copy of `value` that is safe to log, emit or attach to an error:
 * strings are passed through {@link redactText}, values under sensitive keys
 * (`authorization`, `password`, `token`, ...) become `[REDACTED]`, and errors
 * become plain objects with redacted `name`, `message` and `cause`. Cycles
 * and depth beyond 8 are cut. The input is never modified.
 */
export function redact<T>(value: T): T {
  return redactValue(value, 0, new WeakSet()) as T;
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) {
    const copy: Record<string, unknown> = { name: value.name, message: redactText(value.message) };
    if (value.cause !== undefined) copy.cause = redactValue(value.cause, depth + 1, seen);
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  if (value instanceof Map) {
    return new Map([...value].map(([key, item]) => [key, redactEntry(String(key), item, depth, seen)]));
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = redactEntry(key, item, depth, seen);
  return copy;
}

function redactEntry(key: string, item: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (SENSITIVE_KEY.test(key) && item !== undefined && item !== null && item !== '') return REDACTED;
  return redactValue(item, depth + 1, seen);
}
