import type { Hub } from '@switchyard/core';
import { z } from 'zod';
import { connectionSignal } from '../http/connection-signal';
import { problem, problemFromError, ProblemError } from '../http/problem';
import { anyObject, defineRoute, type AnyRouteSpec } from '../http/route';

type QueryType = 'string' | 'integer' | 'list';

/** What an alias hands the capability operation, from its path parameters, query and body. */
type InputOf = (parts: {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: Readonly<Record<string, unknown>>;
}) => Record<string, unknown>;

/** One per-service endpoint of the seeds: a thin alias of a capability operation, run on that service's provider only. */
interface Alias {
  /** The provider id the call is pinned to (`only`). */
  readonly service: string;
  readonly method: 'GET' | 'POST';
  /** Fastify's form, e.g. `/api/v1/github/repos/:owner/:repo`. */
  readonly path: string;
  readonly capability: string;
  readonly operation: string;
  readonly summary: string;
  /** Query parameters the operation takes, by type; default none. */
  readonly query?: Readonly<Record<string, QueryType>>;
  /** Query parameters that must be given. */
  readonly required?: readonly string[];
  /** The operation's input; default: path parameters, query and body merged. */
  readonly input?: InputOf;
}

const repository: InputOf = ({ params, query }) => ({ ...query, repository: `${params.owner}/${params.repo}` });
const githubProject: InputOf = ({ params, query, body }) => ({ ...query, ...body, project: `${params.owner}/${params.repo}` });
const page = { cursor: 'string', limit: 'integer' } as const;

/**
 * The seeds' per-service endpoints, as data: Jira projects and issues, GitHub
 * repositories, commits, pull requests and issues, Slack messages, channels
 * and users. Each is the capability operation it names, on that provider
 * only, with the same validation, errors and failover accounting as
 * `POST /api/v1/execute`. (Jira users have no capability operation yet.)
 */
export const SERVICE_ALIASES: readonly Alias[] = [
  {
    service: 'jira',
    method: 'GET',
    path: '/api/v1/jira/projects',
    capability: 'issues',
    operation: 'listProjects',
    summary: 'Jira projects',
    query: page,
  },
  {
    service: 'jira',
    method: 'GET',
    path: '/api/v1/jira/projects/:project/issues',
    capability: 'issues',
    operation: 'searchIssues',
    summary: "Search a Jira project's issues",
    query: { query: 'string', state: 'string', labels: 'list', assignee: 'string', ...page },
  },
  {
    service: 'jira',
    method: 'POST',
    path: '/api/v1/jira/projects/:project/issues',
    capability: 'issues',
    operation: 'createIssue',
    summary: 'Create a Jira issue',
  },
  {
    service: 'jira',
    method: 'GET',
    path: '/api/v1/jira/projects/:project/issues/:issueId',
    capability: 'issues',
    operation: 'getIssue',
    summary: 'One Jira issue',
  },
  {
    service: 'github',
    method: 'GET',
    path: '/api/v1/github/repos',
    capability: 'repositories',
    operation: 'searchRepositories',
    summary: 'Search GitHub repositories',
    query: { query: 'string', ...page },
    required: ['query'],
  },
  {
    service: 'github',
    method: 'GET',
    path: '/api/v1/github/repos/:owner/:repo',
    capability: 'repositories',
    operation: 'getRepository',
    summary: 'A GitHub repository',
    input: repository,
  },
  {
    service: 'github',
    method: 'GET',
    path: '/api/v1/github/repos/:owner/:repo/commits',
    capability: 'repositories',
    operation: 'listCommits',
    summary: "A GitHub repository's commits",
    query: { branch: 'string', author: 'string', since: 'string', until: 'string', path: 'string', ...page },
    input: repository,
  },
  {
    service: 'github',
    method: 'GET',
    path: '/api/v1/github/repos/:owner/:repo/pulls',
    capability: 'repositories',
    operation: 'listPullRequests',
    summary: "A GitHub repository's pull requests",
    query: { state: 'string', targetBranch: 'string', ...page },
    input: repository,
  },
  {
    service: 'github',
    method: 'GET',
    path: '/api/v1/github/repos/:owner/:repo/issues',
    capability: 'issues',
    operation: 'searchIssues',
    summary: "Search a GitHub repository's issues",
    query: { query: 'string', state: 'string', labels: 'list', assignee: 'string', ...page },
    input: githubProject,
  },
  {
    service: 'github',
    method: 'POST',
    path: '/api/v1/github/repos/:owner/:repo/issues',
    capability: 'issues',
    operation: 'createIssue',
    summary: 'Open a GitHub issue',
    input: githubProject,
  },
  {
    service: 'slack',
    method: 'POST',
    path: '/api/v1/slack/message',
    capability: 'messaging',
    operation: 'sendMessage',
    summary: 'Send a Slack message',
  },
  {
    service: 'slack',
    method: 'GET',
    path: '/api/v1/slack/channels',
    capability: 'messaging',
    operation: 'listChannels',
    summary: 'Slack channels',
    query: page,
  },
  {
    service: 'slack',
    method: 'GET',
    path: '/api/v1/slack/users',
    capability: 'messaging',
    operation: 'listUsers',
    summary: 'Slack users',
    query: page,
  },
];

