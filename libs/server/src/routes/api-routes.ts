import type { ExecuteOptions, Hub } from '@switchyard/core';
import { z } from 'zod';
import { problem, problemFromError, ProblemError } from '../http/problem';
import { connectionSignal } from '../http/connection-signal';
import { anyObject, defineRoute, type AnyRouteSpec, type RouteContext } from '../http/route';

const providerIds = z.array(z.string().min(1).max(255)).max(64);

/** The routing options a call may carry, in the execute body or a tool call's query. */
const routingFields = {
  prefer: providerIds.optional().describe('Provider ids to try first, in order'),
  only: providerIds.optional().describe('Only these providers'),
  exclude: providerIds.optional().describe('Never these providers'),
  deadline: z.int().positive().optional().describe('Give up at this time (epoch milliseconds)'),
  timeoutMs: z.int().positive().max(3_600_000).optional().describe('Give up after this many milliseconds'),
  idempotencyKey: z.string().min(1).max(255).optional().describe('Makes a retried write happen once, for providers that support it'),
};

export const executeBody = z.object({
  capability: z.string().min(1).max(255).describe('A capability, e.g. storage'),
  operation: z.string().min(1).max(255).describe('One of its operations, e.g. putObject'),
  input: anyObject().default({}).describe("The operation's input, as its contract describes"),
  ...routingFields,
});

const isName = (value: unknown): value is string => typeof value === 'string' && value.length >= 1 && value.length <= 255;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The execute body as most callers send it (capability, operation and an
 * input object, nothing else) read without zod: what `executeBody` gives for
 * it, or undefined for any other body, which zod then reads. A property test
 * holds the two to the same answer.
 */
export function quickExecuteBody(body: unknown): z.output<typeof executeBody> | undefined {
  if (!isObject(body)) return undefined;
  for (const key in body) if (key !== 'capability' && key !== 'operation' && key !== 'input') return undefined;
  const { capability, operation, input } = body;
  return isName(capability) && isName(operation) && isObject(input) ? { capability, operation, input } : undefined;
}

const attempt = z.object({ provider: z.string(), attempt: z.int(), kind: z.string(), message: z.string(), durationMs: z.number() });

const executeResult = z.object({
  value: z.unknown().describe("The operation's output"),
  provider: z.string().describe('The provider that served the call'),
  failedAttempts: z.array(attempt).describe('Failed attempts before the one that succeeded'),
  placement: z
    .object({ policy: z.string(), holders: z.array(z.string()), missed: z.array(z.string()), pending: z.array(z.string()) })
    .optional()
    .describe('For stateful writes and reads: where the data went or was found'),
});

const explainQuery = z.object({
  capability: z.string().min(1).max(255),
  operation: z.string().min(1).max(255),
  prefer: z.string().optional().describe('Comma-separated provider ids'),
  only: z.string().optional().describe('Comma-separated provider ids'),
  exclude: z.string().optional().describe('Comma-separated provider ids'),
});

const toolSchema = z.object({
  name: z.string(),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()),
  annotations: z.object({
    readOnlyHint: z.boolean(),
    destructiveHint: z.boolean(),
    idempotentHint: z.boolean(),
    openWorldHint: z.boolean(),
  }),
  target: z.record(z.string(), z.unknown()),
});

const toolCallQuery = z.object({
  prefer: z.string().optional().describe('Comma-separated provider ids to try first'),
  only: z.string().optional().describe('Comma-separated provider ids'),
  exclude: z.string().optional().describe('Comma-separated provider ids'),
  timeoutMs: z.coerce.number().int().positive().max(3_600_000).optional(),
});

const providerSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  docsUrl: z.string(),
  capabilities: z.array(z.object({ name: z.string(), version: z.int(), operations: z.array(z.string()) })),
  breaker: z.string().describe('closed, open or half-open'),
  calls: z.number(),
  failures: z.number(),
});

const list = (text: string | undefined): string[] | undefined =>
  text === undefined
    ? undefined
    : text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');

