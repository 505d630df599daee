import type { Dispatcher } from 'undici';
import { fetchDispatcher } from './fetch-dispatcher';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startPeerProcess, type PeerProcess } from './peer-process';

/** One violation Prism reported for an exchange (its `sl-violations` header). */
export interface PrismViolation {
  /** Where: `['request', 'query', 'state']`, `['response', 'body', 'id']`, … */
  readonly location: readonly string[];
  readonly severity?: string;
  readonly code?: string;
  readonly message: string;
}

/** One request that went through Prism, and what Prism said about it. */
export interface PrismExchange {
  readonly method: string;
  /** Path and query, e.g. `/repos/octocat/hello-world/issues?state=open`. */
  readonly path: string;
  readonly status: number;
  readonly violations: readonly PrismViolation[];
}

/** How {@link startPrism} runs Prism. */
export interface PrismOptions {
  /** What to call it in messages, e.g. "GitHub OpenAPI". */
  readonly name: string;
  /**
   * Path of the official OpenAPI description, as published. Prism serves a
   * temporary copy passed through `patch` (if given) and
   * {@link makeNullableSchemasValidatable}; the copy is removed on `stop()`.
   */
  readonly spec: string;
  /** Changes to the description that a test suite needs (return a new document, or edit it in place); keep them few and documented. */
  readonly patch?: (document: Record<string, unknown>) => Record<string, unknown> | void;
  /**
   * Proxy mode: forward every request to this URL (a wire-protocol fake, say)
   * and validate both the request and the upstream's response against the
   * description. With `errors` (the default in proxy mode) a violation
   * replaces the answer with Prism's 422 (request) or 500 (response) problem.
   * Without it, Prism mocks from the description's examples.
   */
  readonly upstream?: string;
  /** Fail exchanges that break the description. Default: true in proxy mode, false when mocking. */
  readonly errors?: boolean;
  /** A path to poll until Prism answers. Default: until its port accepts connections. */
  readonly readyPath?: string;
  /** Default 90 000 ms: GitHub's 13 MB description takes about 15 s to load here. */
  readonly readyTimeoutMs?: number;
  /** Added to the error when Prism or the description is missing. */
  readonly missingHint?: string;
}

