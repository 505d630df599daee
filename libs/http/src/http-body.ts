/** A query parameter value: arrays repeat the key; `undefined` and `null` are left out. */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** Query parameters of a request. */
export type QueryParameters = Readonly<Record<string, QueryValue>>;

/** A request body as the client encodes it, and the content type it implies. */
export interface EncodedBody {
  readonly body: string | Uint8Array | undefined;
  readonly contentType: string | undefined;
}

const NO_BODY: EncodedBody = { body: undefined, contentType: undefined };

/**
 * Encodes a request body: a string is sent as `text/plain`, a `Uint8Array`
 * as `application/octet-stream`, `URLSearchParams` as a form
 * (`application/x-www-form-urlencoded`), anything else as JSON. The caller's
 * own `content-type` header wins over the implied one.
 */
export function encodeBody(body: unknown): EncodedBody {
  if (body === undefined) return NO_BODY;
  if (typeof body === 'string') return { body, contentType: 'text/plain; charset=utf-8' };
  if (body instanceof Uint8Array) return { body, contentType: 'application/octet-stream' };
  if (body instanceof URLSearchParams) return { body: body.toString(), contentType: 'application/x-www-form-urlencoded' };
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

/** Appends `query` to `path` (which may already hold a query string), percent-encoding keys and values. */
export function appendQuery(path: string, query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (query === undefined) return path;
  let result = path;
  let separator = path.includes('?') ? '&' : '?';
  for (const key in query) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    const encodedKey = encodeURIComponent(key);
    if (Array.isArray(value)) {
      for (const item of value as readonly (string | number | boolean)[]) {
        result += `${separator}${encodedKey}=${encodeURIComponent(String(item))}`;
        separator = '&';
      }
    } else {
      result += `${separator}${encodedKey}=${encodeURIComponent(String(value))}`;
      separator = '&';
    }
  }
  return result;
}
