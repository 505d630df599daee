import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { type ProviderV1, type StorageOperationInput, type StorageOperationName, type StorageOperationOutput } from '../index';
import { storageV1 } from '../capabilities/index';
import { createMemoryProvider, type MemoryFailure } from './memory-provider';

/** Options for {@link createMemoryStorageProvider}. */
export interface MemoryStorageProviderOptions {
  /** The manifest id. Default: `'memory-storage'`. */
  readonly id?: string;
  /** Buckets that exist from the start, empty. Default: none. */
  readonly buckets?: readonly string[];
}

interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
  readonly etag: string;
  readonly lastModified: string;
}

type Handlers = {
  readonly [Name in StorageOperationName]: (input: StorageOperationInput<Name>, fail: MemoryFailure) => StorageOperationOutput<Name>;
};

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

function decodeBody(body: string, encoding: 'utf8' | 'base64'): Buffer {
  return Buffer.from(body, encoding);
}

function keyCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/**
 * An in-memory `storage` v1 provider that implements every operation the way
 * S3 does: keys listed in UTF-8 byte order, MD5 etags, deleting a missing key
 * succeeds, creating an existing bucket is a `conflict`, deleting a non-empty
 * one too, and missing buckets and objects are `not_found`. Presigned URLs
 * point at `storage.memory.invalid` and are not served. State lives in the
 * returned object, so each call starts empty.
 *
 * @example
 * ```ts
 * testStorageProvider({ create: () => createMemoryStorageProvider() });
 * ```
 */
export function createMemoryStorageProvider(options: MemoryStorageProviderOptions = {}): ProviderV1 {
  const buckets = new Map<string, Map<string, StoredObject>>(
    (options.buckets ?? []).map((bucket) => [bucket, new Map<string, StoredObject>()]),
  );

  function bucketObjects(bucket: string, fail: MemoryFailure): Map<string, StoredObject> {
    return buckets.get(bucket) ?? fail('not_found', `Bucket "${bucket}" does not exist`);
  }

  function storedObject(bucket: string, key: string, fail: MemoryFailure): StoredObject {
    return bucketObjects(bucket, fail).get(key) ?? fail('not_found', `Object "${key}" does not exist in bucket "${bucket}"`);
  }

  function store(bucket: string, key: string, object: Omit<StoredObject, 'etag' | 'lastModified'>, fail: MemoryFailure) {
    const stored: StoredObject = {
      ...object,
      etag: createHash('md5').update(object.body).digest('hex'),
      lastModified: new Date().toISOString(),
    };
    bucketObjects(bucket, fail).set(key, stored);
    return stored;
  }

  function objectInfo(bucket: string, key: string, object: StoredObject) {
    return {
      bucket,
      key,
      size: object.body.byteLength,
      etag: object.etag,
      contentType: object.contentType,
      lastModified: object.lastModified,
      metadata: { ...object.metadata },
    };
  }

  const handlers: Handlers = {
    putObject(input, fail) {
      const stored = store(
        input.bucket,
        input.key,
        {
          body: decodeBody(input.body, input.encoding),
          contentType: input.contentType ?? DEFAULT_CONTENT_TYPE,
          metadata: { ...input.metadata },
        },
        fail,
      );
      return { bucket: input.bucket, key: input.key, etag: stored.etag, size: stored.body.byteLength };
    },
    getObject(input, fail) {
      const object = storedObject(input.bucket, input.key, fail);
      return {
        ...objectInfo(input.bucket, input.key, object),
        body: object.body.toString(input.encoding),
        encoding: input.encoding,
      };
    },
    headObject(input, fail) {
      return objectInfo(input.bucket, input.key, storedObject(input.bucket, input.key, fail));
    },
    listObjects(input, fail) {
      const prefix = input.prefix ?? '';
      const after = input.cursor === undefined ? undefined : Buffer.from(input.cursor, 'base64url').toString('utf8');
      if (input.cursor !== undefined && keyCursor(after ?? '') !== input.cursor) {
        fail('validation', `Unknown cursor "${input.cursor}"`);
      }
      const keys = [...bucketObjects(input.bucket, fail).keys()]
        .filter((key) => key.startsWith(prefix))
        .sort((left, right) => Buffer.compare(Buffer.from(left), Buffer.from(right)))
        .filter((key) => after === undefined || Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0);
      const page = keys.slice(0, input.limit);
      const objects = page.map((key) => {
        const object = storedObject(input.bucket, key, fail);
        return { key, size: object.body.byteLength, etag: object.etag, lastModified: object.lastModified };
      });
      const last = page.at(-1);
      return keys.length > page.length && last !== undefined ? { objects, nextCursor: keyCursor(last) } : { objects };
    },
    deleteObject(input, fail) {
      bucketObjects(input.bucket, fail).delete(input.key);
      return { bucket: input.bucket, key: input.key };
    },
    deleteObjects(input, fail) {
      const objects = bucketObjects(input.bucket, fail);
      const deleted = [...new Set(input.keys)];
      for (const key of deleted) objects.delete(key);
      return { deleted, errors: [] };
    },
    copyObject(input, fail) {
      const source = storedObject(input.source.bucket, input.source.key, fail);
      const { destination } = input;
      const stored = store(destination.bucket, destination.key, source, fail);
      return { bucket: destination.bucket, key: destination.key, etag: stored.etag };
    },
    presignUrl(input) {
      const expiresAt = new Date(Date.now() + input.expiresInSeconds * 1000).toISOString();
      const url = new URL(`https://${input.bucket}.storage.memory.invalid/`);
      url.pathname = `/${input.key.split('/').map(encodeURIComponent).join('/')}`;
      url.searchParams.set('method', input.method);
      url.searchParams.set('expires', expiresAt);
      return { url: url.href, method: input.method, expiresAt };
    },
    createBucket(input, fail) {
      if (buckets.has(input.bucket)) fail('conflict', `Bucket "${input.bucket}" already exists`);
      buckets.set(input.bucket, new Map());
      return { bucket: input.bucket };
    },
    deleteBucket(input, fail) {
      const objects = bucketObjects(input.bucket, fail);
      if (objects.size > 0) fail('conflict', `Bucket "${input.bucket}" is not empty`);
      buckets.delete(input.bucket);
      return { bucket: input.bucket };
    },
  };

  return createMemoryProvider({
    id: options.id ?? 'memory-storage',
    name: 'In-memory storage',
    category: 'cloud',
    contract: storageV1,
    handlers,
  });
}
