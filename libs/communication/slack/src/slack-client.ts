import { AsyncLocalStorage } from 'node:async_hooks';
import { IntegrationError, type ProviderCallContext } from '@switchyard/core';
import type { Logger, LogLevel, WebClient } from '@slack/web-api';
import { slackError } from './slack-error';
import { VERSION } from './version';

/** Calls one Web API method and returns its parsed `ok: true` result; failures are classified by `slackError`. */
export interface SlackClient {
  call(method: string, args: Readonly<Record<string, unknown>>, context: Pick<ProviderCallContext, 'signal'>, operation: string): Promise<Record<string, unknown>>;
}

/** What {@link createSlackClient} needs, resolved by the provider. */
export interface SlackClientOptions {
  readonly baseURL: string;
  /** Resolves the bot token on first use; throws `auth` when there is none. */
  readonly token: () => string;
  readonly fetch?: typeof fetch | undefined;
}

/** The SDK logs request bodies at debug level and warnings per call; the hub has its own logging. */
const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => 'error' as LogLevel, setName() {} };

/**
 * Creates the Web API client. `@slack/web-api` is imported on the first call,
 * not before. Its own retries are off (`retryConfig: { retries: 0 }`) and
 * rate-limited calls reject (`rejectRateLimitedCalls`), so the hub's router is
 * the only place that retries or waits.
 *
 * The SDK takes no per-call `AbortSignal`; it accepts a custom `fetch`. The
 * call's signal travels to that `fetch` through an `AsyncLocalStorage`, and
 * the request queue is unbounded so every call starts in its own async
 * context (a queued call would start in another call's context).
 */
export function createSlackClient(options: SlackClientOptions): SlackClient {
  const signals = new AsyncLocalStorage<AbortSignal>();
  const baseFetch = options.fetch ?? globalThis.fetch;
  const signalledFetch = (url: string | URL, init?: RequestInit) => {
    const signal = signals.getStore();
    const signalsToHonour = [init?.signal, signal].filter((entry): entry is AbortSignal => entry !== undefined && entry !== null);
    return baseFetch(url, { ...init, signal: signalsToHonour.length === 0 ? undefined : AbortSignal.any(signalsToHonour) });
  };
  let client: Promise<WebClient> | undefined;
  const load = () =>
    (client ??= import('@slack/web-api').then(({ WebClient: WebClientClass }) => {
      return new WebClientClass(options.token(), {
        slackApiUrl: options.baseURL,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        maxRequestConcurrency: Number.POSITIVE_INFINITY,
        logger: silentLogger,
        headers: { 'User-Agent': `switchyard-slack/${VERSION}` },
        fetch: signalledFetch,
      });
    })).catch((error: unknown) => {
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
        throw new IntegrationError({ kind: 'provider', message: `slack: ${operation}: @slack/web-api could not be loaded`, provider: 'slack', operation, cause: error });
      }
      if (context.signal.aborted) throw new IntegrationError({ kind: 'timeout', message: `slack: ${operation} (${method}) was aborted before it was sent`, provider: 'slack', operation });
      try {
        const result = await signals.run(context.signal, () => instance.apiCall(method, { ...args }));
        return result as unknown as Record<string, unknown>;
      } catch (error) {
        throw slackError(error, operation, method);
      }
    },
  };
}
