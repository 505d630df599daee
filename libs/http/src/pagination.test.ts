import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFaultServer, type FaultServer } from '@switchyard/testing';
import { createHttpClient, nextLinkFromHeader, paginateCursor, paginateLinkHeader, paginateOffset, type HttpClient } from './index';

const numbers = Array.from({ length: 7 }, (_, index) => index + 1);

describe('pagination', () => {
  let server: FaultServer;
  let client: HttpClient;

  beforeAll(async () => {
    server = await startFaultServer({
      '/api/linked': (request) => {
        const page = Number(request.query.get('page') ?? '1');
        const next =
          page < 3
            ? `<${server.url}/api/linked?page=${page + 1}&per_page=3>; rel="next", <${server.url}/api/linked?page=3>; rel="last"`
            : undefined;
        return { body: numbers.slice((page - 1) * 3, page * 3), headers: next === undefined ? undefined : { link: next } };
      },
      '/api/elsewhere': { body: [1], headers: { link: '<https://evil.example/steal>; rel="next"' } },
      '/api/cursor': (request) => {
        const start = Number(request.query.get('cursor') ?? '0');
        const end = start + 3;
        return { body: { items: numbers.slice(start, end), next: end < numbers.length ? String(end) : null } };
      },
      '/api/offset': (request) => {
        const offset = Number(request.query.get('offset'));
        const limit = Number(request.query.get('limit'));
        return { body: { results: numbers.slice(offset, offset + limit) } };
      },
    });
    client = createHttpClient({ baseURL: `${server.url}/api`, allowPrivateNetwork: true });
  });

  afterAll(async () => {
    await server.close();
  });

  async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
    const items: T[] = [];
    for await (const item of iterator) items.push(item);
    return items;
  }

  it('follows Link rel="next" headers', async () => {
    const items = await collect(
      paginateLinkHeader(
        client,
        { path: '/linked', query: { per_page: 3 }, responseSchema: z.array(z.number()) },
        { items: (response) => response.data },
      ),
    );
    expect(items).toEqual(numbers);
    expect(server.requests.filter((request) => request.pathname === '/api/linked').map((request) => request.path)).toEqual([
      '/api/linked?per_page=3',
      '/api/linked?page=2&per_page=3',
      '/api/linked?page=3&per_page=3',
    ]);
  });

  it('refuses a next link to another origin', async () => {
    const iterator = paginateLinkHeader(
      client,
      { path: '/elsewhere', responseSchema: z.array(z.number()) },
      { items: (response) => response.data },
    );
    await expect(collect(iterator)).rejects.toMatchObject({ kind: 'provider' });
  });

  it('follows a cursor until there is none', async () => {
    const schema = z.object({ items: z.array(z.number()), next: z.string().nullish() });
    const items = await collect(
      paginateCursor(
        client,
        { path: '/cursor', responseSchema: schema },
        { items: (response) => response.data.items, nextCursor: (response) => response.data.next },
      ),
    );
    expect(items).toEqual(numbers);
  });

  it('walks offsets until a short page, and honours maxPages', async () => {
    const schema = z.object({ results: z.array(z.number()) });
    const request = { path: '/offset', responseSchema: schema };
    expect(await collect(paginateOffset(client, request, { items: (response) => response.data.results, pageSize: 3 }))).toEqual(numbers);
    expect(
      await collect(paginateOffset(client, request, { items: (response) => response.data.results, pageSize: 2, maxPages: 2 })),
    ).toEqual([1, 2, 3, 4]);
  });

  it('parses Link headers', () => {
    expect(nextLinkFromHeader('<https://a.test/x?page=2>; rel="next", <https://a.test/x?page=9>; rel="last"')).toBe(
      'https://a.test/x?page=2',
    );
    expect(nextLinkFromHeader('<https://a.test/x?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLinkFromHeader(undefined)).toBeUndefined();
  });
});
