import { z } from 'zod';
import { ERROR_KINDS } from '../errors/integration-error';
import { defineCapability } from './capability';
import { touches, type CapabilityReplication, type OperationResource } from './data-policy';
import { pageCursorSchema, pageLimitSchema, timestampSchema } from './capability-schemas';

/** Every rule of {@link bucketNameSchema} in one pattern, so a valid name costs one regex test. */
const VALID_BUCKET_NAME = /^(?!\d{1,3}(?:\.\d{1,3}){3}$)(?!.*(?:\.\.|\.-|-\.))[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/;

/** Which rule an invalid bucket name breaks, for the error message. */
function bucketNameProblem(name: string): string {
  if (!/^[a-z0-9.-]*$/.test(name)) return 'may contain only lowercase letters, digits, dots and hyphens';
  if (!/^[a-z0-9](?:.*[a-z0-9])?$/.test(name)) return 'must start and end with a lowercase letter or digit';
  if (/\.\.|\.-|-\./.test(name)) return 'must not contain "..", ".-" or "-."';
  return 'must not be shaped like an IP address';
}

/**
 * A bucket (S3, GCS) or container (Azure Blob) name, checked against the rules
 * the three services share: 3–63 characters; lowercase letters, digits, dots
 * and hyphens; starting and ending with a letter or digit; no `..`, `.-` or
 * `-.`; not shaped like an IP address. Azure is stricter still (no dots, no
 * `--`): its provider rejects those names with a `validation` error.
 */
export const bucketNameSchema = z
  .string()
  .min(3, 'must be at least 3 characters')
  .max(63, 'must be at most 63 characters')
  .regex(VALID_BUCKET_NAME, { error: (issue) => bucketNameProblem(String(issue.input)) })
  .describe('Bucket (S3, GCS) or container (Azure) name, e.g. "acme-uploads".');

/**
 * An object key (blob name): 1–1024 UTF-8 bytes, no control characters, not
 * `.` or `..`. Slashes are ordinary characters (a leading one included), so
 * `reports/2025/q1.csv` is one key; list with a `prefix` to browse "folders".
 */
export const objectKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(1024, 'must be at most 1024 characters')
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  .regex(/^(?!\.{1,2}$)[^\u0000-\u001f\u007f]*$/, {
    error: (issue) =>
      /^\.{1,2}$/.test(String(issue.input)) ? 'must not be "." or ".."' : 'must not contain control characters such as line breaks',
  })
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so only keys over 341 units need counting.
  .refine((key) => key.length <= 341 || Buffer.byteLength(key, 'utf8') <= 1024, 'must be at most 1024 UTF-8 bytes')
  .describe('Object key, e.g. "reports/2025/q1.csv"; at most 1024 UTF-8 bytes.');

/** How a body travels as a string: `utf8` text, or `base64` for binary data. */
export const bodyEncodingSchema = z
  .enum(['utf8', 'base64'])
  .default('utf8')
  .describe('"utf8" for text, "base64" for binary data; default "utf8".');

/** A MIME type such as `text/plain` or `application/json; charset=utf-8`. */
export const contentTypeSchema = z
  .string()
  .max(255, 'must be at most 255 characters')
  .regex(/^[\w.+-]+\/[\w.+-]+(?:\s*;.*)?$/, 'must be a MIME type such as "text/plain"')
  .regex(/^[^\r\n]*$/, 'must not contain line breaks');

/**
 * User metadata stored with an object: lowercase names of letters, digits and
 * `_`, not starting with a digit (the rule Azure Blob's C#-identifier names,
 * S3 and GCS all accept); single-line values.
 */
export const objectMetadataSchema = z
  .record(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'metadata names may contain only lowercase letters, digits and "_", and must not start with a digit'),
    z.string().regex(/^[^\r\n]*$/, 'metadata values must not contain line breaks'),
  )
  .describe('User metadata, e.g. { "owner": "billing" }.');

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** An object's properties, as `headObject` returns them. */
export const objectInfoSchema = z.object({
  bucket: z.string(),
  key: z.string(),
  /** Size of the stored body in bytes. */
  size: z.number().int().nonnegative(),
  /** Opaque version tag, without surrounding quotes; changes whenever the body changes. */
  etag: z.string().min(1),
  /** The stored content type; `application/octet-stream` when none was set. */
  contentType: z.string().min(1),
  lastModified: timestampSchema,
  /** User metadata; `{}` when there is none. */
  metadata: z.record(z.string(), z.string()),
});

/** One object on a `listObjects` page. */
export const objectSummarySchema = objectInfoSchema.pick({ key: true, size: true, etag: true, lastModified: true });

const objectLocationInput = { bucket: bucketNameSchema, key: objectKeySchema };

