import { Buffer } from 'node:buffer';
import { IntegrationError, type OperationHandlers, type SecretSet } from '@switchyard/core';
import type { functionsV1 } from '@switchyard/core/functions';
import { createHttpClient, type HttpClient, type HttpTransportSettings } from '@switchyard/http';
import { armListPage, readArmCursor } from './azure-arm';
import type { AzureErrors } from './azure-error';
import { functionEnvelopeSchema, functionPageSchema, toFunctionInfo } from './azure-functions-api';
import { readZipTextFiles } from './azure-zip';

/** The App Service API version every management request uses. */
export const FUNCTIONS_API_VERSION = '2024-04-01';

/** One handler per functions v1 operation. */
export type FunctionsHandlers = OperationHandlers<typeof functionsV1>;

/** What the functions handlers need, settings resolved; `dispatcher` and `allowPrivateNetwork` apply to invocations. */
export interface FunctionsHandlerOptions extends Pick<HttpTransportSettings, 'dispatcher' | 'allowPrivateNetwork'> {
  readonly arm: () => HttpClient;
  /** `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{app}`, or a thrower when not configured. */
  readonly sitePath: () => string;
  readonly managementBaseURL: string;
  readonly invokeBaseURL: string;
  readonly functionKey: string | undefined;
  readonly functionKeys: Readonly<Record<string, string>>;
  /** The provider's secrets: the function keys are added to them, and the invoking client redacts with them. */
  readonly secrets: SecretSet;
  readonly errors: AzureErrors;
}

/** The response body as the contract's result: parsed JSON, else the text; undefined when empty. */
function resultOf(body: unknown): unknown {
  if (body instanceof Uint8Array) {
    const textBody = Buffer.from(body).toString('utf8');
    if (textBody.trim() === '') return undefined;
    try {
      return JSON.parse(textBody) as unknown;
    } catch {
      return textBody;
    }
  }
  return body;
}

/**
 * The functions v1 operations: invoke through the app's HTTP trigger
 * (`POST {baseURL}/api/{name}` with `x-functions-key`); deploy, get, list and
 * delete through Resource Manager's `Microsoft.Web/sites/{app}/functions`
 * (api-version 2024-04-01). HTTP triggers have no async mode, so `async`
 * invocations fail with `unsupported`.
 */
export function createFunctionsHandlers(options: FunctionsHandlerOptions): FunctionsHandlers {
  const { secrets, errors } = options;
  for (const key of [options.functionKey, ...Object.values(options.functionKeys)]) secrets.add(key);
  const unsupported = (message: string, operation: string): IntegrationError =>
    errors.create({ kind: 'unsupported', message, operation, isRetryable: false });
  let invoker: HttpClient | undefined;
  const invokeClient = () =>
    (invoker ??= createHttpClient({
      baseURL: options.invokeBaseURL,
      provider: errors.provider,
      secrets,
      dispatcher: options.dispatcher,
      allowPrivateNetwork: options.allowPrivateNetwork,
    }));
  const functionPath = (name: string) => `${options.sitePath()}/functions/${encodeURIComponent(name)}`;
  const query = { 'api-version': FUNCTIONS_API_VERSION };

  return {
    async deployFunction(input, { signal }) {
      if (input.memoryMb !== undefined || input.timeoutSeconds !== undefined || input.environment !== undefined) {
        throw unsupported(
          'memory, timeout and environment are settings of the whole function app in Azure (app settings, host.json), not of one function',
          'functions.deployFunction',
        );
      }
      const files = readZipTextFiles(Buffer.from(input.zipBase64, 'base64'), errors);
      const { data } = await options.arm().request({
        method: 'PUT',
        path: functionPath(input.name),
        query,
        body: {
          properties: {
            config: {
              bindings: [
                { authLevel: 'function', type: 'httpTrigger', direction: 'in', name: 'req', methods: ['post'] },
                { type: 'http', direction: 'out', name: '$return' },
              ],
              ...(input.handler === undefined ? {} : { entryPoint: input.handler }),
            },
            files,
            ...(input.runtime === undefined ? {} : { language: input.runtime }),
          },
        },
        responseSchema: functionEnvelopeSchema,
        signal,
      });
      return toFunctionInfo(data);
    },

    async invokeFunction(input, { signal }) {
      if (input.mode === 'async') {
        throw unsupported(
          'HTTP-triggered functions have no asynchronous invocation; call with mode "sync", or put the event on a queue the function is triggered by',
          'functions.invokeFunction',
        );
      }
      const key = options.functionKeys[input.name] ?? options.functionKey;
      try {
        const response = await invokeClient().request({
          method: 'POST',
          path: `/api/${encodeURIComponent(input.name)}`,
          headers: { 'x-functions-key': key, 'content-type': 'application/json' },
          body: input.payload === undefined ? undefined : JSON.stringify(input.payload),
          responseType: 'bytes',
          signal,
        });
        const result = resultOf(response.data);
        return result === undefined ? { statusCode: response.status } : { statusCode: response.status, result: result as never };
      } catch (error) {
        // An unhandled exception in the function is the host's 500: the function failed, the call did not.
        if (IntegrationError.isInstance(error) && error.statusCode === 500) {
          return { statusCode: 500, functionError: 'The function failed with 500 Internal Server Error' };
        }
        throw error;
      }
    },

    async getFunction(input, { signal }) {
      const { data } = await options
        .arm()
        .request({ path: functionPath(input.name), query, responseSchema: functionEnvelopeSchema, signal });
      return toFunctionInfo(data);
    },

    async listFunctions(input, { signal }) {
      const operation = 'functions.listFunctions';
      const cursor = readArmCursor(input.cursor, operation);
      const path = cursor.path ?? `${options.sitePath()}/functions?api-version=${FUNCTIONS_API_VERSION}`;
      const { data } = await options.arm().request({ path, responseSchema: functionPageSchema, signal });
      const page = armListPage(data.value, {
        path,
        cursor,
        limit: input.limit,
        nextLink: data.nextLink,
        managementBaseURL: options.managementBaseURL,
        operation,
        errors,
      });
      const functions = page.items.map(toFunctionInfo);
      return page.nextCursor === undefined ? { functions } : { functions, nextCursor: page.nextCursor };
    },

    async deleteFunction(input, { signal }) {
      await options.arm().request({ method: 'DELETE', path: functionPath(input.name), query, responseType: 'none', signal });
      return { name: input.name };
    },
  };
}
