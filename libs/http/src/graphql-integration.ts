import {
  IntegrationError,
  redactIntegrationError,
  type ErrorKind,
  type OperationHints,
  type ProviderOperation,
  type ProviderV1,
  type SecretSet,
} from '@switchyard/core';
import type { z } from 'zod';
import { redactedExcerpt } from './error-excerpt';
import { createHttpClient } from './http-client';
import type { ResponseSchema } from './response-schema';
import { retryAfterMsFromHeaders, type HttpResponseHeaders } from './http-headers';
import { createIntegrationManifest, rejectRoutedCall, type IntegrationSettings } from './integration-manifest';

/** One GraphQL operation, declared as data. Becomes a provider-specific operation and a hub tool. */
export interface GraphQLOperationDefinition<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  /** The GraphQL document (a query or mutation), e.g. `query Issue($id: ID!) { issue(id: $id) { id title } }`. */
  readonly document: string;
  /** Builds the variables from the validated input. Default: the input is the variables. */
  readonly variables?: ((input: z.output<Input>) => Record<string, unknown>) | undefined;
  /** Zod schema of the input. */
  readonly input: Input;
  /** Zod schema of the response's `data` (only the fields the caller needs). */
  readonly output: Output;
  /** Whether the operation reads only, destroys data, or may be repeated. */
  readonly hints: OperationHints;
  /** What the operation does, for people and AI agents. */
  readonly description: string;
}

/** Settings of {@link createGraphQLIntegration}. */
export interface GraphQLIntegrationSettings<
  Inputs extends Record<string, z.ZodType> = Record<string, z.ZodType>,
> extends IntegrationSettings {
  /** The GraphQL endpoint every operation is POSTed to, e.g. `https://api.linear.app/graphql`. */
  readonly endpoint: string;
  /** The operations, by name (`camelCase`; the tool is `<id>_<snake_case name>`). */
  readonly operations: { readonly [Name in keyof Inputs]: GraphQLOperationDefinition<Inputs[Name]> };
}

/** One entry of a GraphQL response's `errors`, as far as the code reads it. */
interface GraphQLErrorEntry {
  readonly message?: unknown;
  readonly path?: unknown;
  readonly extensions?: { readonly code?: unknown } | null;
}

interface GraphQLEnvelope {
  readonly data?: unknown;
  readonly errors?: readonly GraphQLErrorEntry[];
}

/** `extensions.code` values (Apollo, GraphQL Yoga, Hasura, ...) and the error kind each means. */
const KIND_BY_CODE: Readonly<Record<string, ErrorKind>> = {
  GRAPHQL_VALIDATION_FAILED: 'validation',
  GRAPHQL_PARSE_FAILED: 'validation',
  BAD_USER_INPUT: 'validation',
  UNAUTHENTICATED: 'auth',
  FORBIDDEN: 'auth',
  RATE_LIMITED: 'rate_limit',
  NOT_FOUND: 'not_found',
};

/** How many error messages a GraphQL failure quotes. */
const MAXIMUM_QUOTED_ERRORS = 3;

function codeOf(entry: GraphQLErrorEntry): string | undefined {
  const code = entry.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/** An error's message, redacted before it is shortened (see `redactedExcerpt`). */
function messageOf(entry: GraphQLErrorEntry, secrets: SecretSet): string {
  const message = typeof entry.message === 'string' ? redactedExcerpt(entry.message, { secrets }) : '';
  return message === '' ? 'unknown error' : message;
}

/**
 * Turns a GraphQL response's `errors` into one IntegrationError: the first
 * error with a known `extensions.code` picks the kind (`validation`,
 * `auth`, `rate_limit`, `not_found`), else `provider`. Messages are quoted
 * (at most three, shortened) and redacted, with the integration's `secrets` too.
 */
function graphQLError(
  provider: string,
  operation: string,
  errors: readonly GraphQLErrorEntry[],
  headers: HttpResponseHeaders,
  secrets: SecretSet,
): IntegrationError {
  const codes = errors.map(codeOf);
  const known = codes.find((code) => code !== undefined && KIND_BY_CODE[code] !== undefined);
  const kind: ErrorKind = known === undefined ? 'provider' : (KIND_BY_CODE[known] ?? 'provider');
  const quoted = errors
    .slice(0, MAXIMUM_QUOTED_ERRORS)
    .map((entry) => messageOf(entry, secrets))
    .join('; ');
  const more = errors.length > MAXIMUM_QUOTED_ERRORS ? ` (and ${errors.length - MAXIMUM_QUOTED_ERRORS} more)` : '';
  const error = new IntegrationError({
    kind,
    message: `${provider}: GraphQL operation ${operation} failed${known === undefined ? '' : ` (${known})`}: ${quoted}${more}`,
    provider,
    operation,
    retryAfterMs: kind === 'rate_limit' ? retryAfterMsFromHeaders(headers) : undefined,
    details: {
      errors: errors.map((entry, index) => ({
        message: messageOf(entry, secrets),
        code: codes[index],
        path: Array.isArray(entry.path) ? entry.path : undefined,
      })),
    },
  });
  return redactIntegrationError(error, secrets);
}

/**
 * Checks the response envelope: an object with an `errors` list passes as
 * is (the caller turns it into an error); otherwise `data` must match the
 * output schema, and a mismatch names the field as `data.<field>`. The raw
 * envelope is handed back: the hub parses `data`.
 */
function envelopeSchema(output: z.ZodType): ResponseSchema<GraphQLEnvelope> {
  return {
    safeParse(value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { success: false, error: { issues: [{ path: [], message: 'expected a GraphQL response object with "data" or "errors"' }] } };
      }
      const envelope = value as GraphQLEnvelope;
      if (Array.isArray(envelope.errors) && envelope.errors.length > 0) return { success: true, data: envelope };
      const result = output.safeParse(envelope.data);
      if (result.success) return { success: true, data: envelope };
      return {
        success: false,
        error: { issues: result.error.issues.map((issue) => ({ path: ['data', ...issue.path], message: issue.message })) },
      };
    },
  };
}