/** A stored object's resource key: `bucket/key` (bucket names hold no "/", so the first one splits it). */
export function storageResourceKey(location: { readonly bucket: string; readonly key: string }): string {
  return `${location.bucket}/${location.key}`;
}

/** The bucket and object key of a {@link storageResourceKey}. */
export function parseStorageResourceKey(resourceKey: string): { bucket: string; key: string } {
  const slash = resourceKey.indexOf('/');
  return { bucket: resourceKey.slice(0, slash), key: resourceKey.slice(slash + 1) };
}

/** The one object an operation on `{ bucket, key }` touches. */
function objectResource(access: 'read' | 'write' | 'delete'): OperationResource<{ bucket: string; key: string }> {
  return touches(access, (input: { bucket: string; key: string }) => [storageResourceKey(input)]);
}
const objectLocationOutput = z.object({ bucket: z.string(), key: z.string() });

const putObject = {
  description: 'Store a body under a key, replacing any object already there. Text goes as "utf8", binary data as "base64".',
  input: z
    .strictObject({
      ...objectLocationInput,
      body: z.string().describe('The object body, encoded as `encoding` says.'),
      encoding: bodyEncodingSchema,
      contentType: contentTypeSchema.optional().describe('MIME type to store; default: application/octet-stream.'),
      metadata: objectMetadataSchema.optional(),
    })
    .superRefine((input, context) => {
      if (input.encoding === 'base64' && !base64Pattern.test(input.body)) {
        context.addIssue({ code: 'custom', path: ['body'], message: 'must be valid base64 when encoding is "base64"' });
      }
    }),
  output: objectLocationOutput.extend({
    etag: z.string().min(1),
    /** Bytes stored (the decoded body's length). */
    size: z.number().int().nonnegative(),
  }),
  hints: { readOnly: false, destructive: true, idempotent: true },
  resource: objectResource('write'),
};

const getObject = {
  description: 'Read an object: its body and properties. Fails with not_found when the bucket or key does not exist.',
  input: z.strictObject({
    ...objectLocationInput,
    encoding: bodyEncodingSchema.describe('How to return the body: "utf8" for text, "base64" for binary; default "utf8".'),
  }),
  output: objectInfoSchema.extend({ body: z.string(), encoding: z.enum(['utf8', 'base64']) }),
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: objectResource('read'),
};

const headObject = {
  description: "Read an object's properties without its body. Fails with not_found when it does not exist.",
  input: z.strictObject(objectLocationInput),
  output: objectInfoSchema,
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: objectResource('read'),
};

const listObjects = {
  description:
    'List objects in key order (UTF-8 byte order), optionally under a prefix, one page at a time. Pass nextCursor back for the next page; it is absent on the last page.',
  input: z.strictObject({
    bucket: bucketNameSchema,
    prefix: z.string().max(1024).optional().describe('Only keys starting with this, e.g. "reports/2025/".'),
    cursor: pageCursorSchema.optional(),
    limit: pageLimitSchema(1000, 1000),
  }),
  output: z.object({ objects: z.array(objectSummarySchema), nextCursor: z.string().min(1).optional() }),
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('list'),
};

const deleteObject = {
  description: 'Delete an object. Deleting a key that does not exist succeeds, so the call is safe to repeat.',
  input: z.strictObject(objectLocationInput),
  output: objectLocationOutput,
  hints: { readOnly: false, destructive: true, idempotent: true },
  resource: objectResource('delete'),
};

const deleteObjects = {
  description:
    'Delete up to 1000 objects of one bucket. Keys that do not exist count as deleted; keys that could not be deleted are listed in errors.',
  input: z.strictObject({
    bucket: bucketNameSchema,
    keys: z.array(objectKeySchema).min(1, 'must list at least one key').max(1000, 'must list at most 1000 keys'),
  }),
  output: z.object({
    deleted: z.array(z.string()),
    errors: z.array(z.object({ key: z.string(), kind: z.enum(ERROR_KINDS), message: z.string() })),
  }),
  hints: { readOnly: false, destructive: true, idempotent: true },
  resource: touches('delete', (input: { bucket: string; keys: readonly string[] }) =>
    input.keys.map((key) => storageResourceKey({ bucket: input.bucket, key })),
  ),
};

interface CopyLocations {
  readonly source: { readonly bucket: string; readonly key: string };
  readonly destination: { readonly bucket: string; readonly key: string };
}

const copyObject = {
  description:
    'Copy an object, with its content type and metadata, to another key (in the same or another bucket), replacing any object there. Fails with not_found when the source does not exist.',
  input: z.strictObject({
    source: z.strictObject(objectLocationInput),
    destination: z.strictObject(objectLocationInput),
  }),
  output: objectLocationOutput.extend({ etag: z.string().min(1) }),
  hints: { readOnly: false, destructive: true, idempotent: true },
  resource: {
    ...touches('write', (input: CopyLocations) => [storageResourceKey(input.destination)]),
    source: (input: CopyLocations) => storageResourceKey(input.source),
  },
};

