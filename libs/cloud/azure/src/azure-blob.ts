import { Buffer } from 'node:buffer';
import type { IntegrationError, OperationHandlers } from '@switchyard/core';
import type { storageV1 } from '@switchyard/core/storage';
import type { ContainerClient, ContainerListBlobFlatSegmentResponse } from '@azure/storage-blob';
import type { BlobConnection } from './azure-blob-client';
import type { AzureErrors } from './azure-error';

/** One handler per storage v1 operation. */
export type StorageHandlers = OperationHandlers<typeof storageV1>;

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** Container clients kept per handler set; past this many bucket names the cache starts over. */
const CONTAINER_CACHE_SIZE = 64;

/** Most sub-requests one blob batch may hold. */
const BATCH_SIZE = 256;

function etagOf(etag: string | undefined): string {
  return (etag ?? '').replace(/^(?:W\/)?"|"$/g, '') || 'unknown';
}

function isoOf(date: Date | undefined): string {
  return (date ?? new Date(0)).toISOString();
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (stream === undefined) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** The first page of a blob listing, or undefined when there is none. */
async function firstPage(
  pages: AsyncIterator<ContainerListBlobFlatSegmentResponse>,
): Promise<ContainerListBlobFlatSegmentResponse | undefined> {
  const result = await pages.next();
  return result.done === true ? undefined : result.value;
}

/**
 * The storage v1 operations on `@azure/storage-blob`. Every call passes the
 * hub's signal as `abortSignal`; errors are classified by `errors.fromBlob`.
 */
export function createStorageHandlers(connect: () => Promise<BlobConnection>, errors: AzureErrors): StorageHandlers {
  /** Runs `call`, classifying anything the SDK throws. */
  const sdkCall = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw errors.fromBlob(error, operation);
    }
  };
  // A container client is an immutable URL plus the shared pipeline; building one per call costs ~10 µs.
  const containers = new Map<string, ContainerClient>();
  const container = async (bucket: string) => {
    const { service } = await connect();
    let client = containers.get(bucket);
    if (client === undefined) {
      if (containers.size >= CONTAINER_CACHE_SIZE) containers.clear();
      client = service.getContainerClient(bucket);
      containers.set(bucket, client);
    }
    return client;
  };
  const blob = async (bucket: string, key: string) => (await container(bucket)).getBlockBlobClient(key);

  return {
    putObject: (input, { signal }) =>
      sdkCall('storage.putObject', async () => {
        const body = Buffer.from(input.body, input.encoding);
        const response = await (
          await blob(input.bucket, input.key)
        ).upload(body, body.byteLength, {
          abortSignal: signal,
          blobHTTPHeaders: { blobContentType: input.contentType ?? DEFAULT_CONTENT_TYPE },
          metadata: { ...input.metadata },
        });
        return { bucket: input.bucket, key: input.key, etag: etagOf(response.etag), size: body.byteLength };
      }),

    getObject: (input, { signal }) =>
      sdkCall('storage.getObject', async () => {
        const response = await (await blob(input.bucket, input.key)).download(0, undefined, { abortSignal: signal });
        const body = await readAll(response.readableStreamBody);
        return {
          bucket: input.bucket,
          key: input.key,
          size: body.byteLength,
          etag: etagOf(response.etag),
          contentType: response.contentType ?? DEFAULT_CONTENT_TYPE,
          lastModified: isoOf(response.lastModified),
          metadata: { ...response.metadata },
          body: body.toString(input.encoding),
          encoding: input.encoding,
        };
      }),

    headObject: (input, { signal }) =>
      sdkCall('storage.headObject', async () => {
        const properties = await (await blob(input.bucket, input.key)).getProperties({ abortSignal: signal });
        return {
          bucket: input.bucket,
          key: input.key,
          size: properties.contentLength ?? 0,
          etag: etagOf(properties.etag),
          contentType: properties.contentType ?? DEFAULT_CONTENT_TYPE,
          lastModified: isoOf(properties.lastModified),
          metadata: { ...properties.metadata },
        };
      }),

    listObjects: (input, { signal }) =>
      sdkCall('storage.listObjects', async () => {
        const pages = (await container(input.bucket))
          .listBlobsFlat({ prefix: input.prefix, abortSignal: signal })
          .byPage({ continuationToken: input.cursor, maxPageSize: input.limit });
        const page = await firstPage(pages);
        const objects = (page?.segment.blobItems ?? []).map((item) => ({
          key: item.name,
          size: item.properties.contentLength ?? 0,
          etag: etagOf(item.properties.etag),
          lastModified: isoOf(item.properties.lastModified),
        }));
        const next = page?.continuationToken;
        return next === undefined || next === '' ? { objects } : { objects, nextCursor: next };
      }),

    deleteObject: (input, { signal }) =>
      sdkCall('storage.deleteObject', async () => {
        // A missing container is not_found; a missing blob in an existing one counts as deleted.
        await (await blob(input.bucket, input.key)).deleteIfExists({ abortSignal: signal });
        return { bucket: input.bucket, key: input.key };
      }),

    deleteObjects: (input, { signal }) =>
      sdkCall('storage.deleteObjects', async () => {
        // One blob batch request per 256 keys (the service's limit); Azurite serves batches too.
        const client = await container(input.bucket);
        const batch = client.getBlobBatchClient();
        const keys = [...new Set(input.keys)];
        const deleted: string[] = [];
        const failures: { key: string; kind: IntegrationError['kind']; message: string }[] = [];
        for (let start = 0; start < keys.length; start += BATCH_SIZE) {
          const chunk = keys.slice(start, start + BATCH_SIZE);
          const response = await batch.deleteBlobs(
            chunk.map((key) => client.getBlockBlobClient(key)),
            { abortSignal: signal },
          );
          for (const [index, key] of chunk.entries()) {
            const sub = response.subResponses[index];
            // A missing blob counts as deleted, as in deleteObject.
            if (sub === undefined || sub.status < 300 || sub.errorCode === 'BlobNotFound') {
              deleted.push(key);
              continue;
            }
            const error = errors.fromBlobStatus({
              operation: 'storage.deleteObjects',
              status: sub.status,
              code: sub.errorCode,
              message: sub.statusMessage,
            });
            // What would fail every key fails the call: a missing container, bad credentials.
            if (error.kind === 'not_found' || error.kind === 'auth') throw error;
            failures.push({ key, kind: error.kind, message: error.message });
          }
        }
        return { deleted, errors: failures };
      }),

    copyObject: (input, { signal }) =>
      sdkCall('storage.copyObject', async () => {
        const source = await blob(input.source.bucket, input.source.key);
        const destination = await blob(input.destination.bucket, input.destination.key);
        const poller = await destination.beginCopyFromURL(source.url, { abortSignal: signal });
        // The poller's requests carry the abortSignal given to beginCopyFromURL.
        const result = await poller.pollUntilDone();
        if (result.copyStatus !== undefined && result.copyStatus !== 'success') {
          throw errors.create({
            kind: 'provider',
            message: `storage.copyObject ended with copy status "${result.copyStatus}"`,
            operation: 'storage.copyObject',
          });
        }
        return { bucket: input.destination.bucket, key: input.destination.key, etag: etagOf(result.etag) };
      }),

    presignUrl: (input) =>
      sdkCall('storage.presignUrl', async () => {
        const { sdk, canSign } = await connect();
        if (!canSign) {
          throw errors.create({
            kind: 'unsupported',
            message:
              'presignUrl needs the storage account key (storage.accountKey or a connection string with AccountKey); a SAS token cannot sign',
            operation: 'storage.presignUrl',
            isRetryable: false,
          });
        }
        const expiresOn = new Date(Date.now() + input.expiresInSeconds * 1000);
        const permissions = sdk.BlobSASPermissions.parse(input.method === 'GET' ? 'r' : 'cw');
        const url = await (await blob(input.bucket, input.key)).generateSasUrl({ permissions, expiresOn });
        return { url, method: input.method, expiresAt: expiresOn.toISOString() };
      }),

    createBucket: (input, { signal }) =>
      sdkCall('storage.createBucket', async () => {
        await (await container(input.bucket)).create({ abortSignal: signal });
        return { bucket: input.bucket };
      }),

    deleteBucket: (input, { signal }) =>
      sdkCall('storage.deleteBucket', async () => {
        // Azure deletes a container with everything in it; the contract refuses while it holds objects.
        const client = await container(input.bucket);
        const first = await firstPage(client.listBlobsFlat({ abortSignal: signal }).byPage({ maxPageSize: 1 }));
        if ((first?.segment.blobItems.length ?? 0) > 0) {
          throw errors.create({
            kind: 'conflict',
            message: `container "${input.bucket}" is not empty; delete its blobs first`,
            operation: 'storage.deleteBucket',
            isRetryable: false,
          });
        }
        await client.delete({ abortSignal: signal });
        return { bucket: input.bucket };
      }),
  };
}
