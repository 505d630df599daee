import { IntegrationError } from '@switchyard/core';
import type { ResponseSchema } from './response-schema';

/** The longest part of an unreadable cursor quoted back in the error. */
const MAXIMUM_QUOTED_CURSOR = 64;

/**
 * Encodes a page position as an opaque cursor (base64url JSON), so callers
 * pass back what they were given and never build one themselves.
 *
 * @example
 * ```ts
 * return { items, nextCursor: encodeCursor({ token: page.NextContinuationToken, skip: 0 }) };
 * ```
 */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Where a cursor came back, for the error an unreadable one raises. */
export interface CursorContext {
  /** The provider id recorded on the error. */
  readonly provider: string;
  /** `capability.operation` the cursor was passed to. */
  readonly operation: string;
}

/**
 * Reads a cursor {@link encodeCursor} issued, checked against the position's
 * schema. Anything else (edited, truncated, from another operation) is a
 * `validation` error raised before any request.
 *
 * @example
 * ```ts
 * const position = decodeCursor(input.cursor, z.object({ page: z.number().int().positive() }), { provider: 'github', operation });
 * ```
 */
export function decodeCursor<T>(cursor: string, schema: ResponseSchema<T>, context: CursorContext): T {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = decoded === undefined ? undefined : schema.safeParse(decoded);
  if (parsed?.success === true) return parsed.data;
  const quoted = cursor.length > MAXIMUM_QUOTED_CURSOR ? `${cursor.slice(0, MAXIMUM_QUOTED_CURSOR)}…` : cursor;
  throw new IntegrationError({
    kind: 'validation',
    message: `${context.provider}: ${context.operation}: unknown cursor "${quoted}": pass back a nextCursor this operation returned`,
    provider: context.provider,
    operation: context.operation,
    isRetryable: false,
  });
}
