import { IntegrationError, type OperationHints, type ProviderOperation, type ProviderV1 } from '@switchyard/core';
import type { z } from 'zod';
import type { QueryParameters, QueryValue } from './http-body';
import { createHttpClient, type HttpClient } from './http-client';
import type { ResponseSchema } from './response-schema';
import { createIntegrationManifest, rejectRoutedCall, type IntegrationSettings } from './integration-manifest';

/**
 * How a REST operation sends the input fields that are neither path nor
 * query parameters:
 * - `'json'`: all of them, as a JSON object;
 * - `'form'`: all of them, as `application/x-www-form-urlencoded` (arrays repeat the key);
 * - a list of field names: only those, as a JSON object.
 */
export type RestBodyEncoding = 'json' | 'form' | readonly string[];

/** One REST operation, declared as data. Becomes a provider-specific operation and a hub tool. */
export interface RestOperationDefinition<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  /** HTTP method, e.g. `GET` or `post`. */
  readonly method: string;
  /**
   * Path below `baseURL` with `{name}` placeholders filled from the input
   * field of that name, URL-encoded, e.g. `/repos/{owner}/{repo}/issues`.
   */
  readonly path: string;
  /** Input fields sent as query parameters (`undefined` ones are left out). Default: none. */
  readonly query?: readonly string[] | undefined;
  /** How the remaining input fields become the request body. Default: no body. */
  readonly body?: RestBodyEncoding | undefined;
  /** Zod schema of the input; an object schema whenever the operation has path, query or listed body fields. */
  readonly input: Input;
  /** Zod schema of the response body (only the fields the caller needs). */
  readonly output: Output;
  /** Whether the operation reads only, destroys data, or may be repeated. */
  readonly hints: OperationHints;
  /** What the operation does, for people and AI agents. */
  readonly description: string;
}

/** Settings of {@link createRestIntegration}. */
export interface RestIntegrationSettings extends IntegrationSettings {
  /** Origin and base path every operation path is appended to, e.g. `https://api.github.com`. */
  readonly baseURL: string;
  /** The operations, by name (`camelCase`; the tool is `<id>_<snake_case name>`). */
  readonly operations: Readonly<Record<string, RestOperationDefinition>>;
}

const PLACEHOLDER = /\{([^{}]+)\}/g;

interface CompiledOperation {
  readonly name: string;
  readonly definition: RestOperationDefinition;
  readonly pathParameters: readonly string[];
  readonly query: readonly string[];
  /** Fields that may end up in a `'json'` / `'form'` body: everything not in the path or query. */
  readonly consumed: ReadonlySet<string>;
}

function shapeOf(schema: z.ZodType): Readonly<Record<string, unknown>> | undefined {
  const shape = (schema as { shape?: unknown }).shape;
  return typeof shape === 'object' && shape !== null ? (shape as Record<string, unknown>) : undefined;
}

