import { inspect } from 'node:util';
import { createHub, type Hub, type Logger, type ProviderV1 } from '@switchyard/core';
import { expect } from 'vitest';
import { createCallContext } from './call-context';
import type { TestProviderFaultsOptions } from './provider-faults-options';
import type { FaultResponse, FaultServer, RecordedRequest } from './fault-server';

/** The shortest run of a secret's characters that counts as a leak (docs/errors.md, "Secrets"). */
export const LEAK_RUN_LENGTH = 8;

/** What the secret cases read of the fault suite's options. */
export type SecretFaultOptions = Pick<
  TestProviderFaultsOptions,
  'provider' | 'create' | 'request' | 'call' | 'route' | 'errorAnswer' | 'secrets'
>;

/**
 * The secrets to look for, as every run of {@link LEAK_RUN_LENGTH}
 * characters of each (a shorter secret whole), so finding one in a text
 * costs one set lookup per character of the text. A run that is also part
 * of `publicText` (the provider's id, which starts every message and which
 * a planted key may repeat) is not looked for.
 */
export class SecretRuns {
  readonly #runs = new Set<string>();
  readonly #short = new Set<string>();
  readonly #publicText: string;

  constructor(secrets: Iterable<string> = [], publicText = '') {
    this.#publicText = publicText;
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string): void {
    if (secret.length < LEAK_RUN_LENGTH) {
      if (secret !== '') this.#short.add(secret);
      return;
    }
    for (let start = 0; start + LEAK_RUN_LENGTH <= secret.length; start += 1) {
      const run = secret.slice(start, start + LEAK_RUN_LENGTH);
      if (!this.#publicText.includes(run)) this.#runs.add(run);
    }
  }

  /** The first run of a secret found in `text`, if any. */
  findIn(text: string): string | undefined {
    for (let start = 0; start + LEAK_RUN_LENGTH <= text.length; start += 1) {
      const run = text.slice(start, start + LEAK_RUN_LENGTH);
      if (this.#runs.has(run)) return run;
    }
    for (const secret of this.#short) if (text.includes(secret)) return secret;
    return undefined;
  }
}

/** Asserts that no run of a secret appears in `text`; the failure names where and shows the surroundings. */
export function expectNoSecretRun(runs: SecretRuns, text: string, where: string): void {
  const run = runs.findIn(text);
  if (run === undefined) return;
  const at = text.indexOf(run);
  const context = text.slice(Math.max(0, at - 60), at + 40).replace(/\s+/g, ' ');
  expect.fail(`a part of a planted secret ("${run.slice(0, 2)}…", ${LEAK_RUN_LENGTH} characters) appears in ${where}: …${context}…`);
}

/** A value as a host sees it: serialized and printed (`util.inspect`). */
function printed(value: unknown): string {
  if (typeof value === 'string') return value;
  let json: string;
  try {
    json = JSON.stringify(value) ?? '';
  } catch {
    json = '';
  }
  return `${json}\n${inspect(value, { depth: 12 })}`;
}

/**
 * Every form of an error: message, JSON (details and attempts), `inspect`
 * (stack and cause), and each cause's message and stack. Stack frames
 * (`    at fn (file:line)`) are left out: they name code, never data, and a
 * provider's file names share characters with a planted key named after it.
 */
export function errorTexts(error: unknown): string {
  let text = printed(error);
  if (error instanceof Error) text += `\n${error.message}\n${error.stack ?? ''}`;
  for (
    let cause = (error as { cause?: unknown } | null)?.cause, depth = 0;
    cause !== undefined && cause !== null && depth < 5;
    depth += 1
  ) {
    text += `\n${cause instanceof Error ? `${cause.message}\n${cause.stack ?? ''}` : printed(cause)}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return text.replace(/^\s*at .*:\d+:\d+\)?$/gm, '');
}

/** Never reached: the hub neither retries nor opens the circuit during a secret case, so every call reaches the server. */
const NEVER = Number.MAX_SAFE_INTEGER;

/** A hub holding only `provider`, whose events and log lines all land in `seen`. */
function observedHub(provider: ProviderV1, seen: string[]): Hub {
  const record = (label: string) => (payload: unknown) => void seen.push(`${label}: ${printed(payload)}`);
  const logger: Logger = {
    debug: (fields, message) => record('log.debug')({ fields, message }),
    info: (fields, message) => record('log.info')({ fields, message }),
    warn: (fields, message) => record('log.warn')({ fields, message }),
    error: (fields, message) => record('log.error')({ fields, message }),
  };
  const hub = createHub({
    providers: [provider],
    logger,
    routing: {
      retry: { retries: 0 },
      breaker: { consecutiveFailures: NEVER, minimumCalls: NEVER },
      providers: { [provider.manifest.id]: { rateLimits: [] } },
    },
  });
  // Every event type, as a host's audit log would see them, so a leak through any of them is seen.
  hub.events.onAny(({ type, payload }) => record(`event ${type}`)(payload));
  return hub;
}

/** Prose to put before a secret, `length` characters long; the last word may be cut short, so the secret is glued to it. */
function filler(length: number): string {
  return 'The request was refused because the credentials sent with it are not valid for this account '.repeat(4).slice(0, length);
}

/** Filler lengths that put the excerpt's 200-character cut at every offset of a secret of up to ~50 characters after a provider's prefix. */
const CUT_OFFSETS: readonly number[] = Array.from({ length: 81 }, (_, index) => 150 + index);

/**
 * Runs one secret case: answers the call's route, and every other request
 * (health checks), with each scripted answer in turn, makes the call through
 * a hub (or `options.call` directly), and asserts that no run of any planted
 * secret, nor of any credential `answers` echoed, appears in the error or in
 * the hub's events, log lines, `metrics()` or `health()`.
 */
async function runSecretCase(
  options: SecretFaultOptions,
  server: FaultServer,
  answers: Iterable<(request: RecordedRequest) => FaultResponse>,
  runs: SecretRuns,
): Promise<void> {
  const provider = options.create(server.url);
  const seen: string[] = [];
  const hub = observedHub(provider, seen);
  const check = (where: string) => {
    for (const text of seen.splice(0)) expectNoSecretRun(runs, text, `${where} (${text.slice(0, text.indexOf(':'))})`);
  };
  let calls = 0;
  try {
    for (const answer of answers) {
      server.route(options.route, answer);
      server.route('*', answer);
      let thrown: unknown;
      try {
        if (options.request !== undefined) await hub.execute(options.request, { only: [provider.manifest.id] });
        else if (options.call !== undefined) await options.call(provider, createCallContext());
        else throw new Error('testProviderFaults needs a request or a call');
      } catch (error) {
        thrown = error;
      }
      expect(thrown, 'the call fails').toBeDefined();
      calls += 1;
      expectNoSecretRun(runs, errorTexts(thrown), 'the error');
      check('the hub’s events or logs');
    }
    seen.push(`health: ${printed(await hub.health())}`, `metrics: ${printed(hub.metrics())}`);
    check('the hub’s health or metrics');
  } finally {
    server.route('*', undefined);
    await hub.close();
  }
  expect(calls, 'the case made its calls').toBeGreaterThan(0);
}

/**
 * (a) Each planted secret inside a 401 and a 500 error body, after filler
 * that puts the 200-character excerpt cut at every offset around it, with
 * more text after it.
 */
export async function runSecretAtCut(options: SecretFaultOptions, server: FaultServer): Promise<void> {
  const planted = options.secrets ?? [];
  expect(planted.length, 'the provider test plants secrets (`secrets`)').toBeGreaterThan(0);
  const shape = options.errorAnswer ?? ((_status: number, message: string) => ({ body: { message } }));
  function* answers() {
    for (const status of [401, 500])
      for (const secret of planted)
        for (const length of CUT_OFFSETS) {
          const shaped = shape(status, `${filler(length)}${secret} was not accepted, try another`);
          yield () => ({ status, ...shaped });
        }
  }
  await runSecretCase(options, server, answers(), new SecretRuns(planted, options.provider));
}

/**
 * Header names that carry credentials, whatever the service: `authorization`,
 * `cookie`, and names ending in token, key, secret, signature or credential
 * (`private-token`, `x-api-key`, `x-amz-security-token`, `x-functions-key`),
 * but not an idempotency token.
 */
const CREDENTIAL_HEADER = /^(?:authorization|proxy-authorization|cookie)$|(?<!idempotency-)(?:token|key|secret|signature|credential)$/i;

/** Query parameter names that carry credentials: OAuth2 and API key names, SAS `sig`, presigned URLs' signature, credential and session token. */
const CREDENTIAL_PARAMETER =
  /^(?:access_token|refresh_token|id_token|token|private_token|api_key|apikey|key|client_secret|secret|password|sig|signature|code|X-(?:Amz|Goog)-(?:Signature|Credential|Security-Token))$/i;

/**
 * The parts of a credential header's value a replay needs: SigV4's
 * `Signature=`, the credential after a scheme word (`Bearer <token>`, Shared
 * Key's signature after `account:`), else the whole value.
 */
function credentialsOf(value: string): string[] {
  const signature = /\bSignature=([^,\s]+)/.exec(value)?.[1];
  if (signature !== undefined) return [signature];
  const schemed = /^[A-Za-z][\w-]*\s+(\S+)$/.exec(value)?.[1];
  if (schemed === undefined) return [value];
  return /^SharedKey/i.test(value) ? [schemed.slice(schemed.lastIndexOf(':') + 1)] : [schemed];
}

/** What a careless service echoes of a request: its request line (path and query) and each credential header, each with the credentials in it. */
function echoesOf(request: RecordedRequest): { readonly text: string; readonly credentials: readonly string[] }[] {
  const credentialParameters = [...request.query].filter(([name]) => CREDENTIAL_PARAMETER.test(name)).map(([, value]) => value);
  const echoes = [{ text: `${request.method} ${request.path}`, credentials: credentialParameters }];
  for (const [name, value] of Object.entries(request.headers)) {
    if (!CREDENTIAL_HEADER.test(name) || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) echoes.push({ text: `${name}: ${one}`, credentials: credentialsOf(one) });
  }
  return echoes;
}

/**
 * (b) A 401 that echoes the request's own credentials back: its request line
 * (a token in the path or the query) and each credential header
 * (`Authorization`, session tokens, API keys), each first in the message and
 * after filler that puts the excerpt cut at every offset around it. Besides
 * the planted secrets, no run of what was echoed as a credential (a token, a
 * signature) may appear.
 */
export async function runEchoedCredentials(options: SecretFaultOptions, server: FaultServer): Promise<void> {
  const planted = options.secrets ?? [];
  const runs = new SecretRuns(planted, options.provider);
  const shape = options.errorAnswer ?? ((_status: number, message: string) => ({ body: { message } }));
  let echoedSecret = false;
  let items = 1;
  function* answers() {
    for (let item = 0; item < items; item += 1) {
      for (const length of [0, ...CUT_OFFSETS]) {
        yield (request: RecordedRequest): FaultResponse => {
          const echoes = echoesOf(request);
          items = Math.max(items, echoes.length);
          const echo = echoes[Math.min(item, echoes.length - 1)]!;
          // A credential shorter than a leak run cannot leak a run of itself.
          const credentials = echo.credentials.filter((credential) => credential.length >= LEAK_RUN_LENGTH);
          for (const credential of credentials) runs.add(credential);
          if (credentials.length > 0 || planted.some((secret) => echo.text.includes(secret))) echoedSecret = true;
          return { status: 401, ...shape(401, `${filler(length)}${echo.text} was refused`) };
        };
      }
    }
  }
  await runSecretCase(options, server, answers(), runs);
  expect(echoedSecret, 'a request carried a planted secret or a credential to echo').toBe(true);
}
