/**
 * `@switchyard/server`: Switchyard over HTTP on Fastify 5 — the generic API
 * (execute, explain, tools, providers), integrations, webhook ingress,
 * health, Prometheus metrics and an OpenAPI 3.1 document built from the same
 * zod schemas the server checks requests with. API keys come from the store
 * (`createApiKeys` of `@switchyard/platform`); errors are RFC 9457 problem
 * details.
 */
export { VERSION } from './version';
export { createServer, type ServerOptions, type ServerPlatform, type SwitchyardServer } from './server';
export type { RateLimitOptions } from './http/auth';
export { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, type FieldProblem, type Problem } from './http/problem';
export type { AnyRouteSpec, RouteContext, RouteResponseSpec, RouteSpec } from './http/route';