function compile(settings: RestIntegrationSettings, name: string, definition: RestOperationDefinition): CompiledOperation {
  const pathParameters = [...definition.path.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
  const query = definition.query ?? [];
  const listed = Array.isArray(definition.body) ? (definition.body as readonly string[]) : [];
  const shape = shapeOf(definition.input);
  const fail = (message: string): IntegrationError =>
    new IntegrationError({
      kind: 'validation',
      message: `Invalid integration "${settings.id}": operation "${name}" ${message}`,
      provider: settings.id,
      operation: name,
      isRetryable: false,
    });
  if (!definition.path.startsWith('/')) throw fail(`path "${definition.path}" must start with "/"`);
  for (const [role, fields] of [
    ['path parameter', pathParameters],
    ['query field', query],
    ['body field', listed],
  ] as const) {
    for (const field of fields) {
      if (shape === undefined) throw fail(`has ${role} "${field}" but its input schema is not an object schema`);
      if (!Object.hasOwn(shape, field)) throw fail(`${role} "${field}" is missing from the input schema`);
    }
  }
  return { name, definition, pathParameters, query, consumed: new Set([...pathParameters, ...query]) };
}

/** A field value as text: strings as they are, numbers and booleans printed, objects as JSON. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? '';
}

function fillPath(operation: CompiledOperation, input: Readonly<Record<string, unknown>>, provider: string): string {
  return operation.definition.path.replace(PLACEHOLDER, (_placeholder, field: string) => {
    const value = input[field];
    if (value === undefined || value === null || value === '') {
      throw new IntegrationError({
        kind: 'validation',
        message: `${provider}.${operation.name}: path parameter "${field}" is empty`,
        provider,
        operation: operation.name,
      });
    }
    return encodeURIComponent(textOf(value));
  });
}

function queryOf(operation: CompiledOperation, input: Readonly<Record<string, unknown>>): QueryParameters | undefined {
  if (operation.query.length === 0) return undefined;
  const query: Record<string, QueryValue> = {};
  for (const field of operation.query) {
    const value = input[field];
    query[field] = typeof value === 'object' && value !== null && !Array.isArray(value) ? JSON.stringify(value) : (value as QueryValue);
  }
  return query;
}

function bodyOf(operation: CompiledOperation, input: Readonly<Record<string, unknown>>): unknown {
  const encoding = operation.definition.body;
  if (encoding === undefined) return undefined;
  if (Array.isArray(encoding)) {
    const body: Record<string, unknown> = {};
    for (const field of encoding as readonly string[]) if (input[field] !== undefined) body[field] = input[field];
    return body;
  }
  const remaining = Object.entries(input).filter(([field, value]) => !operation.consumed.has(field) && value !== undefined);
  if (encoding === 'json') return Object.fromEntries(remaining);
  const form = new URLSearchParams();
  for (const [field, value] of remaining) {
    if (value === null) continue;
    if (Array.isArray(value)) for (const item of value as unknown[]) form.append(field, String(item));
    else form.append(field, textOf(value));
  }
  return form;
}

/** Checks the response against the output schema (a mismatch names the field) but hands back the raw JSON: the hub parses it. */
function checkedAgainst(output: z.ZodType): ResponseSchema<unknown> {
  return {
    safeParse(value) {
      const result = output.safeParse(value);
      return result.success ? { success: true, data: value } : { success: false, error: result.error };
    },
  };
}

function toProviderOperation(operation: CompiledOperation, client: HttpClient, provider: string): ProviderOperation {
  const { definition } = operation;
  const method = definition.method.toUpperCase();
  const responseSchema = checkedAgainst(definition.output);
  return {
    description: definition.description,
    input: definition.input,
    output: definition.output,
    hints: definition.hints,
    async execute(input, context) {
      const fields = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
      const response = await client.request({
        method,
        path: fillPath(operation, fields, provider),
        query: queryOf(operation, fields),
        body: bodyOf(operation, fields),
        responseSchema: method === 'HEAD' ? undefined : responseSchema,
        signal: context.signal,
      });
      return response.data;
    },
  };
}

/**
 * Creates a complete provider from a REST API declared as data: each
 * operation names its method, path template, query and body fields and zod
 * schemas. The operations run through `createHttpClient` (auth, SSRF guard,
 * one error mapper: a 404 is `not_found`, a 429 `rate_limit`, ...; errors
 * redacted with the provider's `secrets`, the client's set) and become
 * hub tools via `hub.callProviderOperation()` / `hub.tools`. The manifest
 * lists no capabilities, so routed calls (`execute`) reject with
 * `unsupported`. The declaration is checked now: a path parameter missing
 * from the input schema, two operation names that become one tool name, or a
 * non-https `docsUrl` throw a `validation` IntegrationError naming it.
 *
 * @example
 * ```ts
 * const tracker = createRestIntegration({
 *   id: 'acme-tracker', name: 'Acme Tracker', category: 'project-management', docsUrl: 'https://docs.acme.dev',
 *   baseURL: 'https://api.acme.dev', auth: bearerAuth({ getToken: () => process.env.ACME_TOKEN ?? '' }),
 *   operations: {
 *     listIssues: { method: 'GET', path: '/repos/{owner}/{repo}/issues', query: ['state'], input: z.object({ owner: z.string(), repo: z.string(), state: z.string().optional() }),
 *       output: z.array(z.object({ id: z.number(), title: z.string() })), hints: { readOnly: true, destructive: false, idempotent: true }, description: 'Lists issues' },
 *   },
 * });
 * const hub = createHub({ providers: [tracker] });
 * await hub.callProviderOperation('acme-tracker', 'listIssues', { owner: 'octo', repo: 'hello' });
 * ```
 */
export function createRestIntegration(settings: RestIntegrationSettings): ProviderV1 {
  const names = Object.keys(settings.operations);
  const manifest = createIntegrationManifest(settings, names);
  const compiled = names.map((name) => compile(settings, name, settings.operations[name] as RestOperationDefinition));
  const client = createHttpClient({
    baseURL: settings.baseURL,
    provider: settings.id,
    auth: settings.auth,
    dispatcher: settings.dispatcher,
    allowPrivateNetwork: settings.allowPrivateNetwork,
    headers: settings.headers,
    timeoutMs: settings.timeoutMs,
    secrets: settings.secrets,
  });
  const operations: Record<string, ProviderOperation> = {};
  for (const operation of compiled) operations[operation.name] = toProviderOperation(operation, client, settings.id);
  const provider: ProviderV1 = {
    specificationVersion: 'v1',
    manifest,
    operations: Object.freeze(operations),
    execute: (request) => rejectRoutedCall(settings.id, request),
    secrets: client.secrets,
  };
  return Object.freeze(provider);
}
