import { z } from 'zod';

/**
 * An opaque pagination cursor: pass a list operation's `nextCursor` back
 * unchanged to get the next page. Only the provider that issued it can read it.
 */
export const pageCursorSchema = z
  .string()
  .min(1, 'must not be empty')
  .describe('Opaque cursor from the previous page’s `nextCursor`; omit for the first page.');

/**
 * How many items one page of a list operation may hold: an integer from 1 to
 * `maximum`, `defaultLimit` when omitted. A provider may return fewer (and
 * still a `nextCursor`); it never returns more.
 */
export function pageLimitSchema(maximum: number, defaultLimit: number) {
  return z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(maximum, `must be at most ${maximum}`)
    .default(defaultLimit)
    .describe(`Most items to return on this page (1–${maximum}); default ${defaultLimit}.`);
}

/**
 * A point in time in outputs: an ISO 8601 UTC timestamp such as
 * `2025-01-31T09:30:00.000Z` (what `Date.prototype.toISOString` produces).
 * Providers convert their own formats (Slack `ts`, epoch seconds, offsets) to it.
 */
export const timestampSchema = z.iso.datetime({ error: 'must be an ISO 8601 UTC timestamp, e.g. 2025-01-31T09:30:00.000Z' });
