import type { AddressInfo } from 'node:net';
import { IntegrationError, silentLogger, type Hub, type Logger } from '@switchyard/core';
import {
  createApiKeys,
  createIntegrationsService,
  createWebhookDispatcher,
  type ApiKeys,
  type IntegrationsService,
  type Store,
  type WebhookDispatcher,
  type WebhookJobQueue,
  type WebhookRetryOptions,
  type WebhookSecretLookup,
} from '@switchyard/platform';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { authenticate, KeyRateLimiter, type RateLimitOptions } from './http/auth';
import { ServerMetrics } from './http/metrics';
import { openApiDocument } from './http/openapi';
import { problem, PROBLEM_CONTENT_TYPE, problemFromError, ProblemError, type Problem } from './http/problem';
import { parseRequest, RouteResponse, type AnyRouteSpec } from './http/route';
import { createServerEvents } from './http/server-events';
import { aliasRoutes } from './routes/alias-routes';
import { apiRoutes } from './routes/api-routes';
import { dashboardRoutes } from './routes/dashboard-routes';
import { eventRoutes } from './routes/event-routes';
import { integrationRoutes } from './routes/integration-routes';
import { keyRoutes } from './routes/key-routes';
import { opsRoutes } from './routes/ops-routes';
import { subscriptionRoutes } from './routes/subscription-routes';
import { webhookRoutes } from './routes/webhook-routes';
import { VERSION } from './version';

/** The platform services the server runs on; only `store` is required. */
export interface ServerPlatform {
  /** Integrations, API keys, events, webhook deliveries. */
  readonly store: Store;
  /** Default: `createApiKeys(store)`. */
  readonly apiKeys?: ApiKeys | undefined;
  /**
   * The signing secret of a provider's inbound webhooks (per integration when
   * given), e.g. from the credential vault. Without it, webhook ingress
   * answers 404 `not_found`.
   */
  readonly webhookSecret?: WebhookSecretLookup | undefined;
}

/** Options of {@link createServer}. */
export interface ServerOptions {
  readonly hub: Hub;
  readonly platform: ServerPlatform;
  /** Largest request body; larger ones get 413. Default 1 MiB. */
  readonly bodyLimitBytes?: number | undefined;
  /** Per-key request rate; `false` for none. Default 50/s with bursts of 100. */
  readonly rateLimit?: RateLimitOptions | false | undefined;
  /** Browser origins allowed to call the API (CORS); default none, and no CORS headers are sent. */
  readonly corsOrigins?: readonly string[] | undefined;
  /** The workspace of public routes and of an embedded single-workspace store. Default `default`. */
  readonly defaultWorkspaceId?: string | undefined;
  /** Where unexpected errors are logged (never keys or bodies). Default: dropped. */
  readonly logger?: Logger | undefined;
  /** How long `close()` waits for requests in flight before cutting their connections. Default 10,000 ms. */
  readonly drainTimeoutMs?: number | undefined;
  /**
   * Outbound webhooks: subscriptions at `/api/v1/webhooks`, deliveries from
   * the store's outbox by a dispatcher this server runs while it listens
   * (`createWebhookDispatcher` of `@switchyard/platform`). `allowPrivateNetwork`
   * lets subscribers sit on loopback or private addresses (default false: the
   * SSRF guard refuses them). `dispatcher: false` runs none here (another
   * process delivers).
   */
  readonly outboundWebhooks?:
    | {
        readonly allowPrivateNetwork?: boolean;
        readonly retry?: WebhookRetryOptions;
        /** One attempt's time limit; default 10 s. */
        readonly timeoutMs?: number;
        /** How long a claimed delivery is left to its process before another may take it (after a crash); default `timeoutMs` + 30 s. */
        readonly leaseMs?: number;
        /**
         * The deployment's job queue, when several server processes share a
         * PostgreSQL store: `createPgBossWebhookJobs` of `@switchyard/store-postgres`
         * (the pg-boss the sync scheduler uses). Each attempt is then a job one
         * process runs. Default: none (the dispatcher polls the store).
         */
        readonly jobs?: WebhookJobQueue;
        readonly dispatcher?: false;
      }
    | undefined;
}