function callOptions(fields: Partial<Record<keyof typeof routingFields, unknown>>, context: RouteContext): ExecuteOptions {
  // Built field by field: this runs on every call, and a spread per option costs an object each.
  const options: { -readonly [Name in keyof ExecuteOptions]: ExecuteOptions[Name] } = {
    // A caller that hangs up stops waiting on providers it no longer wants.
    signal: connectionSignal(context.request.raw.socket),
  };
  if (fields.prefer !== undefined) options.prefer = fields.prefer as string[];
  if (fields.only !== undefined) options.only = fields.only as string[];
  if (fields.exclude !== undefined) options.exclude = fields.exclude as string[];
  if (fields.deadline !== undefined) options.deadline = fields.deadline as number;
  if (fields.timeoutMs !== undefined) options.timeoutMs = fields.timeoutMs as number;
  const header = context.request.headers['idempotency-key'];
  const idempotencyKey =
    (fields.idempotencyKey as string | undefined) ?? (typeof header === 'string' && header !== '' ? header : undefined);
  if (idempotencyKey !== undefined) options.idempotencyKey = idempotencyKey;
  return options;
}

/** The generic API: execute, explain, tools and providers. */
export function apiRoutes(hub: Hub): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/execute',
      operationId: 'execute',
      summary: 'Run a capability operation through the failover router',
      description: 'The hub picks a provider, retries and fails over as its policy says. `Idempotency-Key` works as the body field.',
      tags: ['execute'],
      scope: 'execute',
      body: executeBody,
      quickBody: quickExecuteBody,
      responses: { 200: { description: 'The operation succeeded', schema: executeResult } },
      async handle({ body }, context) {
        try {
          const request = { capability: body.capability, operation: body.operation, input: body.input };
          const { value, provider, failedAttempts, placement } = await hub.execute(request, callOptions(body, context));
          return placement === undefined ? { value, provider, failedAttempts } : { value, provider, failedAttempts, placement };
        } catch (error) {
          throw new ProblemError(problemFromError(error, 'body.input'));
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/explain',
      operationId: 'explain',
      summary: 'How the router would route an operation right now',
      tags: ['execute'],
      scope: 'read',
      query: explainQuery,
      responses: {
        200: { description: 'Candidates in the order the router would try them, with scores', schema: z.record(z.string(), z.unknown()) },
      },
      handle: async ({ query }) =>
        Promise.resolve(
          hub.explain(
            { capability: query.capability, operation: query.operation },
            {
              ...(query.prefer === undefined ? {} : { prefer: list(query.prefer) }),
              ...(query.only === undefined ? {} : { only: list(query.only) }),
              ...(query.exclude === undefined ? {} : { exclude: list(query.exclude) }),
            },
          ),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/tools',
      operationId: 'listTools',
      summary: 'Every routed and provider operation as a tool, with JSON Schemas and annotations',
      tags: ['tools'],
      scope: 'read',
      responses: { 200: { description: 'The tools', schema: z.object({ tools: z.array(toolSchema) }) } },
      handle: async () => Promise.resolve({ tools: hub.tools.list() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/tools/:name',
      operationId: 'callTool',
      summary: 'Call one tool with its arguments as the body',
      tags: ['tools'],
      scope: 'execute',
      params: z.object({ name: z.string().min(1).max(255).describe('A tool name from GET /api/v1/tools') }),
      query: toolCallQuery,
      body: anyObject().describe("The tool's arguments, as its inputSchema describes"),
      responses: { 200: { description: "The tool's result", schema: z.object({ result: z.unknown() }) } },
      async handle({ params, query, body }, context) {
        if (hub.tools.get(params.name) === undefined) {
          throw new ProblemError(problem(404, 'not_found', `No tool named "${params.name}"`, { isRetryable: false }));
        }
        const options = callOptions(
          { prefer: list(query.prefer), only: list(query.only), exclude: list(query.exclude), timeoutMs: query.timeoutMs },
          context,
        );
        try {
          return { result: await hub.tools.callTool(params.name, body, options) };
        } catch (error) {
          throw new ProblemError(problemFromError(error, 'body'));
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/providers',
      operationId: 'listProviders',
      summary: 'The registered providers, their capabilities and breaker state',
      tags: ['providers'],
      scope: 'read',
      responses: { 200: { description: 'The providers', schema: z.object({ providers: z.array(providerSchema) }) } },
      async handle() {
        const metrics = hub.metrics();
        return Promise.resolve({
          providers: hub.registry.list().map(({ manifest }) => {
            const report = metrics[manifest.id];
            return {
              id: manifest.id,
              name: manifest.name,
              category: manifest.category,
              docsUrl: manifest.docsUrl,
              capabilities: manifest.capabilities.map(({ name, version, operations }) => ({ name, version, operations: [...operations] })),
              breaker: report?.breaker.state ?? 'closed',
              calls: report?.calls ?? 0,
              failures: report?.failures ?? 0,
            };
          }),
        });
      },
    }),
  ];
}
