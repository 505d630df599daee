import { decodeCursor, encodeCursor } from '@switchyard/http';
import { z } from 'zod';

/**
 * A list cursor over an AWS token-paged API: the service's token for the page
 * to fetch (S3 `ContinuationToken`, EC2 `NextToken`, Lambda `Marker`), and
 * how many items of that page were already returned. A service may answer
 * with more items than asked (EC2 pages by reservation and refuses
 * MaxResults below 5; moto's Lambda ignores MaxItems); the rest come from
 * the same page next time, so no item is lost or repeated while the listing
 * does not change.
 */
const pageCursor = z.object({ token: z.string().optional(), skip: z.number().int().nonnegative() });

export type PageCursor = z.infer<typeof pageCursor>;

/** Reads a cursor {@link pageOf} issued; anything else is a `validation` error, raised before any request. */
export function decodePageCursor(cursor: string | undefined, operation: string): PageCursor {
  return cursor === undefined ? { skip: 0 } : decodeCursor(cursor, pageCursor, { provider: 'aws', operation });
}

/**
 * One page of at most `limit` items from a fetched service page, and the
 * cursor for the next one: the same service page further on while it has
 * items left, else the service's next token, else none (the last page).
 */
export function pageOf<Item>(
  fetched: readonly Item[],
  cursor: PageCursor,
  limit: number,
  nextToken: string | undefined,
): { items: Item[]; nextCursor?: string } {
  const end = cursor.skip + limit;
  const items = fetched.slice(cursor.skip, end);
  if (end < fetched.length) return { items, nextCursor: encodeCursor({ token: cursor.token, skip: end }) };
  return nextToken === undefined || nextToken === '' ? { items } : { items, nextCursor: encodeCursor({ token: nextToken, skip: 0 }) };
}
