import { AsyncLocalStorage } from 'node:async_hooks';
import { IntegrationError, type ProviderCallContext, type SecretSet } from '@switchyard/core';
import { createProviderErrors, normalizeHeaders } from '@switchyard/http';
import type { Logger, LogLevel, WebClient } from '@slack/web-api';
import { slackError, type SlackAnswer } from './slack-error';
import { VERSION } from './version';

/** Calls one Web API method and returns its `ok: true` result; failures are classified by `slackError`. */
export interface SlackClient {
  call(
    method: string,
    args: Readonly<Record<string, unknown>>,
    context: Pick<ProviderCallContext, 'signal'>,
    operation: string,
  ): Promise<unknown>;
}

/** What {@link createSlackClient} needs, resolved by the provider. */
export interface SlackClientOptions {
  readonly baseURL: string;
  /** Resolves the bot token on first use; throws `auth` when there is none. */
  readonly token: () => string;
  /** The `fetch` requests go out through (`fetchThrough(settings.dispatcher)`). */
  readonly fetch: typeof fetch;
  /** The provider's secrets: every error the client throws is redacted with them. */
  readonly secrets: SecretSet;
}

/** One call in flight: its signal, and the answer its request got. */
interface SlackCall {
  readonly signal: AbortSignal;
  answer: SlackAnswer | undefined;
}

/** The SDK logs request bodies at debug level and warnings per call; the hub has its own logging. */
const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => 'error' as LogLevel,
  setName() {},
};

/**
 * Creates the Web API client. `@slack/web-api` is imported on the first call,
 * not before. Its own retries are off (`retryConfig: { retries: 0 }`) and
 * rate-limited calls reject (`rejectRateLimitedCalls`), so every call sends
 * one request and the hub's router is the only place that retries or waits.
 *
 * The SDK takes no per-call `AbortSignal`, and its errors drop the answer's
 * headers (a 429 whose `Retry-After` is a date becomes a plain `Error`). It
 * accepts a custom `fetch`: the one given here runs with the call's signal,
 * found through an `AsyncLocalStorage`, and records the answer's status and
 * headers for the error. The request queue is unbounded so every call starts
 * in its own async context (a queued call would start in another call's).
 * Its errors are redacted with `options.secrets`: Slack's answers and the
 * SDK's errors can quote a token.
 */
export function createSlackClient(options: SlackClientOptions): SlackClient {
  const errors = createProviderErrors('slack', { secrets: options.secrets });
  const calls = new AsyncLocalStorage<SlackCall>();
  const signalledFetch = async (url: string | URL, init?: RequestInit) => {
    const call = calls.getStore();
    const signals = [init?.signal, call?.signal].filter((entry): entry is AbortSignal => entry !== undefined && entry !== null);
    const response = await options.fetch(url, { ...init, signal: signals.length === 0 ? undefined : AbortSignal.any(signals) });
    if (call !== undefined) call.answer = { status: response.status, headers: normalizeHeaders(response.headers) };
    return response;
  };
  let client: Promise<WebClient> | undefined;
  const load = () =>
    (client ??= import('@slack/web-api').then(
      ({ WebClient: WebClientClass }) =>
        new WebClientClass(options.token(), {
          slackApiUrl: options.baseURL,
          retryConfig: { retries: 0 },
          rejectRateLimitedCalls: true,
          maxRequestConcurrency: Number.POSITIVE_INFINITY,
          logger: silentLogger,
          headers: { 'User-Agent': `switchyard-slack/${VERSION}` },
          fetch: signalledFetch,
        }),
    )).catch((error: unknown) => {
      client = undefined;
      throw error;
    });

  return {
    async call(method, args, context, operation) {
      let instance: WebClient;
      try {
        instance = await load();
      } catch (error) {
        if (IntegrationError.isInstance(error)) throw error;
        throw errors.create({
          kind: 'provider',
          message: `${operation}: @slack/web-api could not be loaded`,
          operation,
          cause: error,
        });
      }
      if (context.signal.aborted)
        throw errors.create({ kind: 'timeout', message: `${operation} (${method}) was aborted before it was sent`, operation });
      const call: SlackCall = { signal: context.signal, answer: undefined };
      try {
        return await calls.run(call, () => instance.apiCall(method, { ...args }));
      } catch (error) {
        throw slackError(errors, { error, operation, method, answer: call.answer, aborted: context.signal.aborted });
      }
    },
  };
}
