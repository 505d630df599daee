import { randomUUID } from 'node:crypto';
import functionFixture from '../__fixtures__/functions-function.json' with { type: 'json' };
import operationFixture from '../__fixtures__/functions-operation.json' with { type: 'json' };
import uploadUrlFixture from '../__fixtures__/functions-upload-url.json' with { type: 'json' };
import { googleError, startGoogleApiFake, type FakeRequest, type FakeResponse, type GoogleApiFake } from './google-api-fake';

/** Options for {@link startCloudFunctionsFake}. */
export interface CloudFunctionsFakeOptions {
  readonly project: string;
  readonly location: string;
  /** How long a create, update or delete operation runs before it is done. Default 100 ms. */
  readonly operationMs?: number;
  /** The service account's public key, to verify token assertions. Default: signatures unchecked. */
  readonly publicKeyPem?: string;
  /** Function URLs need an ID token for their own URL (as private Cloud Run services do). Default: true. */
  readonly requireIdToken?: boolean;
}

/** A running {@link startCloudFunctionsFake}. */
export interface CloudFunctionsFake extends GoogleApiFake {
  /** Object names uploaded to the signed upload URLs, with their sizes. */
  readonly uploads: Map<string, number>;
}

interface FakeFunction {
  resource: Record<string, unknown>;
}

interface FakeOperation {
  readonly name: string;
  readonly verb: 'create' | 'update' | 'delete';
  readonly target: string;
  readonly doneAt: number;
  readonly finish: () => void;
  /** Set for a deployment whose build fails: the operation ends with this `google.rpc.Status`. */
  readonly error?: { readonly code: number; readonly message: string } | undefined;
  finished: boolean;
}

/** Runtimes the fake builds; others fail the build as Cloud Build does for an unknown runtime. */
const RUNTIMES = new Set(['nodejs18', 'nodejs20', 'nodejs22', 'python312', 'go122']);

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * A Cloud Functions v2 wire-protocol fake on 127.0.0.1, from the REST
 * reference (https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions):
 * `generateUploadUrl` hands out a "signed" URL on this server that takes a
 * zip by PUT; `create` (`?functionId=`) and `patch` need that upload as
 * `buildConfig.source.storageSource` and return a long-running Operation
 * (https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.operations)
 * that is done after `operationMs`, when the function turns ACTIVE with a
 * `serviceConfig.uri`; `get`, `list` (`pageSize`, `pageToken`) and `delete`.
 * The function URI echoes the JSON it is sent (the fake runs no code).
 */
