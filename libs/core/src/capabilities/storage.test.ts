import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { storageV1 } from './storage';

const { operations } = storageV1;

/** The distinct paths of the issues a schema reports for `input`, joined with dots. */
function issuePaths(schema: z.ZodType, input: unknown): string[] {
  const paths = (schema.safeParse(input).error?.issues ?? []).map((issue) => issue.path.map(String).join('.'));
  return [...new Set(paths)];
}

const location = { bucket: 'acme-uploads', key: 'reports/2025/q1.csv' };

describe('storage v1 inputs', () => {
  it('parses a put with defaults applied', () => {
    expect(operations.putObject.input.parse({ ...location, body: 'a,b\n1,2' })).toEqual({
      ...location,
      body: 'a,b\n1,2',
      encoding: 'utf8',
    });
  });

  it('accepts the bucket names S3, GCS and Azure share', () => {
    for (const bucket of ['abc', 'acme-uploads', 'logs.acme.example', '123', 'a'.repeat(63)]) {
      expect(issuePaths(operations.headObject.input, { bucket, key: 'k' }), bucket).toEqual([]);
    }
  });

  it.each([
    ['too short', 'ab'],
    ['too long', 'a'.repeat(64)],
    ['uppercase', 'Acme-Uploads'],
    ['underscore', 'acme_uploads'],
    ['leading hyphen', '-acme'],
    ['trailing dot', 'acme.'],
    ['double dot', 'acme..uploads'],
    ['dot next to hyphen', 'acme.-uploads'],
    ['IP address', '192.168.1.1'],
  ])('rejects a bucket name that is %s', (_problem, bucket) => {
    expect(issuePaths(operations.headObject.input, { bucket, key: 'k' })).toContain('bucket');
  });

  it('accepts keys with slashes, spaces, a leading slash and non-ASCII text', () => {
    for (const key of ['a', '/leading/slash', 'folder/with space/ünïcødé ✓.txt', 'x'.repeat(1024)]) {
      expect(issuePaths(operations.getObject.input, { bucket: 'acme', key }), key.slice(0, 20)).toEqual([]);
    }
  });

  it.each([
    ['empty', ''],
    ['longer than 1024 characters', 'x'.repeat(1025)],
    ['longer than 1024 UTF-8 bytes', 'é'.repeat(513)],
    ['holding a line break', 'a\nb'],
    ['a dot', '.'],
    ['two dots', '..'],
  ])('rejects a key that is %s', (_problem, key) => {
    expect(issuePaths(operations.getObject.input, { bucket: 'acme', key })).toContain('key');
  });

  it('accepts base64 bodies and rejects bodies that are not base64 when encoding says so', () => {
    expect(issuePaths(operations.putObject.input, { ...location, body: 'AAEC/w==', encoding: 'base64' })).toEqual([]);
    expect(issuePaths(operations.putObject.input, { ...location, body: 'not base64!', encoding: 'base64' })).toEqual(['body']);
    expect(issuePaths(operations.putObject.input, { ...location, body: 'not base64!' })).toEqual([]);
    expect(issuePaths(operations.putObject.input, { ...location, body: 'x', encoding: 'hex' })).toEqual(['encoding']);
  });

  it('checks content types and metadata names', () => {
    const put = (extra: object) => issuePaths(operations.putObject.input, { ...location, body: '', ...extra });
    expect(put({ contentType: 'application/json; charset=utf-8', metadata: { owner: 'billing', build_id: '7' } })).toEqual([]);
    expect(put({ metadata: { 'build-id': '7' } })).toEqual(['metadata.build-id']);
    expect(put({ metadata: { '2fa': 'on' } })).toEqual(['metadata.2fa']);
    expect(put({ contentType: 'json' })).toEqual(['contentType']);
    expect(put({ metadata: { Owner: 'billing' } })).toEqual(['metadata.Owner']);
    expect(put({ metadata: { owner: 'two\nlines' } })).toEqual(['metadata.owner']);
  });

  it('rejects unknown fields so typos do not pass silently', () => {
    expect(issuePaths(operations.putObject.input, { ...location, body: '', contentTyp: 'text/plain' })).toEqual(['']);
  });

  it('bounds list limits to 1–1000 and defaults to 1000', () => {
    expect(operations.listObjects.input.parse({ bucket: 'acme' }).limit).toBe(1000);
    expect(issuePaths(operations.listObjects.input, { bucket: 'acme', limit: 1000 })).toEqual([]);
    for (const limit of [0, 1001, 2.5, -1]) {
      expect(issuePaths(operations.listObjects.input, { bucket: 'acme', limit }), String(limit)).toEqual(['limit']);
    }
    expect(issuePaths(operations.listObjects.input, { bucket: 'acme', cursor: '' })).toEqual(['cursor']);
  });

  it('bounds deleteObjects to 1–1000 valid keys', () => {
    expect(issuePaths(operations.deleteObjects.input, { bucket: 'acme', keys: [] })).toEqual(['keys']);
    expect(issuePaths(operations.deleteObjects.input, { bucket: 'acme', keys: Array(1001).fill('k') })).toEqual(['keys']);
    expect(issuePaths(operations.deleteObjects.input, { bucket: 'acme', keys: ['ok', ''] })).toEqual(['keys.1']);
  });

  it('names the side of a copy that is wrong', () => {
    expect(
      issuePaths(operations.copyObject.input, { source: { bucket: 'Bad', key: 'a' }, destination: { bucket: 'acme', key: '' } }),
    ).toEqual(['source.bucket', 'destination.key']);
  });

  it('defaults presigned URLs to GET for an hour and bounds them to 7 days', () => {
    expect(operations.presignUrl.input.parse(location)).toMatchObject({ method: 'GET', expiresInSeconds: 3600 });
    expect(issuePaths(operations.presignUrl.input, { ...location, expiresInSeconds: 604_800, method: 'PUT' })).toEqual([]);
    expect(issuePaths(operations.presignUrl.input, { ...location, expiresInSeconds: 0 })).toEqual(['expiresInSeconds']);
    expect(issuePaths(operations.presignUrl.input, { ...location, expiresInSeconds: 604_801 })).toEqual(['expiresInSeconds']);
    expect(issuePaths(operations.presignUrl.input, { ...location, method: 'DELETE' })).toEqual(['method']);
  });
});

