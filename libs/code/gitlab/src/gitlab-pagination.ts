import { decodeCursor, encodeCursor, type HttpResponse } from '@switchyard/http';
import { z } from 'zod';
import { errors } from './gitlab-errors';

// GitLab's offset pagination (`page`, `per_page`, `X-Next-Page`), the page carried in the kit's opaque cursor.

const pagePosition = z.object({ page: z.int().positive() });

/** The page after this response (`X-Next-Page`), undefined on the last page. */
export function nextPage(response: HttpResponse<unknown>): number | undefined {
  const header = response.headers['x-next-page'];
  const next = Array.isArray(header) ? header[0] : header;
  return next !== undefined && /^[1-9]\d*$/.test(next) ? Number(next) : undefined;
}

/** The opaque `nextCursor` for the page after this response; undefined on the last page. */
export function nextPageCursor(response: HttpResponse<unknown>): string | undefined {
  const page = nextPage(response);
  return page === undefined ? undefined : encodeCursor({ page });
}

/** The `page` a cursor from {@link nextPageCursor} points at (1 without one); anything else is `validation` before any request. */
export function pageFromCursor(cursor: string | undefined, operation: string): number {
  return cursor === undefined ? 1 : decodeCursor(cursor, pagePosition, { provider: errors.provider, operation }).page;
}
