import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  commentJson,
  contentJson,
  fixture,
  githubTime,
  hookJson,
  issueJson,
  repositoryJson,
  seedRepository,
  type FakeIssue,
  type FakeRepository,
} from './github-fake-data';
import { matchesSearch, parseSearch } from './github-fake-search';
import { loadTestKit } from '../testing/test-kit';

/** Options of {@link startGithubFake}. */
export interface GithubFakeOptions {
  /** Personal access tokens the fake accepts. Default: `['ghp_fake0000000000000000000000000000000001']`. */
  readonly tokens?: readonly string[];
  /** A GitHub App the fake accepts JWTs from: its id and public key (PEM). Default: none. */
  readonly app?: { readonly appId: string; readonly publicKey: string; readonly installationId: number };
  /** Lifetime of installation tokens in seconds. Default 3600 (GitHub's). */
  readonly installationTokenSeconds?: number;
}

/** A request the fake received. */
export interface GithubFakeRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A scripted answer for the next request (any route). */
export interface GithubFakeReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A running {@link startGithubFake}. */
export interface GithubFake {
  readonly url: string;
  /** The first accepted token. */
  readonly token: string;
  /** The seeded repository, `octokit-fixture-org/hello-world`. */
  readonly repository: string;
  readonly requests: GithubFakeRequest[];
  /** Installation tokens issued so far. */
  readonly installationTokens: string[];
  /** Calls left in the rate-limit window (`x-ratelimit-remaining`); set it to test throttling. */
  remaining: number;
  /** Answers the next request with `reply` instead. */
  failNext(reply: GithubFakeReply): void;
  close(): Promise<void>;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Route = (match: RegExpExecArray, request: { method: string; query: URLSearchParams; body: Record<string, unknown> }) => Reply;

const RATE_LIMIT = 5000;
const notFound: Reply = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };

function page<T>(
  items: readonly T[],
  query: URLSearchParams,
  link: (page: number) => string,
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
  const current = Number(query.get('page') ?? 1);
  const slice = items.slice((current - 1) * perPage, current * perPage);
  const hasNext = current * perPage < items.length;
  return { items: slice, headers: hasNext ? { link: `<${link(current + 1)}>; rel="next"` } : {} };
}

function jwtApp(authorization: string, publicKey: KeyObject): string | undefined {
  const [header, payload, signature] = authorization.replace(/^Bearer /, '').split('.');
  if (header === undefined || payload === undefined || signature === undefined) return undefined;
  if (!verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: unknown };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now() || claims.exp * 1000 > Date.now() + 11 * 60_000) return undefined;
  return String(claims.iss);
}

/**
 * Starts a wire-protocol fake of the GitHub REST endpoints the provider uses,
 * on 127.0.0.1: issues (create, get, update, comment, list, search), repositories
 * (get, search, commits, pulls, contents, blobs), repository hooks, the app
 * installation-token exchange (RS256 JWTs really verified) and `/rate_limit`.
 * Answers follow the recorded and documented responses in `src/__fixtures__`,
 * with `x-ratelimit-*` headers and `Link` pagination.
 */
