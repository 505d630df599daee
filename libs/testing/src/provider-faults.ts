import { IntegrationError, type ErrorKind, type ProviderCallContext, type ProviderRequest, type ProviderV1 } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallContext } from './call-context';
import { startFaultServer, type FaultResponse, type FaultServer } from './fault-server';

/** The cases {@link testProviderFaults} runs; a provider may skip one only with a documented reason. */
export type ProviderFaultCase =
  | 'rate-limit-retry-after-seconds'
  | 'rate-limit-retry-after-date'
  | 'server-error'
  | 'bad-gateway'
  | 'unavailable'
  | 'unauthorized'
  | 'not-found'
  | 'connection-reset'
  | 'malformed-body'
  | 'deadline';

/** Options for {@link testProviderFaults}. */
export interface TestProviderFaultsOptions {
  /** The provider's id, as its errors record it. */
  readonly provider: string;
  /** Builds the provider pointed at the fault server (`baseURL`), with the planted `secrets` as its credentials. */
  readonly create: (baseURL: string) => ProviderV1;
  /**
   * The routed call every case makes. Pick one whose success answer is JSON
   * (or XML) the provider parses. Give this or `call`.
   */
  readonly request?: ProviderRequest | undefined;
  /**
   * Any other call every case makes instead of `request`: a provider
   * operation or the health check, e.g. `(provider, { signal }) => provider.healthCheck!({ signal })`.
   */
  readonly call?: ((provider: ProviderV1, context: ProviderCallContext) => Promise<unknown>) | undefined;
  /** The route that call reaches on the server: `"METHOD /path"` or `"/path"`. */
  readonly route: string;
  /**
   * The error body the service sends with a status, so the provider's own
   * envelope reader runs: `{ body, headers }`. Default: JSON `{ "message": ... }`.
   */
  readonly errorAnswer?: ((status: number, message: string) => Pick<FaultResponse, 'body' | 'headers'>) | undefined;
  /** Credentials the provider was created with; none may appear in any error, whole or in part. */
  readonly secrets?: readonly string[] | undefined;
  /**
   * Cases that cannot apply to this provider, each with the reason a reader
   * sees in the skipped test's title, e.g. `{ 'malformed-body': 'getObject returns raw bytes' }`.
   */
  readonly skip?: Partial<Readonly<Record<ProviderFaultCase, string>>> | undefined;
  /**
   * Documented provider hints that change a case's expected kind (see
   * `classifyHttpStatus`), e.g. `{ unavailable: 'rate_limit' }` for a
   * service whose 503 is always a throttle. Default: none.
   */
  readonly expectedKinds?: Partial<Readonly<Record<ProviderFaultCase, ErrorKind>>> | undefined;
}

interface FaultCase {
  readonly name: ProviderFaultCase;
  readonly title: string;
  readonly answer: (options: TestProviderFaultsOptions) => FaultResponse;
  /** What the shared classification says for this answer. */
  readonly expected: { readonly kind: ErrorKind; readonly isRetryable: boolean; readonly statusCode?: number };
  readonly check?: (error: IntegrationError) => void;
}

const jsonError = (status: number, message: string): Pick<FaultResponse, 'body' | 'headers'> => ({ body: { message } });
const answerWith =
  (status: number, message: string, headers: Readonly<Record<string, string>> = {}) =>
  (options: TestProviderFaultsOptions): FaultResponse => {
    const shaped = (options.errorAnswer ?? jsonError)(status, message);
    return { status, body: shaped.body, headers: { ...shaped.headers, ...headers } };
  };

/** The time a hanging server is given before the call's signal aborts it. */
const DEADLINE_MS = 150;

