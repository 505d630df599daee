import { Buffer } from 'node:buffer';
import { setTimeout as sleep } from 'node:timers/promises';
import { IntegrationError, type FunctionInfo, type OperationHandlers } from '@switchyard/core';
import type { functionsV1 } from '@switchyard/core/functions';
import type { HttpClient } from '@switchyard/http';
import { z } from 'zod';
import type { GcpErrors } from './gcp-error';
import { isoTimestamp, lastSegment, pageTokenSchema } from './gcp-rest';

/** What the functions handlers need from the provider. */
export interface GcpFunctionsDependencies {
  /** A client on the Cloud Functions API origin (authenticated). */
  readonly client: () => HttpClient;
  /** A client without credentials for another origin: signed upload URLs and function URLs. */
  readonly plainClient: (origin: string) => HttpClient;
  readonly projectId: () => string;
  readonly location: string;
  readonly defaultRuntime: string;
  /** How often a long-running operation is polled. */
  readonly pollIntervalMs: number;
  /** An ID token for a function URL, or undefined to call it without credentials. */
  readonly idToken: (audience: string, signal: AbortSignal) => Promise<string | undefined>;
  readonly errors: GcpErrors;
}

type FunctionsHandlers = OperationHandlers<typeof functionsV1, AbortSignal>;

/** Cloud Functions' `state` (https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions#State) in the contract's terms. */
const STATE: Readonly<Record<string, FunctionInfo['state']>> = {
  ACTIVE: 'active',
  DEPLOYING: 'pending',
  DELETING: 'pending',
  FAILED: 'failed',
};

interface CloudFunction {
  readonly info: FunctionInfo;
  readonly uri: string | undefined;
}

/** A v2 `Function` resource, the fields read (https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions). */
const functionResource = z.object({
  name: z.string().min(1),
  state: z.string().nullish(),
  updateTime: z.string().nullish(),
  url: z.string().nullish(),
  buildConfig: z.object({ runtime: z.string().nullish() }).nullish(),
  serviceConfig: z.object({ uri: z.string().nullish() }).nullish(),
});

function toCloudFunction(raw: z.infer<typeof functionResource>): CloudFunction {
  const runtime = raw.buildConfig?.runtime ?? undefined;
  const uri = raw.serviceConfig?.uri ?? raw.url ?? undefined;
  const lastModified = isoTimestamp(raw.updateTime);
  return {
    info: {
      name: lastSegment(raw.name),
      state: STATE[raw.state ?? ''] ?? 'unknown',
      ...(runtime === undefined ? {} : { runtime }),
      ...(uri === undefined ? {} : { url: uri }),
      ...(lastModified === undefined ? {} : { lastModified }),
    },
    uri,
  };
}

const functionSchema = functionResource.transform(toCloudFunction);
const listSchema = z.object({ functions: z.array(functionSchema).nullish(), nextPageToken: pageTokenSchema });
const uploadUrlSchema = z.object({ uploadUrl: z.string().min(1), storageSource: z.record(z.string(), z.unknown()).nullish() });
const operationSchema = z.object({
  name: z.string().min(1),
  done: z.boolean().nullish(),
  error: z.object({ code: z.number().nullish(), message: z.string().nullish() }).nullish(),
});

/**
 * The `functions` v1 operations on the Cloud Functions v2 REST API. Deploy
 * asks for a signed upload URL, PUTs the zip there, then creates the function
 * (or patches it when it exists) and polls the long-running operation until
 * it is done or the call's signal aborts. Invoke POSTs the JSON payload to the
 * function's `serviceConfig.uri` with an ID token for that URL when a service
 * account is configured (else without credentials); `async` mode is `unsupported`.
 */
