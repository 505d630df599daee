import { createHub, type Hub } from '@switchyard/core';
import { createLeakyFailingProvider, createMemoryStorageProvider, type LeakyFailingProvider } from '@switchyard/core/testing';
import { createGithub } from '@switchyard/github';
import { createApiKeys, createMemoryStore, type Store } from '@switchyard/platform';
import { createSlack } from '@switchyard/slack';
import { afterAll, beforeAll, expect } from 'vitest';
import { createServer, type ServerOptions, type SwitchyardServer } from '../index';
import { conformanceProblems, startPrismFront, VIA_PRISM, type PrismFront } from './server-prism';

/** A credential the failing provider holds and leaks into its error messages, as careless SDKs do. */
export const PLANTED_SECRET = 'sk_live_serverPlanted0123456789SECRET';
export const GITHUB_WEBHOOK_SECRET = 'github-webhook-secret-0123456789';
export const SLACK_SIGNING_SECRET = 'slack-signing-secret-0123456789abcdef';

/** A storage provider that counts its calls and fails each with a network error quoting {@link PLANTED_SECRET}. */
export type CountingProvider = LeakyFailingProvider;

function failingStorage(id: string): CountingProvider {
  return createLeakyFailingProvider(createMemoryStorageProvider({ id, buckets: ['reports'] }), PLANTED_SECRET);
}

/** A running server on 127.0.0.1 with keys of every scope, a hub with a failing `primary` and a working `backup` storage, GitHub and Slack. */
export interface TestServer {
  readonly url: string;
  readonly server: SwitchyardServer;
  readonly hub: Hub;
  readonly store: Store;
  readonly primary: CountingProvider;
  readonly keys: { readonly admin: string; readonly execute: string; readonly read: string };
  /** Calls the API: JSON in, status, headers and parsed body out. */
  readonly call: (
    method: string,
    path: string,
    options?: {
      readonly key?: string | undefined;
      readonly body?: unknown;
      readonly headers?: Record<string, string>;
      readonly raw?: string | Buffer;
      /** Straight to the server, never through Prism: for what Prism answers itself (malformed JSON) or changes (CORS headers). */
      readonly direct?: boolean;
    },
  ) => Promise<{ readonly status: number; readonly headers: Headers; readonly body: unknown; readonly text: string }>;
  readonly close: () => Promise<void>;
}

/** With `SWITCHYARD_SERVER_VIA_PRISM=1`: one Prism proxy per test file, in front of whichever test server runs. */
let prismFront: PrismFront | undefined;
if (VIA_PRISM) {
  // Prism takes seconds to start (more on a busy machine): once per file, before the tests and outside their time limits.
  beforeAll(async () => {
    const documenting = createServer({
      hub: createHub(),
      platform: { store: createMemoryStore() },
      outboundWebhooks: { dispatcher: false },
    });
    prismFront = await startPrismFront(documenting.openApi());
  }, 180_000);
  afterAll(async () => {
    const front = prismFront;
    prismFront = undefined;
    if (front === undefined) return;
    const problems = conformanceProblems(front.exchanges);
    const exchanges = front.exchanges.length;
    await front.stop();
    expect(exchanges, 'requests that went through Prism').toBeGreaterThan(0);
    expect(problems, 'exchanges that break the OpenAPI document').toEqual([]);
  });
}

export async function startTestServer(
  options: Partial<Omit<ServerOptions, 'hub' | 'platform'>> & { readonly store?: Store } = {},
): Promise<TestServer> {
  const { store: givenStore, ...serverOptions } = options;
  const store = givenStore ?? createMemoryStore();
  const primary = failingStorage('primary');
  const hub = createHub({
    providers: [
      primary,
      createMemoryStorageProvider({ id: 'backup', buckets: ['reports'] }),
      createGithub({ token: 'ghp_unused0123456789', webhookSecret: GITHUB_WEBHOOK_SECRET }),
      createSlack({ token: 'xoxb-unused-0123456789', signingSecret: SLACK_SIGNING_SECRET }),
    ],
    routing: { retry: { retries: 0 }, providers: { primary: { weight: 3 } } },
  });
  const apiKeys = createApiKeys(store);
  const issue = async (scope: 'admin' | 'execute' | 'read') => (await apiKeys.issue({ name: `test ${scope}`, scopes: [scope] })).key;
  const keys = { admin: await issue('admin'), execute: await issue('execute'), read: await issue('read') };
  const server = createServer({
    hub,
    platform: {
      store,
      apiKeys,
      webhookSecret: (providerId) => (providerId === 'github' ? GITHUB_WEBHOOK_SECRET : providerId === 'slack' ? SLACK_SIGNING_SECRET : ''),
    },
    ...serverOptions,
  });
  const url = await server.listen();
  prismFront?.retarget(url);
  const front = prismFront;
  return {
    url,
    server,
    hub,
    store,
    primary,
    keys,
    call: async (method, path, callOptions = {}) => {
      const headers: Record<string, string> = { ...(callOptions.headers ?? {}) };
      if (callOptions.key !== undefined) headers.authorization = `Bearer ${callOptions.key}`;
      let body: string | Buffer | undefined = callOptions.raw;
      if (body === undefined && callOptions.body !== undefined) {
        body = JSON.stringify(callOptions.body);
        headers['content-type'] ??= 'application/json';
      }
      const via = callOptions.direct === true ? undefined : front;
      const response = await (via?.fetch ?? fetch)(`${via?.url ?? url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: the text is the body.
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    close: async () => {
      await server.close();
      await hub.close();
      if (givenStore === undefined) await store.close();
    },
  };
}