export async function startCloudFunctionsFake(options: CloudFunctionsFakeOptions): Promise<CloudFunctionsFake> {
  const operationMs = options.operationMs ?? 100;
  const parent = `projects/${options.project}/locations/${options.location}`;
  const functions = new Map<string, FakeFunction>();
  const operations = new Map<string, FakeOperation>();
  const uploads = new Map<string, number>();
  let origin = '';
  let idTokens = () => new Map<string, string>();

  function startOperation(verb: FakeOperation['verb'], target: string, finish: () => void, error?: FakeOperation['error']): FakeResponse {
    const name = `${parent}/operations/operation-${randomUUID()}`;
    operations.set(name, { name, verb, target, doneAt: Date.now() + operationMs, finish, error, finished: false });
    return { status: 200, body: { ...operationFixture, name, metadata: { ...operationFixture.metadata, target, verb } } };
  }

  function operationResource(operation: FakeOperation): Record<string, unknown> {
    if (Date.now() >= operation.doneAt && !operation.finished) {
      operation.finished = true;
      operation.finish();
    }
    const base = {
      ...operationFixture,
      name: operation.name,
      metadata: { ...operationFixture.metadata, target: operation.target, verb: operation.verb },
    };
    if (!operation.finished) return base;
    if (operation.error !== undefined) return { ...base, done: true, error: operation.error };
    const deployed = functions.get(operation.target);
    const response =
      operation.verb === 'delete' || deployed === undefined
        ? { '@type': 'type.googleapis.com/google.protobuf.Empty' }
        : { '@type': 'type.googleapis.com/google.cloud.functions.v2.Function', ...deployed.resource };
    return { ...base, done: true, response };
  }

  function sourceProblem(body: Record<string, unknown>): FakeResponse | undefined {
    const source = (body.buildConfig as { source?: { storageSource?: { object?: unknown } } } | undefined)?.source?.storageSource;
    if (typeof source?.object !== 'string' || !uploads.has(source.object)) {
      return googleError(
        400,
        'INVALID_ARGUMENT',
        'Invalid function source: buildConfig.source.storageSource must name an uploaded archive.',
      );
    }
    return undefined;
  }

  function buildProblem(body: Record<string, unknown>): FakeOperation['error'] {
    const runtime = (body.buildConfig as { runtime?: unknown } | undefined)?.runtime;
    return typeof runtime === 'string' && RUNTIMES.has(runtime)
      ? undefined
      : { code: 3, message: `Build failed: runtime "${String(runtime)}" is not supported.` };
  }

  function deployedResource(name: string, body: Record<string, unknown>, state: string): Record<string, unknown> {
    const id = name.slice(name.lastIndexOf('/') + 1);
    return {
      ...functionFixture,
      ...body,
      name,
      buildConfig: { ...functionFixture.buildConfig, ...(body.buildConfig as object) },
      serviceConfig: {
        ...functionFixture.serviceConfig,
        ...(body.serviceConfig as object),
        uri: `${origin}/run/${id}`,
        service: `${parent}/services/${id}`,
      },
      url: `${origin}/run/${id}`,
      state,
      updateTime: new Date().toISOString(),
    };
  }

  function route(request: FakeRequest): FakeResponse | undefined {
    const upload = /^\/upload\/([^/]+)$/.exec(request.path);
    if (upload?.[1] !== undefined && request.method === 'PUT') {
      if (!request.body.subarray(0, 4).equals(ZIP_MAGIC)) return { status: 400, body: 'The uploaded object is not a zip archive.' };
      uploads.set(upload[1], request.body.length);
      return { status: 200 };
    }
    const run = /^\/run\/([^/]+)$/.exec(request.path);
    if (run?.[1] !== undefined && request.method === 'POST') {
      if (!functions.has(`${parent}/functions/${run[1]}`)) return { status: 404, body: 'Page not found' };
      if (options.requireIdToken !== false) {
        const token = request.authorization.replace(/^Bearer /, '');
        const audience = idTokens().get(token);
        if (audience === undefined) return { status: 401, body: 'Your client does not have permission to the requested URL.' };
        if (audience !== `${origin}/run/${run[1]}`) return { status: 401, body: 'The access token could not be verified: wrong audience.' };
      }
      return { status: 200, body: request.body.length === 0 ? null : (JSON.parse(request.body.toString('utf8')) as unknown) };
    }
    if (request.method === 'GET' && request.path.startsWith(`/v2/${parent}/operations/`)) {
      const operation = operations.get(request.path.slice('/v2/'.length));
      return operation === undefined
        ? googleError(404, 'NOT_FOUND', 'Operation not found.')
        : { status: 200, body: operationResource(operation) };
    }
    // Operations settle lazily: reading a function or a list first completes any operation that is due.
    for (const operation of operations.values()) operationResource(operation);
    if (request.path === `/v2/${parent}/functions:generateUploadUrl` && request.method === 'POST') {
      const object = `${randomUUID()}.zip`;
      return {
        status: 200,
        body: {
          uploadUrl: `${origin}/upload/${object}?GoogleAccessId=fake&Expires=1736940600&Signature=fake`,
          storageSource: { ...uploadUrlFixture.storageSource, object },
        },
      };
    }
    if (request.path === `/v2/${parent}/functions`) {
      if (request.method === 'GET') {
        const all = [...functions.values()]
          .map((stored) => stored.resource)
          .sort((left, right) => String(left.name).localeCompare(String(right.name)));
        const offset = Number(request.query.get('pageToken') ?? 0);
        const size = Number(request.query.get('pageSize') ?? 1000);
        const page = all.slice(offset, offset + size);
        return { status: 200, body: { functions: page, ...(offset + size < all.length ? { nextPageToken: String(offset + size) } : {}) } };
      }
      if (request.method === 'POST') {
        const id = request.query.get('functionId') ?? '';
        const name = `${parent}/functions/${id}`;
        if (!/^[a-z][a-z0-9_-]{0,61}[a-z0-9]$/i.test(id)) return googleError(400, 'INVALID_ARGUMENT', `Invalid function id "${id}".`);
        if (functions.has(name))
          return googleError(
            409,
            'ALREADY_EXISTS',
            `Function ${id} in region ${options.location} in project ${options.project} already exists`,
          );
        const body = request.json();
        const problem = sourceProblem(body);
        if (problem !== undefined) return problem;
        const stored = { resource: deployedResource(name, body, 'DEPLOYING') };
        functions.set(name, stored);
        const buildError = buildProblem(body);
        return startOperation(
          'create',
          name,
          () => {
            stored.resource = { ...stored.resource, state: buildError === undefined ? 'ACTIVE' : 'FAILED' };
          },
          buildError,
        );
      }
    }
    if (!request.path.startsWith(`/v2/${parent}/functions/`)) return undefined;
    const name = request.path.slice('/v2/'.length);
    const stored = functions.get(name);
    if (stored === undefined) return googleError(404, 'NOT_FOUND', `Resource '${name}' was not found`);
    if (request.method === 'GET') return { status: 200, body: stored.resource };
    if (request.method === 'PATCH') {
      const body = request.json();
      const problem = sourceProblem(body);
      if (problem !== undefined) return problem;
      stored.resource = { ...deployedResource(name, body, 'DEPLOYING') };
      return startOperation('update', name, () => {
        stored.resource = { ...stored.resource, state: 'ACTIVE' };
      });
    }
    if (request.method === 'DELETE') {
      stored.resource = { ...stored.resource, state: 'DELETING' };
      return startOperation('delete', name, () => functions.delete(name));
    }
    return undefined;
  }

  const fake = await startGoogleApiFake({
    routes: [route],
    publicPaths: /^\/(?:upload|run)\//,
    ...(options.publicKeyPem === undefined ? {} : { publicKeyPem: options.publicKeyPem }),
  });
  origin = fake.url;
  idTokens = () => fake.idTokens;
  return { ...fake, uploads };
}
