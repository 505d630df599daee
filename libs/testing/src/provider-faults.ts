import { IntegrationError, type ErrorKind } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallContext } from './call-context';
import { startFaultServer, type FaultResponse, type FaultServer } from './fault-server';
import type { ProviderFaultCase, TestProviderFaultsOptions } from './provider-faults-options';
import { errorTexts, expectNoSecretRun, runEchoedCredentials, runSecretAtCut, SecretRuns } from './provider-faults-secrets';

export type { ProviderFaultCase, TestProviderFaultsOptions } from './provider-faults-options';

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

/** The cases about secrets: many calls each, through a hub. */
const SECRET_CASES: readonly {
  readonly name: ProviderFaultCase;
  readonly title: string;
  readonly run: (options: TestProviderFaultsOptions, server: FaultServer) => Promise<void>;
}[] = [
  {
    name: 'secret-at-excerpt-cut',
    title: 'a planted secret in a 401 or 500 body, at every offset around the excerpt cut → no 8-character run of it anywhere',
    run: runSecretAtCut,
  },
  {
    name: 'echoed-credentials',
    title: 'a 401 echoing the request’s path, Authorization and other credential headers → no 8-character run of them anywhere',
    run: runEchoedCredentials,
  },
];

/** Time a secret case may take: it makes a few hundred calls. Generous, for slow machines. */
const SECRET_CASE_TIMEOUT_MS = 300_000;

/** One case of the fault suite, runnable on its own (e.g. to show a wrong provider fails it). */
export interface ProviderFaultRun {
  readonly name: ProviderFaultCase;
  readonly title: string;
  /** Why it is skipped for this provider, when it is. */
  readonly skipReason: string | undefined;
  /** The test's time limit: generous for the secret cases, which make a few hundred calls each. Default: vitest's. */
  readonly timeoutMs: number | undefined;
  /** Scripts the answer on `server`, makes the call, and throws when the provider answers it wrongly. */
  run(server: FaultServer): Promise<void>;
}

/**
 * The cases of {@link testProviderFaults}, for running them outside its
 * `describe` block. Each needs a running {@link startFaultServer}.
 */
export function providerFaultCases(options: TestProviderFaultsOptions): ProviderFaultRun[] {
  const secretRuns = new SecretRuns(options.secrets, options.provider);
  const statusRuns = CASES.map((fault) => ({
    name: fault.name,
    title: fault.title,
    skipReason: options.skip?.[fault.name],
    timeoutMs: undefined,
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
      expectNoSecretRun(secretRuns, errorTexts(error), 'the error');
    },
  }));
  const secretCases = SECRET_CASES.map((fault) => ({
    name: fault.name,
    title: fault.title,
    skipReason: options.skip?.[fault.name],
    timeoutMs: SECRET_CASE_TIMEOUT_MS,
    run: (server: FaultServer) => fault.run(options, server),
  }));
  return [...statusRuns, ...secretCases];
}

/**
 * The shared fault suite every HTTP provider runs: scripted answers from
 * {@link startFaultServer} (429 with `Retry-After` in seconds and as a date,
 * 500, 502, 503, 401, 404, a reset connection, a truncated body, an answer
 * that never comes) must come back as the `IntegrationError` the shared
 * status table (`classifyHttpStatus` in `@switchyard/http`) gives, recorded
 * on the provider, after exactly one request (the provider and its SDK never
 * retry: the router does), and with no planted secret, whole or in part, in
 * any message, cause or serialized form. Two more cases plant secrets in
 * the error body itself, at every offset around the 200-character excerpt
 * cut, and echo the request's own credentials (path, `Authorization` and
 * other credential headers) back; no 8-character run of any of them may
 * appear in the error or in the events, log lines, metrics or health of a
 * hub the provider is registered in.
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
      if (fault.skipReason === undefined) it(fault.title, () => fault.run(server), fault.timeoutMs);
      else it.skip(`${fault.title} (does not apply: ${fault.skipReason})`, () => undefined);
    }
  });
}
