import { IntegrationError } from '@switchyard/core';
import type { GithubHeaders } from './github-client';

/** Where a page starts: GitHub's `page` and the `per_page` the first page was asked with. */
export interface PagePosition {
  readonly page: number;
  readonly perPage: number;
}

/**
 * The page to ask for: the first one with `per_page = limit`, or the one a
 * cursor names. A cursor keeps its page size, so a later, smaller `limit`
 * cannot be honoured and fails with `validation`.
 */
export function pagePosition(cursor: string | undefined, limit: number, operation: string): PagePosition {
  if (cursor === undefined) return { page: 1, perPage: limit };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const position = parsed as Partial<PagePosition> | undefined;
  if (typeof position !== 'object' || position === null || !Number.isInteger(position.page) || !Number.isInteger(position.perPage) || (position.page ?? 0) < 1) {
    throw new IntegrationError({ kind: 'validation', message: `github: ${operation}: the cursor is not one this provider issued`, provider: 'github', operation, isRetryable: false });
  }
  if ((position.perPage ?? 0) > limit) {
    throw new IntegrationError({
      kind: 'validation',
      message: `github: ${operation}: the cursor was issued for pages of ${position.perPage}; pass a limit of at least that`,
      provider: 'github',
      operation,
      isRetryable: false,
    });
  }
  return { page: position.page as number, perPage: position.perPage as number };
}

/** The cursor for the page after `position`, when GitHub's `Link` header has `rel="next"`. */
export function nextCursor(headers: GithubHeaders, position: PagePosition): string | undefined {
  const link = headers.link;
  if (typeof link !== 'string' || !/rel="next"/.test(link)) return undefined;
  return Buffer.from(JSON.stringify({ page: position.page + 1, perPage: position.perPage })).toString('base64url');
}

/** Splits "owner/name" into Octokit's path parameters. */
export function ownerAndRepository(repository: string): { owner: string; repo: string } {
  const slash = repository.indexOf('/');
  if (slash <= 0 || slash === repository.length - 1 || repository.indexOf('/', slash + 1) !== -1) {
    throw new IntegrationError({ kind: 'validation', message: `github: "${repository}" is not "owner/name"`, provider: 'github', isRetryable: false });
  }
  return { owner: repository.slice(0, slash), repo: repository.slice(slash + 1) };
}