/** A running {@link startPrism}. */
export interface Prism {
  readonly url: string;
  /** A `fetch` that records every exchange with Prism in {@link Prism.exchanges}; give it to the provider. */
  readonly fetch: typeof fetch;
  /** An undici dispatcher sending through {@link Prism.fetch}, for providers that take `dispatcher` (every HTTP provider). */
  readonly dispatcher: Dispatcher;
  readonly exchanges: PrismExchange[];
  /** The exchanges with at least one violation of severity "Error", formatted one per line (empty when none). */
  errorViolations(): string[];
  /** Prism's last output, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const PRISM_HINT = 'Install the dev dependency @stoplight/prism-cli@5.14.2 (5.15+ needs Node 24).';

function prismCli(): string {
  const attempts = [import.meta.url, join(process.cwd(), 'package.json')];
  for (const from of attempts) {
    try {
      return join(dirname(createRequire(from).resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
    } catch {
      // try the next place
    }
  }
  throw new Error(`Prism is not installed: ${PRISM_HINT}`);
}

/**
 * Starts Prism (Stoplight's OpenAPI mock and validation proxy) on a free
 * 127.0.0.1 port, serving `spec`. In proxy mode (`upstream`) the provider's
 * real requests reach the upstream and every request and response is checked
 * against the official description on the way; use it to run a contract
 * suite against a stateful wire-protocol fake while the description referees.
 *
 * @example
 * ```ts
 * const prism = await startPrism({ name: 'Twilio OpenAPI', spec, upstream: fake.url });
 * testMessagingProvider({ create: () => createTwilio({ baseURL: prism.url, fetch: prism.fetch }), … });
 * ```
 */
export async function startPrism(options: PrismOptions): Promise<Prism> {
  const cli = prismCli();
  const errors = options.errors ?? options.upstream !== undefined;
  const mode = options.upstream === undefined ? ['mock'] : ['proxy'];
  const spec = writeValidatableOpenApi(options.spec, options.patch);
  let peer: PeerProcess;
  try {
    peer = await startPeerProcess({
      name: `prism (${options.name})`,
      command: process.execPath,
      args: (port) => [
        cli,
        ...mode,
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        ...(errors ? ['--errors'] : []),
        spec.path,
        ...(options.upstream === undefined ? [] : [options.upstream]),
      ],
      readyPath: options.readyPath,
      readyOutput: /Prism is listening on/,
      readyTimeoutMs: options.readyTimeoutMs ?? 90_000,
      missingHint: options.missingHint ?? PRISM_HINT,
    });
  } catch (error) {
    spec.remove();
    throw error;
  }
  const exchanges: PrismExchange[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const url = new URL(request.url);
    exchanges.push({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      status: response.status,
      violations: await violationsOf(response),
    });
    return response;
  };
  return {
    url: peer.url,
    fetch: recordingFetch,
    dispatcher: fetchDispatcher(recordingFetch),
    exchanges,
    errorViolations: () =>
      exchanges.flatMap((exchange) =>
        exchange.violations
          .filter((violation) => violation.severity === undefined || violation.severity === 'Error')
          .map(
            (violation) =>
              `${exchange.method} ${exchange.path} → ${exchange.status}: ${violation.location.join('.')}: ${violation.message}`,
          ),
      ),
    output: () => peer.output(),
    stop: async () => {
      await peer.stop();
      spec.remove();
    },
  };
}

/**
 * What Prism found wrong: the `sl-violations` header, or, when Prism answered
 * itself with a problem (`--errors`), the problem's `validation` list. A
 * refused request's problem names locations without the leading "request".
 */
async function violationsOf(response: Response): Promise<PrismViolation[]> {
  const header = response.headers.get('sl-violations');
  if (header !== null) {
    try {
      return JSON.parse(header) as PrismViolation[];
    } catch {
      // Prism truncates long headers ("Too many violations! …").
      return [{ location: [], message: header.slice(0, 500) }];
    }
  }
  if (!(response.headers.get('content-type') ?? '').startsWith('application/problem+json')) return [];
  const problem = (await response.clone().json()) as { type?: string; title?: string; detail?: string; validation?: PrismViolation[] };
  if (problem.validation === undefined)
    return [
      {
        location: [],
        severity: 'Error',
        message: `${problem.title ?? problem.type ?? 'Prism refused the exchange'}: ${problem.detail ?? ''}`,
      },
    ];
  const refusedRequest = response.status === 422;
  return problem.validation.map((violation) =>
    refusedRequest && violation.location[0] !== 'request' ? { ...violation, location: ['request', ...violation.location] } : violation,
  );
}

/**
 * Prism validates with Ajv, which refuses to compile a schema that has
 * `nullable: true` without a `type` (OpenAPI 3.0 allows it next to
 * `allOf`/`oneOf`/`anyOf`/`$ref`), and Prism then skips that validation
 * silently: for GitHub's description that is most response bodies and the
 * issue request bodies. This rewrites each such schema `S` to
 * `{ anyOf: [S without nullable, { type: 'null' }] }` (what the description
 * means: S, or null) in a copy, so every schema is really checked.
 *
 * @returns how many schemas were rewritten.
 */
export function makeNullableSchemasValidatable(document: unknown): number {
  let rewritten = 0;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node as Record<string, unknown>).map(([key, value]) => [key, visit(value)] as const);
    const object = Object.fromEntries(entries) as Record<string, unknown>;
    if (object.nullable === true && object.type === undefined) {
      rewritten += 1;
      const { description, ...schema } = object;
      delete schema.nullable;
      return { ...(description === undefined ? {} : { description }), anyOf: [schema, { type: 'null' }] };
    }
    return object;
  };
  const root = document as Record<string, unknown>;
  for (const [key, value] of Object.entries(root)) root[key] = visit(value);
  return rewritten;
}

/**
 * Writes a copy of the OpenAPI description at `source` with `patch` (if
 * given) and then {@link makeNullableSchemasValidatable} applied, into
 * a new temporary directory, and returns its path and a `remove()`.
 */
export function writeValidatableOpenApi(
  source: string,
  patch?: PrismOptions['patch'],
): { path: string; rewritten: number; remove(): void } {
  const published = JSON.parse(readFileSync(source, 'utf8')) as Record<string, unknown>;
  const document = patch?.(published) ?? published;
  const rewritten = makeNullableSchemasValidatable(document);
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-openapi-'));
  const path = join(directory, 'openapi.json');
  writeFileSync(path, JSON.stringify(document));
  return { path, rewritten, remove: () => rmSync(directory, { recursive: true, force: true }) };
}
