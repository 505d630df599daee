import type { ApiKeyIdentity, ApiKeyScope, IntegrationsService, Store } from '@switchyard/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problem, ProblemError, type FieldProblem } from './problem';

/** What a route handler learns about the caller. */
export interface RouteContext {
  /** The workspace the caller's key belongs to (the server's default workspace on public routes). */
  readonly workspaceId: string;
  /** The caller's key; undefined on public routes. */
  readonly key: ApiKeyIdentity | undefined;
  /** The store as the caller's workspace sees it (`store.forWorkspace(workspaceId)`): nothing of another workspace is in it. */
  readonly store: Store;
  /** Integrations of the caller's workspace. */
  readonly integrations: IntegrationsService;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** A response other than 200 with a JSON body: another status, headers, or another content type. */
export class RouteResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}) {
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** Builds a {@link RouteResponse}. */
export function respond(status: number, body?: unknown, headers: Readonly<Record<string, string>> = {}): RouteResponse {
  return new RouteResponse(status, body, headers);
}

/** One documented response of a route. */
export interface RouteResponseSpec {
  readonly description: string;
  /** The JSON body's schema; none for an empty body. */
  readonly schema?: z.ZodType | undefined;
  /** Default `application/json`. */
  readonly contentType?: string | undefined;
  /** Other media types the same status may come as, e.g. a webhook challenge echoed as text. */
  readonly alternatives?: readonly { readonly contentType: string; readonly schema: z.ZodType }[] | undefined;
}

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

/**
 * One HTTP route: the zod schemas its parameters, query and body are checked
 * with before the handler runs (400 naming each failing field), the scope
 * its key needs, and what it answers. The same object registers the Fastify
 * route and describes the operation in the OpenAPI document.
 */
export interface RouteSpec<
  Params extends z.ZodType | undefined = z.ZodType | undefined,
  Query extends z.ZodType | undefined = z.ZodType | undefined,
  Body extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify's form, `/api/v1/tools/:name`. */
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string | undefined;
  readonly tags: readonly string[];
  /** The scope the caller's API key must hold, or `public` for no key. */
  readonly scope: ApiKeyScope | 'public';
  readonly params?: Params;
  readonly query?: Query;
  readonly body?: Body;
  /**
   * For the hottest routes: reads the body's most common shape without the
   * schema and gives what the schema would, or undefined for anything else,
   * which then goes through the schema (and its error messages). Hold it to
   * the schema with a property test.
   */
  readonly quickBody?: ((body: unknown) => Parsed<Body> | undefined) | undefined;
  /** The body is not JSON: the handler gets the raw bytes as `body` (a Buffer). */
  readonly rawBody?: boolean | undefined;
  readonly responses: Readonly<Record<number, RouteResponseSpec>>;
  /** Returns the 200 JSON body, or a {@link RouteResponse}. Throw an `IntegrationError` or a `ProblemError` to fail. */
  readonly handle: (
    input: { readonly params: Parsed<Params>; readonly query: Parsed<Query>; readonly body: Parsed<Body> },
    context: RouteContext,
  ) => Promise<unknown>;
}

/** A route with its types erased, as lists of routes hold them (each handler was checked against its own schemas by {@link defineRoute}). */
export type AnyRouteSpec = Omit<RouteSpec, 'handle' | 'quickBody'> & {
  readonly quickBody?: ((body: unknown) => unknown) | undefined;
  readonly handle: (
    input: { readonly params: unknown; readonly query: unknown; readonly body: unknown },
    context: RouteContext,
  ) => Promise<unknown>;
};

/** Declares a route, checking its handler against its schemas. */
export function defineRoute<
  Params extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
  Body extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<Params, Query, Body>): AnyRouteSpec {
  return spec as unknown as AnyRouteSpec;
}

/** Parses one part of the request with its schema, or collects its issues as fields under `part`. */
export function parsePart(schema: z.ZodType | undefined, value: unknown, part: string, problems: FieldProblem[]): unknown {
  if (schema === undefined) return undefined;
  const result = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (result.success) return result.data;
  for (const issue of result.error.issues) problems.push({ field: [part, ...issue.path.map(String)].join('.'), message: issue.message });
  return undefined;
}

/** Parses params, query and body; throws one 400 problem naming every failing field. */
export function parseRequest(
  spec: AnyRouteSpec,
  request: Pick<FastifyRequest, 'params' | 'query' | 'body'>,
): {
  params: unknown;
  query: unknown;
  body: unknown;
} {
  const problems: FieldProblem[] = [];
  const params = parsePart(spec.params, request.params, 'params', problems);
  const query = parsePart(spec.query, request.query, 'query', problems);
  const body =
    spec.rawBody === true ? request.body : (spec.quickBody?.(request.body) ?? parsePart(spec.body, request.body, 'body', problems));
  if (problems.length > 0) {
    const fields = [...new Set(problems.map((entry) => entry.field))].join(', ');
    throw new ProblemError(problem(400, 'validation', `Invalid request: ${fields}`, { errors: problems, isRetryable: false }));
  }
  return { params, query, body };
}

/**
 * A JSON object with any fields, e.g. an operation's input: checked to be an
 * object (not an array or null) and passed on whole. Half the cost of
 * `z.record(z.string(), z.unknown())`, which checks every key as a string —
 * JSON keys always are.
 */
export const anyObject = () => z.looseObject({});

/** Query strings carry text: a number or boolean parameter, coerced, with the documented default. */
export const queryNumber = (options: { min?: number; max?: number; default?: number } = {}) => {
  let schema = z.coerce.number().int();
  if (options.min !== undefined) schema = schema.min(options.min);
  if (options.max !== undefined) schema = schema.max(options.max);
  return options.default === undefined ? schema.optional() : schema.default(options.default);
};
