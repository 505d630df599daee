import { IntegrationError } from '@switchyard/core';
import type { HttpClient, HttpRequestOptions, HttpResponse } from './http-client';

/** Settings every paginator shares. */
export interface PaginationOptions<Page, Item> {
  /** Picks the items out of one page's response. */
  readonly items: (response: HttpResponse<Page>) => readonly Item[];
  /** Stops after this many pages. Default 1 000 (a guard against endless pagination). */
  readonly maxPages?: number | undefined;
}

const DEFAULT_MAX_PAGES = 1_000;

/** Settings of {@link paginateCursor}. */
export interface CursorPaginationOptions<Page, Item> extends PaginationOptions<Page, Item> {
  /** The next page's cursor from a response; `undefined`, `null` or `''` ends the iteration. */
  readonly nextCursor: (response: HttpResponse<Page>) => string | null | undefined;
  /** Query parameter that carries the cursor. Default `cursor`. */
  readonly cursorParameter?: string | undefined;
}

/** Settings of {@link paginateOffset}. */
export interface OffsetPaginationOptions<Page, Item> extends PaginationOptions<Page, Item> {
  /** Items per page, sent as `limitParameter`; a shorter page is the last. */
  readonly pageSize: number;
  /** Query parameter that carries the offset. Default `offset`. */
  readonly offsetParameter?: string | undefined;
  /** Query parameter that carries the page size. Default `limit`. */
  readonly limitParameter?: string | undefined;
  /** Offset of the first page. Default 0. */
  readonly startOffset?: number | undefined;
}

/** The `rel="next"` URL of an RFC 8288 `Link` header, if there is one. */
export function nextLinkFromHeader(link: string | string[] | undefined): string | undefined {
  const value = Array.isArray(link) ? link.join(', ') : link;
  if (value === undefined) return undefined;
  for (const part of value.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>(.*)/.exec(part.trim());
    if (match !== null && /;\s*rel="?(?:[^"]*\s)?next(?:\s[^"]*)?"?/i.test(match[2]!)) return match[1];
  }
  return undefined;
}

/**
 * Yields every item across pages linked by the `Link: <...>; rel="next"`
 * header (GitHub, GitLab). The next URL must stay on the client's origin
 * (credentials never follow a link elsewhere); its path and query replace
 * the request's.
 *
 * @example
 * ```ts
 * for await (const issue of paginateLinkHeader(client, { path: '/repos/o/r/issues', query: { per_page: 100 }, responseSchema }, { items: (response) => response.data })) { ... }
 * ```
 */
export async function* paginateLinkHeader<Page, Item>(
  client: HttpClient,
  request: HttpRequestOptions<Page>,
  options: PaginationOptions<Page, Item>,
): AsyncGenerator<Item, void, undefined> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const base = new URL(client.baseURL);
  let current: HttpRequestOptions<Page> = request;
  for (let page = 0; page < maxPages; page += 1) {
    const response = await client.request(current);
    yield* options.items(response);
    const next = nextLinkFromHeader(response.headers.link);
    if (next === undefined) return;
    const url = new URL(next, base);
    if (url.origin !== base.origin) {
      throw new IntegrationError({
        kind: 'provider',
        message: `${client.provider ?? 'The provider'} sent a next-page link to another origin (${url.origin}); not following it`,
        provider: client.provider,
        isRetryable: false,
      });
    }
    const basePath = base.pathname.endsWith('/') ? base.pathname.slice(0, -1) : base.pathname;
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    current = { ...request, path: `${path}${url.search}`, query: undefined };
  }
}

/**
 * Yields every item across pages chained by a cursor in the response body
 * (Slack's `response_metadata.next_cursor`, Stripe's last id, ...). Stops
 * when there is no next cursor, or the same cursor comes back.
 *
 * @example
 * ```ts
 * paginateCursor(client, { path: '/conversations.list', responseSchema }, { items: (r) => r.data.channels, nextCursor: (r) => r.data.response_metadata?.next_cursor });
 * ```
 */
export async function* paginateCursor<Page, Item>(
  client: HttpClient,
  request: HttpRequestOptions<Page>,
  options: CursorPaginationOptions<Page, Item>,
): AsyncGenerator<Item, void, undefined> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const parameter = options.cursorParameter ?? 'cursor';
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const query = cursor === undefined ? request.query : { ...request.query, [parameter]: cursor };
    const response = await client.request({ ...request, query });
    yield* options.items(response);
    const next = options.nextCursor(response);
    if (next === undefined || next === null || next === '' || next === cursor) return;
    cursor = next;
  }
}

/**
 * Yields every item across pages addressed by offset and limit. A page
 * shorter than `pageSize` (or empty) is the last.
 *
 * @example
 * ```ts
 * paginateOffset(client, { path: '/contacts', responseSchema }, { items: (r) => r.data.results, pageSize: 100 });
 * ```
 */
export async function* paginateOffset<Page, Item>(
  client: HttpClient,
  request: HttpRequestOptions<Page>,
  options: OffsetPaginationOptions<Page, Item>,
): AsyncGenerator<Item, void, undefined> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const offsetParameter = options.offsetParameter ?? 'offset';
  const limitParameter = options.limitParameter ?? 'limit';
  let offset = options.startOffset ?? 0;
  for (let page = 0; page < maxPages; page += 1) {
    const response = await client.request({
      ...request,
      query: { ...request.query, [offsetParameter]: offset, [limitParameter]: options.pageSize },
    });
    const items = options.items(response);
    yield* items;
    if (items.length < options.pageSize) return;
    offset += items.length;
  }
}