describe('storage v1 outputs', () => {
  const info = {
    bucket: 'acme',
    key: 'a.txt',
    size: 3,
    etag: 'abc',
    contentType: 'text/plain',
    lastModified: '2025-01-31T09:30:00.000Z',
    metadata: {},
  };

  it('accepts a well-formed object description', () => {
    expect(operations.headObject.output.parse(info)).toEqual(info);
    expect(operations.getObject.output.parse({ ...info, body: 'abc', encoding: 'utf8' })).toMatchObject({ body: 'abc' });
  });

  it('rejects negative sizes, non-ISO timestamps and missing etags', () => {
    expect(issuePaths(operations.headObject.output, { ...info, size: -1 })).toEqual(['size']);
    expect(issuePaths(operations.headObject.output, { ...info, lastModified: 'Fri, 31 Jan 2025 09:30:00 GMT' })).toEqual(['lastModified']);
    expect(issuePaths(operations.headObject.output, { ...info, etag: '' })).toEqual(['etag']);
  });

  it('requires list pages to carry objects and allows no empty cursor', () => {
    expect(operations.listObjects.output.parse({ objects: [] })).toEqual({ objects: [] });
    expect(issuePaths(operations.listObjects.output, { objects: [], nextCursor: '' })).toEqual(['nextCursor']);
  });

  it('requires presigned URLs to be http(s) URLs', () => {
    const presigned = { url: 'https://acme.s3.amazonaws.com/a.txt?X-Amz-Expires=60', method: 'GET', expiresAt: info.lastModified };
    expect(issuePaths(operations.presignUrl.output, presigned)).toEqual([]);
    expect(issuePaths(operations.presignUrl.output, { ...presigned, url: 'file:///etc/passwd' })).toEqual(['url']);
  });
});

describe('storage v1 hints', () => {
  it.each([
    ['getObject', { readOnly: true, destructive: false, idempotent: true }],
    ['headObject', { readOnly: true, destructive: false, idempotent: true }],
    ['listObjects', { readOnly: true, destructive: false, idempotent: true }],
    ['presignUrl', { readOnly: true, destructive: false, idempotent: true }],
    ['putObject', { readOnly: false, destructive: true, idempotent: true }],
    ['deleteObject', { readOnly: false, destructive: true, idempotent: true }],
    ['deleteObjects', { readOnly: false, destructive: true, idempotent: true }],
    ['copyObject', { readOnly: false, destructive: true, idempotent: true }],
    ['createBucket', { readOnly: false, destructive: false, idempotent: false }],
    ['deleteBucket', { readOnly: false, destructive: true, idempotent: false }],
  ] as const)('%s is %o', (name, hints) => {
    expect(operations[name].hints).toEqual(hints);
  });
});
