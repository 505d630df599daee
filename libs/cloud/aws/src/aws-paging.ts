import { Buffer } from 'node:buffer';
import { invalidInput } from './aws-error';

/**
 * A list cursor over an AWS token-paged API: the service's token for the page
 * to fetch (EC2 `NextToken`, Lambda `Marker`), and how many items of that
 * page were already returned. A service may answer with more items than
 * asked (EC2 pages by reservation and refuses MaxResults below 5; moto's
 * Lambda ignores MaxItems); the rest come from the same page next time, so
 * no item is lost or repeated while the listing does not change.
 */
export interface PageCursor {
  readonly token?: string | undefined;
  readonly skip: number;
}

function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** Reads a cursor this module issued; anything else is a `validation` error, raised before any request. */
export function decodePageCursor(cursor: string | undefined, operation: string): PageCursor {
  if (cursor === undefined) return { skip: 0 };
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { token?: unknown; skip?: unknown };
    if (typeof parsed.skip === 'number' && Number.isInteger(parsed.skip) && parsed.skip >= 0 && (parsed.token === undefined || typeof parsed.token === 'string')) {
      return { token: parsed.token, skip: parsed.skip };
    }
  } catch {
    // not JSON: fall through to the validation error
  }
  throw invalidInput(operation, `Unknown cursor "${cursor}": pass back a nextCursor this operation returned`);
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
