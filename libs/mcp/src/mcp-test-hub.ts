import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createHub, type Hub } from '@switchyard/core';
import { createLeakyFailingProvider, createMemoryStorageProvider, type LeakyFailingProvider } from '@switchyard/core/testing';

/** A credential the failing provider holds and leaks into its error messages, as careless SDKs do. */
export const PLANTED_SECRET = 'sk_live_mcpPlanted0123456789SECRET';

/** A storage provider that holds {@link PLANTED_SECRET} and fails every call with a network error that quotes it. */
export type FailingProvider = LeakyFailingProvider;

function failingStorageProvider(id: string): FailingProvider {
  return createLeakyFailingProvider(createMemoryStorageProvider({ id, buckets: ['reports'] }), PLANTED_SECRET);
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
