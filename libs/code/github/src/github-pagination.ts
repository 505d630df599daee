import { decodeCursor, encodeCursor, nextLinkFromHeader, type HttpResponseHeaders } from '@switchyard/http';
import { z } from 'zod';
import { githubErrors } from './github-error';

/** Where a page starts: GitHub's `page` and the `per_page` the first page was asked with. */
const pagePositionSchema = z.object({ page: z.number().int().min(1), perPage: z.number().int().min(1) });
export type PagePosition = z.output<typeof pagePositionSchema>;

/**
 * The page to ask for: the first one with `per_page = limit`, or the one a
 * cursor names. A cursor keeps its page size, so a later, smaller `limit`
 * cannot be honoured and fails with `validation`.
 */
export function pagePosition(cursor: string | undefined, limit: number, operation: string): PagePosition {
  if (cursor === undefined) return { page: 1, perPage: limit };
  const position = decodeCursor(cursor, pagePositionSchema, { provider: githubErrors.provider, operation });
  if (position.perPage > limit)
    throw githubErrors.invalidInput(operation, `the cursor was issued for pages of ${position.perPage}; pass a limit of at least that`);
  return position;
}

/** Whether GitHub's `Link` header has `rel="next"`. */
export function hasNextPage(headers: HttpResponseHeaders): boolean {
  return nextLinkFromHeader(headers.link) !== undefined;
}

/** The cursor for the page after `position`, when there is one. */
export function nextCursor(headers: HttpResponseHeaders, position: PagePosition): string | undefined {
  return hasNextPage(headers) ? encodeCursor({ page: position.page + 1, perPage: position.perPage }) : undefined;
}

/** Splits "owner/name" into Octokit's path parameters. */
export function ownerAndRepository(repository: string): { owner: string; repo: string } {
  const slash = repository.indexOf('/');
  if (slash <= 0 || slash === repository.length - 1 || repository.indexOf('/', slash + 1) !== -1) {
    throw githubErrors.create({ kind: 'validation', message: `"${repository}" is not "owner/name"`, isRetryable: false });
  }
  return { owner: repository.slice(0, slash), repo: repository.slice(slash + 1) };
}