/**
 * Creates a complete provider from GraphQL operations declared as data:
 * each is a document plus zod schemas of its input and of `data`. Calls are
 * POSTed as `{ query, variables }` through `createHttpClient` (auth, SSRF
 * guard, the shared HTTP error mapper) and become hub tools via
 * `hub.callProviderOperation()` / `hub.tools`. A response with `errors`
 * becomes an IntegrationError classified by `extensions.code`
 * (`GRAPHQL_VALIDATION_FAILED` / `BAD_USER_INPUT` → `validation`,
 * `UNAUTHENTICATED` / `FORBIDDEN` → `auth`, `RATE_LIMITED` → `rate_limit`,
 * else `provider`), messages redacted (also with the provider's `secrets`,
 * its client's set, which a hub redacts with). Routed calls (`execute`) reject with
 * `unsupported`. The declaration is checked now, as for `createRestIntegration`.
 *
 * @example
 * ```ts
 * const linear = createGraphQLIntegration({
 *   id: 'linear-graphql', name: 'Linear (GraphQL)', category: 'project-management', docsUrl: 'https://developers.linear.app',
 *   endpoint: 'https://api.linear.app/graphql', auth: apiKeyAuth({ in: 'header', name: 'authorization', getValue: () => process.env.LINEAR_API_KEY ?? '' }),
 *   operations: {
 *     getIssue: { document: 'query Issue($id: String!) { issue(id: $id) { id title } }', input: z.object({ id: z.string() }),
 *       output: z.object({ issue: z.object({ id: z.string(), title: z.string() }) }), hints: { readOnly: true, destructive: false, idempotent: true }, description: 'Reads one issue' },
 *   },
 * });
 * ```
 */
export function createGraphQLIntegration<Inputs extends Record<string, z.ZodType>>(
  settings: GraphQLIntegrationSettings<Inputs>,
): ProviderV1 {
  const definitions = settings.operations as Readonly<Record<string, GraphQLOperationDefinition>>;
  const names = Object.keys(definitions);
  const manifest = createIntegrationManifest(settings, names);
  const endpoint = new URL(settings.endpoint);
  const path = `${endpoint.pathname}${endpoint.search}`;
  const provider = settings.id;
  const client = createHttpClient({
    baseURL: endpoint.origin,
    provider,
    auth: settings.auth,
    dispatcher: settings.dispatcher,
    allowPrivateNetwork: settings.allowPrivateNetwork,
    headers: { accept: 'application/graphql-response+json, application/json', ...settings.headers },
    timeoutMs: settings.timeoutMs,
    secrets: settings.secrets,
  });
  const operations: Record<string, ProviderOperation> = {};
  for (const name of names) {
    const definition = definitions[name] as GraphQLOperationDefinition;
    const responseSchema = envelopeSchema(definition.output);
    operations[name] = {
      description: definition.description,
      input: definition.input,
      output: definition.output,
      hints: definition.hints,
      async execute(input, context) {
        const variables = definition.variables === undefined ? input : definition.variables(input);
        const response = await client.request({
          method: 'POST',
          path,
          body: { query: definition.document, variables: variables ?? {} },
          responseType: 'json',
          responseSchema,
          signal: context.signal,
        });
        const { errors, data } = response.data;
        if (errors !== undefined && errors.length > 0) throw graphQLError(provider, name, errors, response.headers, client.secrets);
        return data;
      },
    };
  }
  const integration: ProviderV1 = {
    specificationVersion: 'v1',
    manifest,
    operations: Object.freeze(operations),
    execute: (request) => rejectRoutedCall(provider, request),
    secrets: client.secrets,
  };
  return Object.freeze(integration);
}