/** A server built by {@link createServer}: listen, close, or drive it in-process with `app.inject`. */
export interface SwitchyardServer {
  /** The Fastify instance (for `inject`, or to add routes of the host's own). */
  readonly app: FastifyInstance;
  /** Every route the server answers, as documented in {@link openApi}. */
  readonly routes: readonly AnyRouteSpec[];
  /** The OpenAPI 3.1 document (also served at `/openapi.json`). */
  openApi(): Record<string, unknown>;
  /** Listens (default 127.0.0.1, any free port) and resolves with the base URL, e.g. `http://127.0.0.1:8080`. */
  listen(options?: { readonly port?: number; readonly host?: string }): Promise<string>;
  /** Stops accepting connections, lets requests in flight finish, then stops; the hub and store stay open (they are the caller's). */
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  if (body.retryAfterMs !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(body.retryAfterMs / 1000))));
  if (body.status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

/** Fastify's own request errors (body too large, bad JSON, bad media type) as problems. */
function frameworkProblem(error: FastifyError): Problem | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'payload_too_large', 'The request body is over the size limit.', { isRetryable: false });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'validation', 'Send the body as application/json.', { isRetryable: false });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem(400, 'validation', 'The body is not valid JSON.', {
        isRetryable: false,
        errors: [{ field: 'body', message: 'invalid JSON' }],
      });
    default:
      return error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500
        ? problem(error.statusCode, 'validation', 'The request could not be read.', { isRetryable: false })
        : undefined;
  }
}

/**
 * Switchyard's HTTP API on Fastify 5: the generic API (`/api/v1/execute`,
 * `explain`, `tools`, `providers`), integrations, webhook ingress, health,
 * Prometheus metrics and the OpenAPI document, every request checked against
 * the same zod schemas the document is built from. Every `/api` route but
 * webhook ingress needs a bearer API key from the store with the route's
 * scope; errors are RFC 9457 problem details.
 *
 * @example
 * ```ts
 * const server = createServer({ hub, platform: { store } });
 * const url = await server.listen({ port: 8080 });
 * ```
 */
