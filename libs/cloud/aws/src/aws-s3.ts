import { Buffer } from 'node:buffer';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { OperationHandlers } from '@switchyard/core';
import type { storageV1 } from '@switchyard/core/storage';
import type { AwsCall } from './aws-clients';
import type { AwsErrors } from './aws-error';
import { decodePageCursor, pageOf } from './aws-paging';

type S3Handlers = OperationHandlers<typeof storageV1, AwsCall>;

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** S3 limits user metadata (names and values, as sent) to 2 KB per object. */
const MAXIMUM_METADATA_BYTES = 2048;
/** Prefixes and suffixes S3 reserves for its own bucket kinds (access points, directory buckets, ...). */
const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

let s3Module: Promise<typeof S3Sdk> | undefined;
/**
 * The S3 SDK, imported on first use. The promise is kept: a dynamic `import()`
 * of an already loaded module still resolves the specifier and costs 15–40 µs a call.
 */
const loadS3 = (): Promise<typeof S3Sdk> =>
  (s3Module ??= import('@aws-sdk/client-s3').catch((error: unknown) => {
    s3Module = undefined;
    throw error;
  }));

/** Etags come quoted (`"9a0364b9e99bb480dd25e1f0284c8555"`); the contract wants them bare. */
function bareEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^(?:W\/)?"|"$/g, '');
}

function timestamp(value: Date | undefined): string {
  return (value ?? new Date(0)).toISOString();
}

/** A copy source `bucket/key`, each key segment URL-encoded as S3 expects. */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function bucketProblem(bucket: string): string | undefined {
  const prefix = RESERVED_BUCKET_PREFIXES.find((reserved) => bucket.startsWith(reserved));
  if (prefix !== undefined) return `S3 bucket names must not start with "${prefix}"`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((reserved) => bucket.endsWith(reserved));
  return suffix === undefined ? undefined : `S3 bucket names must not end with "${suffix}"`;
}

/** The fields of any storage operation's (parsed) input that {@link checkS3Input} reads. */
interface S3CheckedInput {
  readonly bucket?: string;
  readonly source?: { readonly bucket: string };
  readonly destination?: { readonly bucket: string };
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * The S3 rules the storage contract does not cover: reserved bucket name
 * prefixes and suffixes, and the 2 KB limit on user metadata. Throws a
 * `validation` error before anything is sent.
 */
export function checkS3Input(operation: string, input: S3CheckedInput, errors: AwsErrors): void {
  for (const bucket of [input.bucket, input.source?.bucket, input.destination?.bucket]) {
    const problem = bucket === undefined ? undefined : bucketProblem(bucket);
    if (problem !== undefined) throw errors.invalidInput(operation, `Invalid bucket "${bucket}": ${problem}`);
  }
  const { metadata } = input;
  if (metadata !== undefined) {
    const bytes = Object.entries(metadata).reduce((total, [name, value]) => total + Buffer.byteLength(name) + Buffer.byteLength(value), 0);
    if (bytes > MAXIMUM_METADATA_BYTES) {
      throw errors.invalidInput(operation, `S3 allows at most ${MAXIMUM_METADATA_BYTES} bytes of user metadata per object; got ${bytes}`);
    }
  }
}

/** The `storage` v1 operations on S3. */
export const s3Handlers: S3Handlers = {
  async putObject(input, { clients, signal }) {
    const { PutObjectCommand } = await loadS3();
    const body = Buffer.from(input.body, input.encoding);
    const output = await (
      await clients.s3()
    ).send(
      new PutObjectCommand({
        Bucket: input.bucket,
        Key: input.key,
        Body: body,
        ContentType: input.contentType ?? DEFAULT_CONTENT_TYPE,
        Metadata: input.metadata,
      }),
      { abortSignal: signal },
    );
    return { bucket: input.bucket, key: input.key, etag: bareEtag(output.ETag), size: body.byteLength };
  },

  async getObject(input, { clients, signal }) {
    const { GetObjectCommand } = await loadS3();
    const output = await (await clients.s3()).send(new GetObjectCommand({ Bucket: input.bucket, Key: input.key }), { abortSignal: signal });
    const bytes = (await output.Body?.transformToByteArray()) ?? new Uint8Array();
    // A view of the SDK's bytes, not a copy.
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return {
      bucket: input.bucket,
      key: input.key,
      size: body.byteLength,
      etag: bareEtag(output.ETag),
      contentType: output.ContentType ?? DEFAULT_CONTENT_TYPE,
      lastModified: timestamp(output.LastModified),
      metadata: { ...output.Metadata },
      body: body.toString(input.encoding),
      encoding: input.encoding,
    };
  },

  async headObject(input, { clients, signal }) {
    const { HeadObjectCommand } = await loadS3();
    const output = await (
      await clients.s3()
    ).send(new HeadObjectCommand({ Bucket: input.bucket, Key: input.key }), { abortSignal: signal });
    return {
      bucket: input.bucket,
      key: input.key,
      size: output.ContentLength ?? 0,
      etag: bareEtag(output.ETag),
      contentType: output.ContentType ?? DEFAULT_CONTENT_TYPE,
      lastModified: timestamp(output.LastModified),
      metadata: { ...output.Metadata },
    };
  },

  async listObjects(input, { clients, signal, operation }) {
    const cursor = decodePageCursor(input.cursor, operation);
    const { ListObjectsV2Command } = await loadS3();
    const output = await (
      await clients.s3()
    ).send(
      new ListObjectsV2Command({ Bucket: input.bucket, Prefix: input.prefix, ContinuationToken: cursor.token, MaxKeys: input.limit }),
      { abortSignal: signal },
    );
    const nextToken = output.IsTruncated === true ? output.NextContinuationToken : undefined;
    const { items, nextCursor } = pageOf(output.Contents ?? [], cursor, input.limit, nextToken);
    const objects = items.map((object) => ({
      key: object.Key ?? '',
      size: object.Size ?? 0,
      etag: bareEtag(object.ETag),
      lastModified: timestamp(object.LastModified),
    }));
    return nextCursor === undefined ? { objects } : { objects, nextCursor };
  },

  async deleteObject(input, { clients, signal }) {
    const { DeleteObjectCommand } = await loadS3();
    await (await clients.s3()).send(new DeleteObjectCommand({ Bucket: input.bucket, Key: input.key }), { abortSignal: signal });
    return { bucket: input.bucket, key: input.key };
  },

  async deleteObjects(input, { clients, errors, signal, operation }) {
    const { DeleteObjectsCommand } = await loadS3();
    const keys = [...new Set(input.keys)];
    const output = await (
      await clients.s3()
    ).send(new DeleteObjectsCommand({ Bucket: input.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: false } }), {
      abortSignal: signal,
    });
    const failures = (output.Errors ?? []).map((failure) => {
      const error = errors.fromCode(failure.Code ?? 'InternalError', failure.Message, operation);
      return { key: failure.Key ?? '', kind: error.kind, message: error.message };
    });
    const failed = new Set(failures.map((failure) => failure.key));
    // Quiet: false lists every deleted key; fall back to "all but the failures" if a server omits them.
    const deleted = output.Deleted === undefined ? keys.filter((key) => !failed.has(key)) : output.Deleted.map((entry) => entry.Key ?? '');
    return { deleted, errors: failures };
  },