const QUERY_SCHEMAS: Readonly<Record<QueryType, z.ZodType>> = {
  string: z.string().min(1),
  integer: z.coerce.number().int(),
  list: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .describe('Comma-separated'),
};

function querySchema(alias: Alias): z.ZodType | undefined {
  if (alias.query === undefined) return undefined;
  const required = new Set(alias.required ?? []);
  return z.object(
    Object.fromEntries(
      Object.entries(alias.query).map(([name, type]) => [name, required.has(name) ? QUERY_SCHEMAS[type] : QUERY_SCHEMAS[type].optional()]),
    ),
  );
}

function paramsSchema(path: string): z.ZodType | undefined {
  const names = [...path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]!);
  return names.length === 0 ? undefined : z.object(Object.fromEntries(names.map((name) => [name, z.string().min(1).max(255)])));
}

/** The Fastify routes of {@link SERVICE_ALIASES}. */
export function aliasRoutes(hub: Hub): AnyRouteSpec[] {
  return SERVICE_ALIASES.map((alias) =>
    defineRoute({
      method: alias.method,
      url: alias.path,
      operationId: `${alias.service}${alias.operation.charAt(0).toUpperCase()}${alias.operation.slice(1)}`,
      summary: `${alias.summary} (${alias.capability}.${alias.operation} on ${alias.service})`,
      tags: [`${alias.service} (aliases)`],
      scope: alias.method === 'GET' ? 'read' : 'execute',
      params: paramsSchema(alias.path),
      query: querySchema(alias),
      body: alias.method === 'POST' ? anyObject().describe(`The input of ${alias.capability}.${alias.operation}`) : undefined,
      responses: {
        200: { description: `The output of ${alias.capability}.${alias.operation}`, schema: z.record(z.string(), z.unknown()) },
      },
      async handle(parts, context) {
        if (hub.registry.get(alias.service) === undefined) {
          throw new ProblemError(
            problem(404, 'not_found', `The ${alias.service} provider is not installed on this server`, { isRetryable: false }),
          );
        }
        const raw = parts as { params?: Record<string, string>; query?: Record<string, unknown>; body?: Record<string, unknown> };
        const pieces = { params: raw.params ?? {}, query: raw.query ?? {}, body: raw.body ?? {} };
        const input = alias.input?.(pieces) ?? { ...pieces.params, ...pieces.query, ...pieces.body };
        try {
          const result = await hub.execute(
            { capability: alias.capability, operation: alias.operation, input },
            { only: [alias.service], signal: connectionSignal(context.request.raw.socket) },
          );
          return result.value;
        } catch (error) {
          throw new ProblemError(problemFromError(error, alias.method === 'GET' ? 'query' : 'body'));
        }
      },
    }),
  );
}
