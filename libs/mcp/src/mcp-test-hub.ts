import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createHub, IntegrationError, SecretSet, type Hub, type ProviderV1 } from '@switchyard/core';
import { createMemoryStorageProvider } from '@switchyard/core/testing';

/** A credential the failing provider holds and leaks into its error messages, as careless SDKs do. */
export const PLANTED_SECRET = 'sk_live_mcpPlanted0123456789SECRET';

/** A storage provider that holds {@link PLANTED_SECRET} and fails every call with a network error that quotes it. */
export interface FailingProvider extends ProviderV1 {
  readonly calls: string[];
}

function failingStorageProvider(id: string): FailingProvider {
  const base = createMemoryStorageProvider({ id, buckets: ['reports'] });
  const secrets = new SecretSet();
  secrets.add(PLANTED_SECRET);
  const calls: string[] = [];
  return {
    ...base,
    secrets,
    calls,
    execute: (request) => {
      calls.push(request.operation);
      return Promise.reject(
        new IntegrationError({
          kind: 'network',
          message: `PUT https://storage.example.test/reports?key=${PLANTED_SECRET} failed: connection reset`,
          provider: id,
        }),
      );
    },
  };
}

/** A hub with a failing `primary` and a working in-memory `backup` storage provider, bucket `reports` on both. */
export function testHub(): { readonly hub: Hub; readonly primary: FailingProvider } {
  const primary = failingStorageProvider('primary');
  const backup = createMemoryStorageProvider({ id: 'backup', buckets: ['reports'] });
  const hub = createHub({ providers: [primary, backup], routing: { retry: { retries: 0 } } });
  return { hub, primary };
}

/** The SDK's own client, connected over Streamable HTTP. */
export async function connectClient(
  url: string,
  options: { readonly token?: string; readonly client?: ClientOptions } = {},
): Promise<{ readonly client: Client; readonly transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: options.token === undefined ? {} : { headers: { authorization: `Bearer ${options.token}` } },
  });
  const client = new Client({ name: 'switchyard-test', version: '0.0.0' }, options.client);
  await client.connect(transport);
  return { client, transport };
}