const CASES: readonly FaultCase[] = [
  {
    name: 'rate-limit-retry-after-seconds',
    title: '429 with Retry-After in seconds → rate_limit, retryable, waiting that long',
    answer: answerWith(429, 'Too Many Requests', { 'retry-after': '7' }),
    expected: { kind: 'rate_limit', isRetryable: true, statusCode: 429 },
    check: (error) => expect(error.retryAfterMs).toBe(7_000),
  },
  {
    name: 'rate-limit-retry-after-date',
    title: '429 with an HTTP-date Retry-After → rate_limit, waiting until then',
    answer: (options) => answerWith(429, 'Too Many Requests', { 'retry-after': new Date(Date.now() + 60_000).toUTCString() })(options),
    expected: { kind: 'rate_limit', isRetryable: true, statusCode: 429 },
    check: (error) => {
      expect(error.retryAfterMs).toBeGreaterThan(30_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    },
  },
  {
    name: 'server-error',
    title: '500 → provider, retryable (the router fails over)',
    answer: answerWith(500, 'Internal error'),
    expected: { kind: 'provider', isRetryable: true, statusCode: 500 },
  },
  {
    name: 'bad-gateway',
    title: '502 → provider, retryable',
    answer: answerWith(502, 'Bad gateway'),
    expected: { kind: 'provider', isRetryable: true, statusCode: 502 },
  },
  {
    name: 'unavailable',
    title: '503 → provider, retryable',
    answer: answerWith(503, 'Service unavailable'),
    expected: { kind: 'provider', isRetryable: true, statusCode: 503 },
  },
  {
    name: 'unauthorized',
    title: '401 → auth, not retryable',
    answer: answerWith(401, 'Bad credentials'),
    expected: { kind: 'auth', isRetryable: false, statusCode: 401 },
  },
  {
    name: 'not-found',
    title: '404 → not_found, not retryable',
    answer: answerWith(404, 'Not found'),
    expected: { kind: 'not_found', isRetryable: false, statusCode: 404 },
  },
  {
    name: 'connection-reset',
    title: 'a reset connection → network, retryable',
    answer: () => ({ fault: 'reset' }),
    expected: { kind: 'network', isRetryable: true },
  },
  {
    name: 'malformed-body',
    title: 'a 200 with a truncated body → provider, never a success',
    answer: () => ({ fault: 'malformed-json' }),
    expected: { kind: 'provider', isRetryable: true },
  },
  {
    name: 'deadline',
    title: 'an answer that never comes → timeout once the call is aborted',
    answer: () => ({ fault: 'hang' }),
    expected: { kind: 'timeout', isRetryable: true },
  },
];

function everyText(error: IntegrationError): string {
  let text = `${error.message}\n${JSON.stringify(error)}`;
  for (let cause: unknown = error.cause, depth = 0; cause !== undefined && cause !== null && depth < 5; depth += 1) {
    text += `\n${cause instanceof Error ? `${cause.message}\n${cause.stack ?? ''}` : JSON.stringify(cause)}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return text;
}

/** The fragments of a secret that must not appear: the whole secret and every 8-character window of it. */
function fragments(secret: string): string[] {
  if (secret.length <= 8) return [secret];
  const windows: string[] = [];
  for (let start = 0; start + 8 <= secret.length; start += 4) windows.push(secret.slice(start, start + 8));
  return [secret, ...windows];
}

/** One case of the fault suite, runnable on its own (e.g. to show a wrong provider fails it). */
export interface ProviderFaultRun {
  readonly name: ProviderFaultCase;
  readonly title: string;
  /** Why it is skipped for this provider, when it is. */
  readonly skipReason: string | undefined;
  /** Scripts the answer on `server`, makes the call, and throws when the provider answers it wrongly. */
  run(server: FaultServer): Promise<void>;
}

/**
 * The cases of {@link testProviderFaults}, for running them outside its
 * `describe` block. Each needs a running {@link startFaultServer}.
 */
export function providerFaultCases(options: TestProviderFaultsOptions): ProviderFaultRun[] {
  return CASES.map((fault) => ({
    name: fault.name,
    title: fault.title,
    skipReason: options.skip?.[fault.name],
    async run(server: FaultServer) {
      server.route(options.route, fault.answer(options));
      const before = server.requests.length;
      const controller = new AbortController();
      const timer =
        fault.name === 'deadline'
          ? setTimeout(() => controller.abort(new DOMException('deadline passed', 'TimeoutError')), DEADLINE_MS)
          : undefined;
      let thrown: unknown;
      try {
        const provider = options.create(server.url);
        const context = createCallContext({ signal: controller.signal });
        if (options.call !== undefined) await options.call(provider, context);
        else if (options.request !== undefined) await provider.execute(options.request, context);
        else throw new Error('testProviderFaults needs a request or a call');
      } catch (error) {
        thrown = error;
      } finally {
        clearTimeout(timer);
      }
      expect(thrown, 'the call fails').toBeDefined();
      expect(IntegrationError.isInstance(thrown), `an IntegrationError, not ${String(thrown)}`).toBe(true);
      const error = thrown as IntegrationError;
      const hinted = options.expectedKinds?.[fault.name];
      expect(error.kind, error.message).toBe(hinted ?? fault.expected.kind);
      expect(error.provider).toBe(options.provider);
      if (hinted === undefined) expect(error.isRetryable, error.message).toBe(fault.expected.isRetryable);
      if (fault.expected.statusCode !== undefined) expect(error.statusCode).toBe(fault.expected.statusCode);
      fault.check?.(error);
      expect(server.requests.length - before, 'one request: retries are the router’s job').toBe(1);
      const text = everyText(error);
      for (const secret of options.secrets ?? []) {
        for (const fragment of fragments(secret))
          expect(text.includes(fragment), `a part of a planted secret ("${fragment.slice(0, 2)}…") appears in the error`).toBe(false);
      }
    },
  }));
}

/**
 * The shared fault suite every HTTP provider runs: scripted answers from
 * {@link startFaultServer} (429 with `Retry-After` in seconds and as a date,
 * 500, 502, 503, 401, 404, a reset connection, a truncated body, an answer
 * that never comes) must come back as the `IntegrationError` the shared
 * status table (`classifyHttpStatus` in `@switchyard/http`) gives, recorded
 * on the provider, after exactly one request (the provider and its SDK never
 * retry: the router does), and with no planted secret, whole or in part, in
 * any message, cause or serialized form.
 *
 * @example
 * ```ts
 * testProviderFaults({
 *   provider: 'acme',
 *   create: (baseURL) => createAcme({ baseURL, apiKey: 'acme-planted-key-7f3a', allowPrivateNetwork: true }),
 *   request: { capability: 'crm', operation: 'getContact', input: { id: '42' } },
 *   route: 'GET /v1/contacts/42',
 *   secrets: ['acme-planted-key-7f3a'],
 * });
 * ```
 */
export function testProviderFaults(options: TestProviderFaultsOptions): void {
  describe(`${options.provider} fault suite`, () => {
    let server: FaultServer;

    beforeAll(async () => {
      server = await startFaultServer();
    });

    afterAll(async () => {
      await server.close();
    });

    for (const fault of providerFaultCases(options)) {
      if (fault.skipReason === undefined) it(fault.title, () => fault.run(server));
      else it.skip(`${fault.title} (does not apply: ${fault.skipReason})`, () => undefined);
    }
  });
}
