import type { IncomingMessage, ServerResponse } from 'node:http';

/** The part of the emulator's storage layer the shim reads. */
export interface BucketShimStorage {
  listObjects(request: {
    bucketId: string;
    prefix: string;
    delimiter: string;
    maxResults?: number;
    pageToken?: string;
  }): Promise<{ readonly items?: readonly unknown[] | undefined }>;
}

/** Answers a request itself (true) or leaves it to the emulator (false). */
export type BucketShim = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

interface BucketResource {
  readonly kind: 'storage#bucket';
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly storageClass: 'STANDARD';
  readonly timeCreated: string;
  readonly updated: string;
  readonly metageneration: '1';
  readonly etag: string;
}

/** Object routes name their bucket here, with or without the `/storage/v1`, `/upload` and `/download` prefixes. */
const OBJECT_ROUTE = /^\/(?:(?:upload|download)\/)?(?:storage\/v1\/)?b\/([^/]+)\/o(?:\/|$)/;
const BUCKET_ROUTE = /^\/storage\/v1\/b\/([^/]+)\/?$/;

function sendJson(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/** The JSON API's error envelope, as GCS sends it. */
function sendError(response: ServerResponse, status: number, reason: string, message: string): void {
  sendJson(response, status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } });
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const parsed: unknown = text === '' ? {} : JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The routes firebase-tools' Cloud Storage emulator lacks, in front of it:
 * bucket insert/get/list/delete on the JSON API (the emulator creates a
 * bucket silently on first use and can never delete one), a 404 for object
 * requests to a bucket that was never created or was deleted (as GCS
 * answers), and the `/storage/v1` prefix stripped from the remaining JSON API
 * paths (the emulator mounts copyTo, rewriteTo, patch and acl only at `/b/...`).
 */
export function createBucketShim(options: { readonly storage: BucketShimStorage; readonly buckets: readonly string[] }): BucketShim {
  const buckets = new Map<string, BucketResource>();
  const bucketResource = (name: string, location = 'US'): BucketResource => {
    const now = new Date().toISOString();
    return {
      kind: 'storage#bucket',
      id: name,
      name,
      location,
      storageClass: 'STANDARD',
      timeCreated: now,
      updated: now,
      metageneration: '1',
      etag: 'CAE=',
    };
  };
  for (const name of options.buckets) buckets.set(name, bucketResource(name));

  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const path = url.pathname;
    if (path === '/storage/v1/b' || path === '/storage/v1/b/') {
      if (method === 'GET') {
        sendJson(response, 200, { kind: 'storage#buckets', items: [...buckets.values()] });
        return true;
      }
      if (method === 'POST') {
        const body = await readJson(request);
        const name = typeof body.name === 'string' ? body.name : '';
        if (name === '') sendError(response, 400, 'required', 'Required');
        else if (buckets.has(name)) {
          sendError(response, 409, 'conflict', 'Your previous request to create the named bucket succeeded and you already own it.');
        } else {
          const created = bucketResource(name, typeof body.location === 'string' ? body.location.toUpperCase() : 'US');
          buckets.set(name, created);
          sendJson(response, 200, created);
        }
        return true;
      }
    }
    const bucketMatch = BUCKET_ROUTE.exec(path);
    if (bucketMatch?.[1] !== undefined && (method === 'GET' || method === 'DELETE')) {
      const name = decodeURIComponent(bucketMatch[1]);
      const bucket = buckets.get(name);
      if (bucket === undefined) sendError(response, 404, 'notFound', 'The specified bucket does not exist.');
      else if (method === 'GET') sendJson(response, 200, bucket);
      else if (((await options.storage.listObjects({ bucketId: name, prefix: '', delimiter: '', maxResults: 1 })).items ?? []).length > 0) {
        sendError(response, 409, 'conflict', 'The bucket you tried to delete is not empty.');
      } else {
        buckets.delete(name);
        sendJson(response, 204);
      }
      return true;
    }
    const objectMatch = OBJECT_ROUTE.exec(path);
    if (objectMatch?.[1] !== undefined && !buckets.has(decodeURIComponent(objectMatch[1]))) {
      sendError(response, 404, 'notFound', 'The specified bucket does not exist.');
      return true;
    }
    if (path.startsWith('/storage/v1/b/')) request.url = `${path.slice('/storage/v1'.length)}${url.search}`;
    return false;
  };
}
