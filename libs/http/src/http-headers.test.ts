import { describe, expect, it } from 'vitest';
import { normalizeHeaders } from './http-headers';

describe('normalizeHeaders: an SDK error’s headers in undici’s shape', () => {
  it('reads fetch Headers', () => {
    expect(normalizeHeaders(new Headers({ 'Retry-After': '3', 'X-Ms-Error-Code': 'ServerBusy' }))).toEqual({
      'retry-after': '3',
      'x-ms-error-code': 'ServerBusy',
    });
  });

  it('reads anything iterable as [name, value] pairs, like Azure’s HttpHeaders (no forEach, private map)', () => {
    const azureLike = {
      _headersMap: new Map([['retry-after', { name: 'Retry-After', value: '5' }]]),
      *[Symbol.iterator]() {
        yield ['Retry-After', '5'] as const;
      },
    };
    expect(normalizeHeaders(azureLike)).toEqual({ 'retry-after': '5' });
  });

  it('reads toJSON() and plain objects, keeping numbers and arrays, dropping the rest', () => {
    expect(normalizeHeaders({ toJSON: () => ({ 'Retry-After': '1' }) })).toEqual({ 'retry-after': '1' });
    expect(normalizeHeaders({ 'Content-Length': 12, 'Set-Cookie': ['a', 'b'], nested: { a: 1 }, missing: undefined })).toEqual({
      'content-length': '12',
      'set-cookie': ['a', 'b'],
    });
  });

  it('is empty for anything else', () => {
    expect(normalizeHeaders(undefined)).toEqual({});
    expect(normalizeHeaders('retry-after: 1')).toEqual({});
    expect(normalizeHeaders([['retry-after', '1']])).toEqual({});
  });
});