export async function startGithubFake(options: GithubFakeOptions = {}): Promise<GithubFake> {
  const tokens = new Set(options.tokens ?? ['ghp_fake0000000000000000000000000000000001']);
  const appKey = options.app === undefined ? undefined : createPublicKey(options.app.publicKey);
  const repositories = new Map<string, FakeRepository>();
  const seeded = seedRepository(1000, 'octokit-fixture-org/hello-world');
  repositories.set(seeded.fullName.toLowerCase(), seeded);
  repositories.set('octokit-fixture-org/switchyard-contract', seedRepository(1001, 'octokit-fixture-org/switchyard-contract'));
  const requests: GithubFakeRequest[] = [];
  const installationTokens: string[] = [];
  const scripted: GithubFakeReply[] = [];
  let nextId = 5000;
  let url = '';
  /** The URL the current request was sent to (its Host), so links lead back through a proxy such as Prism, as GitHub's own do. */
  let base = '';

  const repository = (match: RegExpExecArray) => repositories.get(`${match[1]}/${match[2]}`.toLowerCase());
  const issueOf = (found: FakeRepository, number: string) => found.issues.find((issue) => issue.number === Number(number));
  const listLink = (path: string, query: URLSearchParams) => (next: number) => {
    const copy = new URLSearchParams(query);
    copy.set('page', String(next));
    return `${base}${path}?${copy.toString()}`;
  };
  const repositoryRoute =
    (handler: (found: FakeRepository, match: RegExpExecArray, request: Parameters<Route>[1]) => Reply): Route =>
    (match, request) => {
      const found = repository(match);
      return found === undefined ? notFound : handler(found, match, request);
    };
  const touch = (issue: FakeIssue) => {
    issue.updated_at = githubTime();
  };

  const routes: [string, RegExp, Route][] = [
    ['GET', /^\/rate_limit$/, () => ({ status: 200, body: fixtureRateLimit() })],
    ['GET', /^\/user\/repos$/, (_match, request) => projectsPage(request.query, false)],
    ['GET', /^\/installation\/repositories$/, (_match, request) => projectsPage(request.query, true)],
    [
      'GET',
      /^\/repositories\/(\d+)$/,
      (match) => {
        const found = [...repositories.values()].find((candidate) => candidate.id === Number(match[1]));
        return found === undefined ? notFound : { status: 200, body: repositoryJson(found, base) };
      },
    ],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)$/, repositoryRoute((found) => ({ status: 200, body: repositoryJson(found, base) }))],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/issues$/,
      repositoryRoute((found, _match, { body }) => {
        if (typeof body.title !== 'string' || body.title === '') return validationFailed('Issue', 'title', 'missing_field');
        const now = githubTime();
        const issue: FakeIssue = {
          number: found.issues.length + 1,
          title: body.title,
          body: typeof body.body === 'string' ? body.body : null,
          state: 'open',
          labels: Array.isArray(body.labels) ? body.labels.map(String) : [],
          assignees: Array.isArray(body.assignees) ? body.assignees.map(String) : [],
          created_at: now,
          updated_at: now,
          closed_at: null,
        };
        found.issues.push(issue);
        return {
          status: 201,
          body: issueJson(found, issue, base),
          headers: { location: `${base}/repos/${found.fullName}/issues/${issue.number}` },
        };
      }),
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/issues$/,
      repositoryRoute((found, match, { query }) => {
        const state = query.get('state') ?? 'open';
        const labels = (query.get('labels') ?? '').split(',').filter((label) => label !== '');
        const assignee = query.get('assignee');
        const matching = found.issues
          .filter((issue) => (state === 'all' || issue.state === state) && labels.every((label) => issue.labels.includes(label)))
          .filter((issue) => assignee === null || issue.assignees.includes(assignee))
          .sort((left, right) => right.updated_at.localeCompare(left.updated_at) || right.number - left.number);
        const paged = page(matching, query, listLink(`/repos/${match[1]}/${match[2]}/issues`, query));
        return { status: 200, body: paged.items.map((issue) => issueJson(found, issue, base)), headers: paged.headers };
      }),
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/,
      repositoryRoute((found, match) => {
        const issue = issueOf(found, match[3] ?? '');
        return issue === undefined ? notFound : { status: 200, body: issueJson(found, issue, base) };
      }),
    ],
    [
      'PATCH',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/,
      repositoryRoute((found, match, { body }) => {
        const issue = issueOf(found, match[3] ?? '');
        if (issue === undefined) return notFound;
        if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed')
          return validationFailed('Issue', 'state', 'invalid');
        if (typeof body.title === 'string') issue.title = body.title;
        if (typeof body.body === 'string') issue.body = body.body;
        if (Array.isArray(body.labels)) issue.labels = body.labels.map(String);
        if (Array.isArray(body.assignees)) issue.assignees = body.assignees.map(String);
        if (body.state === 'open' || body.state === 'closed') {
          issue.closed_at = body.state === 'closed' ? githubTime() : null;
          issue.state = body.state;
        }
        touch(issue);
        return { status: 200, body: issueJson(found, issue, base) };
      }),
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      repositoryRoute((found, match, { body }) => {
        const issue = issueOf(found, match[3] ?? '');
        if (issue === undefined) return notFound;
        if (typeof body.body !== 'string' || body.body === '') return validationFailed('IssueComment', 'body', 'missing_field');
        const comment = { id: (nextId += 1), issue: issue.number, body: body.body, created_at: githubTime() };
        found.comments.push(comment);
        touch(issue);
        return { status: 201, body: commentJson(found, comment) };
      }),
    ],
    [
      'GET',
      /^\/search\/issues$/,
      (_match, { query }) => {
        const search = parseSearch(query.get('q') ?? '');
        const found = search.repository === undefined ? undefined : repositories.get(search.repository.toLowerCase());
        if (found === undefined) return validationFailed('Search', 'q', 'invalid');
        const matching = found.issues
          .filter((issue) => matchesSearch(issue, search))
          .sort((left, right) => right.updated_at.localeCompare(left.updated_at));
        const paged = page(matching, query, listLink('/search/issues', query));
        const items = paged.items.map((issue) => ({ ...issueJson(found, issue, base), score: 1 }));
        return {
          status: 200,
          body: { total_count: matching.length, incomplete_results: false, search_type: 'lexical', items },
          headers: paged.headers,
        };
      },
    ],
    [
      'GET',
      /^\/search\/repositories$/,
      (_match, { query }) => {
        const words = (query.get('q') ?? '')
          .toLowerCase()
          .split(/\s+/)
          .filter((word) => word !== '' && !word.includes(':'));
        const matching = [...repositories.values()].filter((candidate) =>
          words.every((word) => candidate.fullName.toLowerCase().includes(word)),
        );
        const paged = page(matching, query, listLink('/search/repositories', query));
        return {
          status: 200,
          body: {
            total_count: matching.length,
            incomplete_results: false,
            items: paged.items.map((found) => ({ ...repositoryJson(found, base), score: 1 })),
          },
          headers: paged.headers,
        };
      },
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/commits$/,
      repositoryRoute((found, match, { query }) => {
        const author = query.get('author');
        const since = query.get('since');
        const until = query.get('until');
        const sha = query.get('sha');
        // Every commit is on the default branch, master; a SHA starts the listing at that commit.
        const start = sha === null || sha === 'master' ? 0 : found.commits.findIndex((item) => item.sha === sha);
        if (start < 0) return { status: 404, body: { message: `No commit found for SHA: ${sha}` } };
        const matching = found.commits.slice(start).filter((item) => {
          const details = item.commit as { author: { name: string; email: string; date: string } };
          const login = (item.author as { login?: string } | null)?.login;
          if (author !== null && author !== login && author !== details.author.email) return false;
          if (since !== null && Date.parse(details.author.date) < Date.parse(since)) return false;
          return until === null || Date.parse(details.author.date) <= Date.parse(until);
        });
        const paged = page(matching, query, listLink(`/repos/${match[1]}/${match[2]}/commits`, query));
        return { status: 200, body: paged.items, headers: paged.headers };
      }),
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/pulls$/,
      repositoryRoute((found, match, { query }) => {
        const state = query.get('state') ?? 'open';
        const base = query.get('base');
        const matching = found.pulls.filter(
          (item) => (state === 'all' || item.state === state) && (base === null || (item.base as { ref: string }).ref === base),
        );
        const paged = page(matching, query, listLink(`/repos/${match[1]}/${match[2]}/pulls`, query));
        return { status: 200, body: paged.items, headers: paged.headers };
      }),
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/,
      repositoryRoute((found, match) => {
        const path = decodeURIComponent(match[3] ?? '');
        const file = found.files.find((candidate) => candidate.path === path);
        if (file !== undefined) {
          const bytes = Buffer.from(file.content, 'utf8');
          const base64 = bytes.toString('base64').replace(/(.{60})/g, '$1\n');
          return {
            status: 200,
            body: { ...contentJson(found.fullName, path, blobSha(path), bytes.length, base), content: base64, encoding: 'base64' },
          };
        }
        const children = found.files.filter((candidate) => candidate.path.startsWith(`${path}/`));
        if (children.length === 0) return notFound;
        return {
          status: 200,
          body: children.map((child) =>
            contentJson(found.fullName, child.path, blobSha(child.path), Buffer.byteLength(child.content), base),
          ),
        };
      }),
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/hooks$/,
      repositoryRoute((found, match, { query }) => {
        const paged = page(found.hooks, query, listLink(`/repos/${match[1]}/${match[2]}/hooks`, query));
        return { status: 200, body: paged.items.map(hookJson), headers: paged.headers };
      }),
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/hooks$/,
      repositoryRoute((found, _match, { body }) => {
        const config = (body.config ?? {}) as Record<string, string>;
        if (typeof config.url !== 'string') return validationFailed('Hook', 'config.url', 'missing_field');
        const hook = {
          id: (nextId += 1),
          events: Array.isArray(body.events) ? body.events.map(String) : ['push'],
          active: body.active !== false,
          config,
        };
        found.hooks.push(hook);
        return { status: 201, body: hookJson(hook) };
      }),
    ],
    [
      'DELETE',
      /^\/repos\/([^/]+)\/([^/]+)\/hooks\/(\d+)$/,
      repositoryRoute((found, match) => {
        const before = found.hooks.length;
        found.hooks = found.hooks.filter((hook) => hook.id !== Number(match[3]));
        return found.hooks.length === before ? notFound : { status: 204 };
      }),
    ],
  ];

  function projectsPage(query: URLSearchParams, installation: boolean): Reply {
    const all = [...repositories.values()].sort((left, right) => left.fullName.localeCompare(right.fullName));
    const paged = page(all, query, listLink(installation ? '/installation/repositories' : '/user/repos', query));
    const items = paged.items.map((found) => repositoryJson(found, base));
    return { status: 200, body: installation ? { total_count: all.length, repositories: items } : items, headers: paged.headers };
  }

  function authorize(request: IncomingMessage, path: string): Reply | undefined {
    const authorization = request.headers.authorization ?? '';
    const exchange = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (exchange !== null) {
      if (appKey === undefined || options.app === undefined || jwtApp(authorization, appKey) !== options.app.appId) {
        return {
          status: 401,
          body: { message: 'A JSON web token could not be decoded', documentation_url: 'https://docs.github.com/rest' },
        };
      }
      if (Number(exchange[1]) !== options.app.installationId) return notFound;
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      installationTokens.push(token);
      tokens.add(token);
      const expiresAt = githubTime(Date.now() + (options.installationTokenSeconds ?? 3600) * 1000);
      return { status: 201, body: { ...fixture('installation-token'), token, expires_at: expiresAt } };
    }
    const token = authorization.replace(/^(token|Bearer) /i, '');
    if (!tokens.has(token)) return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
    return undefined;
  }

  let remaining = RATE_LIMIT;
  function answer(request: IncomingMessage, response: ServerResponse, raw: string): void {
    const target = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    base = request.headers.host === undefined ? url : `http://${request.headers.host}`;
    requests.push({ method, path: `${target.pathname}${target.search}`, headers: request.headers, body: raw });
    remaining = Math.max(0, remaining - 1);
    let reply: Reply = scripted.shift() ?? authorize(request, target.pathname) ?? notFound;
    if (reply === notFound && !/\/app\/installations/.test(target.pathname)) {
      let body: Record<string, unknown> = {};
      try {
        body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
      } catch {
        reply = { status: 400, body: { message: 'Problems parsing JSON' } };
      }
      for (const [routeMethod, pattern, route] of reply === notFound ? routes : []) {
        const match = pattern.exec(target.pathname);
        if (match !== null && routeMethod === method) {
          reply = route(match, { method, query: target.searchParams, body });
          break;
        }
      }
    }
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      'x-github-request-id': `0000:${requests.length}`,
      ...(reply.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...reply.headers,
    };
    response.writeHead(reply.status, headers);
    response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  const { listenOnLoopback } = await loadTestKit();
  const listening = await listenOnLoopback(server);
  url = listening.url;
  return {
    url,
    token: [...tokens][0] ?? '',
    repository: seeded.fullName,
    requests,
    installationTokens,
    get remaining() {
      return remaining;
    },
    set remaining(value: number) {
      remaining = value;
    },
    failNext: (reply) => void scripted.push(reply),
    close: listening.close,
  };
}

function validationFailed(resource: string, field: string, code: string): Reply {
  return { status: 422, body: { ...fixture('error-validation-failed'), errors: [{ resource, code, field }] } };
}

function blobSha(path: string): string {
  return Buffer.from(path.padEnd(20, '.')).toString('hex').slice(0, 40);
}

function fixtureRateLimit(): Record<string, unknown> {
  return { resources: { core: { limit: RATE_LIMIT, used: 0, remaining: RATE_LIMIT, reset: Math.floor(Date.now() / 1000) + 3600 } } };
}