export function createFunctionsHandlers(dependencies: GcpFunctionsDependencies): FunctionsHandlers {
  const { errors } = dependencies;
  const parent = () => `projects/${encodeURIComponent(dependencies.projectId())}/locations/${encodeURIComponent(dependencies.location)}`;
  const functionPath = (name: string) => `/v2/${parent()}/functions/${encodeURIComponent(name)}`;

  async function describe(name: string, signal: AbortSignal): Promise<CloudFunction> {
    const { data } = await dependencies.client().request({ path: functionPath(name), responseSchema: functionSchema, signal });
    return data;
  }

  /** Polls an operation until it is done; a failed operation becomes an error of its `google.rpc.Code`. */
  async function waitFor(operationName: string, operation: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const { data } = await dependencies.client().request({ path: `/v2/${operationName}`, responseSchema: operationSchema, signal });
      if (data.done === true) {
        if (data.error === undefined || data.error === null) return;
        throw errors.fromOperation(operation, operationName, data.error);
      }
      try {
        await sleep(dependencies.pollIntervalMs, undefined, { signal });
      } catch (error) {
        throw errors.create({ kind: 'timeout', message: `${operation}: gave up waiting for ${operationName}`, operation, cause: error });
      }
    }
  }

  return {
    deployFunction: (input, signal) =>
      errors.tagOperation('functions.deployFunction', async () => {
        const client = dependencies.client();
        const { data: upload } = await client.request({
          method: 'POST',
          path: `/v2/${parent()}/functions:generateUploadUrl`,
          body: {},
          responseSchema: uploadUrlSchema,
          signal,
        });
        const uploadUrl = new URL(upload.uploadUrl);
        await dependencies.plainClient(uploadUrl.origin).request({
          method: 'PUT',
          path: `${uploadUrl.pathname}${uploadUrl.search}`,
          headers: { 'content-type': 'application/zip', 'x-goog-content-length-range': '0,104857600' },
          body: new Uint8Array(Buffer.from(input.zipBase64, 'base64')),
          responseType: 'none',
          signal,
        });
        const exists = await describe(input.name, signal).then(
          () => true,
          (error: unknown) => {
            if (IntegrationError.isInstance(error) && error.kind === 'not_found') return false;
            throw error;
          },
        );
        const serviceConfig = {
          ...(input.memoryMb === undefined ? {} : { availableMemory: `${input.memoryMb}M` }),
          ...(input.timeoutSeconds === undefined ? {} : { timeoutSeconds: input.timeoutSeconds }),
          ...(input.environment === undefined ? {} : { environmentVariables: input.environment }),
        };
        const body = {
          buildConfig: {
            runtime: input.runtime ?? dependencies.defaultRuntime,
            entryPoint: input.handler ?? 'handler',
            source: { storageSource: upload.storageSource ?? {} },
          },
          ...(Object.keys(serviceConfig).length === 0 ? {} : { serviceConfig }),
        };
        const updateMask = [
          'buildConfig.runtime',
          'buildConfig.entryPoint',
          'buildConfig.source',
          ...Object.keys(serviceConfig).map((field) => `serviceConfig.${field}`),
        ].join(',');
        const { data: started } = exists
          ? await client.request({
              method: 'PATCH',
              path: functionPath(input.name),
              query: { updateMask },
              body,
              responseSchema: operationSchema,
              signal,
            })
          : await client.request({
              method: 'POST',
              path: `/v2/${parent()}/functions`,
              query: { functionId: input.name },
              body,
              responseSchema: operationSchema,
              signal,
            });
        await waitFor(started.name, 'functions.deployFunction', signal);
        return (await describe(input.name, signal)).info;
      }),
    invokeFunction: (input, signal) =>
      errors.tagOperation('functions.invokeFunction', async () => {
        if (input.mode === 'async') {
          throw errors.create({
            kind: 'unsupported',
            message:
              'Cloud Functions HTTP functions have no asynchronous invocation; call with mode "sync", or publish to the function’s Pub/Sub trigger',
            operation: 'functions.invokeFunction',
          });
        }
        const { uri } = await describe(input.name, signal);
        if (uri === undefined) {
          throw errors.create({
            kind: 'unsupported',
            message: `function "${input.name}" has no HTTP URI to invoke`,
            operation: 'functions.invokeFunction',
          });
        }
        const target = new URL(uri);
        const idToken = await dependencies.idToken(uri, signal);
        try {
          const response = await dependencies.plainClient(target.origin).request({
            method: 'POST',
            path: `${target.pathname === '/' ? '' : target.pathname}${target.search}` || '/',
            // Sent as JSON text whatever the payload is (a bare string too), as the function's HTTP trigger expects.
            body: JSON.stringify(input.payload ?? null),
            headers: { 'content-type': 'application/json', authorization: idToken === undefined ? undefined : `Bearer ${idToken}` },
            responseType: 'text',
            signal,
          });
          const text = typeof response.data === 'string' ? response.data : '';
          let result: unknown = text;
          try {
            result = text === '' ? undefined : (JSON.parse(text) as unknown);
          } catch {
            // A function may answer plain text; it is returned as it is.
          }
          return result === undefined ? { statusCode: response.status } : { statusCode: response.status, result: result as never };
        } catch (error) {
          // A function that throws answers 5xx: that is the function's failure, not the call's.
          if (IntegrationError.isInstance(error) && error.statusCode !== undefined && error.statusCode >= 500) {
            return { statusCode: error.statusCode, functionError: error.message };
          }
          throw error;
        }
      }),
    getFunction: (input, signal) => errors.tagOperation('functions.getFunction', async () => (await describe(input.name, signal)).info),
    listFunctions: (input, signal) =>
      errors.tagOperation('functions.listFunctions', async () => {
        const { data } = await dependencies.client().request({
          path: `/v2/${parent()}/functions`,
          query: { pageSize: input.limit, pageToken: input.cursor },
          responseSchema: listSchema,
          signal,
        });
        const functions = (data.functions ?? []).map((listed) => listed.info);
        return data.nextPageToken === undefined ? { functions } : { functions, nextCursor: data.nextPageToken };
      }),
    deleteFunction: (input, signal) =>
      errors.tagOperation('functions.deleteFunction', async () => {
        const { data } = await dependencies
          .client()
          .request({ method: 'DELETE', path: functionPath(input.name), responseSchema: operationSchema, signal });
        await waitFor(data.name, 'functions.deleteFunction', signal);
        return { name: input.name };
      }),
  };
}