export function createServer(options: ServerOptions): SwitchyardServer {
  const { hub, platform } = options;
  const logger = options.logger ?? silentLogger;
  const apiKeys = platform.apiKeys ?? createApiKeys(platform.store);
  /** Each workspace's view of the store and its integrations service, made on first use. */
  const workspaces = new Map<string, { readonly store: Store; readonly integrations: IntegrationsService }>();
  const workspace = (workspaceId: string) => {
    let found = workspaces.get(workspaceId);
    if (found === undefined) {
      const scoped = platform.store.forWorkspace(workspaceId);
      found = { store: scoped, integrations: createIntegrationsService({ store: scoped, hub }) };
      workspaces.set(workspaceId, found);
    }
    return found;
  };
  const limiter = options.rateLimit === false ? undefined : new KeyRateLimiter(options.rateLimit ?? {});
  const defaultWorkspaceId = options.defaultWorkspaceId ?? 'default';
  const corsOrigins = new Set(options.corsOrigins ?? []);
  const metrics = new ServerMetrics(hub);
  const allowPrivateNetwork = options.outboundWebhooks?.allowPrivateNetwork ?? false;
  const dispatcher: WebhookDispatcher | undefined =
    options.outboundWebhooks?.dispatcher === false
      ? undefined
      : createWebhookDispatcher({
          store: platform.store,
          allowPrivateNetwork,
          retry: options.outboundWebhooks?.retry,
          timeoutMs: options.outboundWebhooks?.timeoutMs,
          leaseMs: options.outboundWebhooks?.leaseMs,
          jobs: options.outboundWebhooks?.jobs,
          logger,
        });
  const events = createServerEvents(dispatcher);
  const app = Fastify({
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    logger: false,
  });

  const routes: AnyRouteSpec[] = [];
  const document = () => openApiDocument(routes, { title: 'Switchyard API', version: VERSION });
  routes.push(
    ...apiRoutes(hub),
    ...integrationRoutes({ events }),
    ...webhookRoutes({ hub, store: platform.store, secret: platform.webhookSecret, events, defaultWorkspaceId }),
    ...subscriptionRoutes({ events, allowPrivateNetwork }),
    ...keyRoutes({ events, apiKeys }),
    ...aliasRoutes(hub),
    ...opsRoutes({ hub, store: platform.store, metrics, openApi: document }),
    ...eventRoutes(),
    ...dashboardRoutes(),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProblemError) return sendProblem(reply, error.problem);
    if (IntegrationError.isInstance(error)) return sendProblem(reply, problemFromError(error));
    const known = frameworkProblem(error);
    if (known !== undefined) return sendProblem(reply, known);
    logger.error({ event: 'server.unexpected_error', route: request.routeOptions.url, error: error.name });
    return sendProblem(reply, problem(500, 'internal', 'The server failed unexpectedly.', { isRetryable: false }));
  });
  app.setNotFoundHandler((request, reply) => {
    // No route, so no route hook records it: counted here under one series, never by URL.
    metrics.route(request.method, 'unmatched').record(404, reply.elapsedTime / 1000);
    return sendProblem(reply, problem(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`, { isRetryable: false }));
  });

  // CORS only when origins are configured: no hook, no headers, no cost otherwise.
  if (corsOrigins.size > 0) {
    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (origin === undefined || !corsOrigins.has(origin)) return;
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      if (request.method === 'OPTIONS') {
        await reply
          .code(204)
          .header('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE')
          .header('access-control-allow-headers', 'authorization, content-type, idempotency-key')
          .header('access-control-max-age', '600')
          .send();
      }
    });
  }
  const register = (instance: FastifyInstance, spec: AnyRouteSpec) => {
    const routeMetrics = metrics.route(spec.method, spec.url);
    instance.route({
      method: spec.method,
      url: spec.url,
      // Every answer of the route, errors included; a route's own hook finds its numbers without a lookup.
      onResponse: (_request, reply, done) => {
        routeMetrics.record(reply.statusCode, reply.elapsedTime / 1000);
        done();
      },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const key = spec.scope === 'public' ? undefined : await authenticate(request, spec.scope, apiKeys, limiter);
        const input = parseRequest(spec, request);
        const workspaceId = key?.workspaceId ?? defaultWorkspaceId;
        const scoped = workspace(workspaceId);
        const context = { workspaceId, key, request, reply, store: scoped.store, integrations: scoped.integrations };
        const result = await spec.handle(input, context);
        // Returned, not sent: Fastify sends what an async handler returns (200 unless set).
        if (!(result instanceof RouteResponse)) return result;
        for (const [name, value] of Object.entries(result.headers)) reply.header(name, value);
        reply.code(result.status);
        return result.body;
      },
    });
  };

  for (const spec of routes.filter((candidate) => candidate.rawBody !== true)) register(app, spec);
  // Webhook ingress reads the body as bytes, exactly as signed, whatever its type.
  void app.register((raw, _options, done) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, parsed) => parsed(null, body));
    for (const spec of routes.filter((candidate) => candidate.rawBody === true)) register(raw, spec);
    done();
  });

  return {
    app,
    routes,
    openApi: document,
    async listen(listenOptions = {}) {
      await app.listen({ port: listenOptions.port ?? 0, host: listenOptions.host ?? '127.0.0.1' });
      dispatcher?.start();
      const address = app.server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${host}:${address.port}`;
    },
    async close() {
      // Connections kept alive become idle as their last request is answered; close each then, not at keepAliveTimeout.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      const drainDeadline = setTimeout(() => app.server.closeAllConnections(), options.drainTimeoutMs ?? 10_000);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
        clearTimeout(drainDeadline);
        metrics.close();
        // Attempts in flight finish; what is still queued stays in the store for the next start.
        await dispatcher?.stop();
      }
    },
  };
}