  async copyObject(input, { clients, signal }) {
    const { CopyObjectCommand } = await loadS3();
    const { source, destination } = input;
    const output = await (
      await clients.s3()
    ).send(
      new CopyObjectCommand({
        Bucket: destination.bucket,
        Key: destination.key,
        CopySource: copySource(source.bucket, source.key),
        MetadataDirective: 'COPY',
      }),
      { abortSignal: signal },
    );
    return { bucket: destination.bucket, key: destination.key, etag: bareEtag(output.CopyObjectResult?.ETag) };
  },

  async presignUrl(input, { clients }) {
    const [{ GetObjectCommand, PutObjectCommand }, { getSignedUrl }] = await Promise.all([
      loadS3(),
      import('@aws-sdk/s3-request-presigner'),
    ]);
    const command =
      input.method === 'PUT'
        ? new PutObjectCommand({ Bucket: input.bucket, Key: input.key, ContentType: input.contentType })
        : new GetObjectCommand({ Bucket: input.bucket, Key: input.key });
    const expiresAt = new Date(Date.now() + input.expiresInSeconds * 1000).toISOString();
    const url = await getSignedUrl(await clients.s3(), command, { expiresIn: input.expiresInSeconds });
    return { url, method: input.method, expiresAt };
  },

  async createBucket(input, { clients, errors, signal, operation, settings }) {
    const { CreateBucketCommand, HeadBucketCommand } = await loadS3();
    const s3 = await clients.s3();
    // S3 answers 200 when you re-create a bucket you own in us-east-1 (and moto everywhere): ask first.
    const exists = await s3.send(new HeadBucketCommand({ Bucket: input.bucket }), { abortSignal: signal }).then(
      () => true,
      (error: unknown) => {
        const mapped = errors.fromSdk(error, operation);
        // 403: someone else's bucket, or our credentials; CreateBucket below tells which.
        if (mapped.kind === 'not_found' || mapped.statusCode === 403) return false;
        if (mapped.statusCode === 301) return true;
        throw mapped;
      },
    );
    if (exists) throw errors.create({ kind: 'conflict', message: `${operation}: bucket "${input.bucket}" already exists`, operation });
    const region = input.region ?? settings.region;
    await s3.send(
      new CreateBucketCommand({
        Bucket: input.bucket,
        ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
      }),
      { abortSignal: signal },
    );
    return { bucket: input.bucket };
  },

  async deleteBucket(input, { clients, signal }) {
    const { DeleteBucketCommand } = await loadS3();
    await (await clients.s3()).send(new DeleteBucketCommand({ Bucket: input.bucket }), { abortSignal: signal });
    return { bucket: input.bucket };
  },
};