const presignUrl = {
  description:
    'Create a time-limited URL that lets anyone holding it GET (download) or PUT (upload) one object without credentials. Signing happens locally; nothing is checked or changed.',
  input: z.strictObject({
    ...objectLocationInput,
    method: z.enum(['GET', 'PUT']).default('GET').describe('"GET" to download, "PUT" to upload; default "GET".'),
    expiresInSeconds: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1 second')
      .max(604_800, 'must be at most 604800 seconds (7 days)')
      .default(3600)
      .describe('How long the URL works, 1–604800 seconds (7 days); default 3600.'),
    contentType: contentTypeSchema.optional().describe('For PUT: the content type the upload must send, when the provider can sign it.'),
  }),
  output: z.object({
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['GET', 'PUT']),
    expiresAt: timestampSchema,
  }),
  hints: { readOnly: true, destructive: false, idempotent: true },
  // A URL to read where the object is; a PUT URL's upload happens outside the hub, so it records nothing.
  resource: objectResource('read'),
};

const createBucket = {
  description:
    'Create an empty bucket (Azure: container). Fails with conflict when a bucket of that name already exists, even one you own, so it is not safe to repeat blindly.',
  input: z.strictObject({
    bucket: bucketNameSchema,
    region: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe(
        'Where to create it, in the provider’s terms (AWS region "eu-west-1", GCS location "EU"); default: the provider’s configured region. Ignored where the account fixes the location (Azure).',
      ),
  }),
  output: z.object({ bucket: z.string() }),
  hints: { readOnly: false, destructive: false, idempotent: false },
};

const deleteBucket = {
  description:
    'Delete an empty bucket. Fails with conflict while it still holds objects and with not_found when it does not exist (so a repeat reports not_found).',
  input: z.strictObject({ bucket: bucketNameSchema }),
  output: z.object({ bucket: z.string() }),
  hints: { readOnly: false, destructive: true, idempotent: false },
};

/** How a missed mirrored write is repaired: read the object (base64) where it is, put it, type and metadata kept, where it is missing. */
const storageReplication: CapabilityReplication = {
  read: (resourceKey) => ({ operation: 'getObject', input: { ...parseStorageResourceKey(resourceKey), encoding: 'base64' } }),
  write(resourceKey, value) {
    const object = value as { body: string; encoding: 'utf8' | 'base64'; contentType: string; metadata: Record<string, string> };
    return {
      operation: 'putObject',
      input: {
        ...parseStorageResourceKey(resourceKey),
        body: object.body,
        encoding: object.encoding,
        contentType: object.contentType,
        metadata: object.metadata,
      },
    };
  },
  delete: (resourceKey) => ({ operation: 'deleteObject', input: parseStorageResourceKey(resourceKey) }),
  versionOf: (output) => (output as { etag?: string }).etag,
};

/**
 * The `storage` capability, version 1: objects in buckets, as S3, Azure Blob
 * Storage and Google Cloud Storage all offer them. Bodies travel as strings
 * (`encoding: 'utf8' | 'base64'`) so every operation has a JSON Schema and can
 * be an agent tool. Missing buckets and objects fail with `not_found`;
 * existing buckets on create and non-empty buckets on delete with `conflict`.
 */
export const storageV1 = defineCapability({
  name: 'storage',
  version: 1,
  description: 'Objects in buckets: put, get, list, copy, delete, presigned URLs, bucket lifecycle.',
  operations: {
    putObject,
    getObject,
    headObject,
    listObjects,
    deleteObject,
    deleteObjects,
    copyObject,
    presignUrl,
    createBucket,
    deleteBucket,
  },
  // An object is written where the best provider is, and read where it was written (docs/routing.md).
  dataPolicy: { write: 'primary', read: 'placement' },
  replication: storageReplication,
});

/** The operations of {@link storageV1}. */
export type StorageOperations = typeof storageV1.operations;
/** The name of a {@link storageV1} operation, e.g. `'putObject'`. */
export type StorageOperationName = keyof StorageOperations;
/** The input a storage provider receives for an operation: parsed, defaults applied. */
export type StorageOperationInput<Name extends StorageOperationName> = z.output<StorageOperations[Name]['input']>;
/** What a storage provider returns for an operation, and what callers receive. */
export type StorageOperationOutput<Name extends StorageOperationName> = z.output<StorageOperations[Name]['output']>;
/** An object's properties, as `headObject` returns them. */
export type ObjectInfo = z.output<typeof objectInfoSchema>;
