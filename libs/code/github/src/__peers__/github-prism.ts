import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startPeerProcess, type PeerProcess } from '@switchyard/testing';

/** What Prism said about one request: its status and the `sl-violations` it found. */
export interface PrismExchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Prism's request violations (`sl-violations` header), e.g. a query value outside the spec's enum. */
  readonly violations: readonly { readonly location: readonly string[]; readonly message: string }[];
}

/** A running {@link startGithubPrism}. */
export interface GithubPrism {
  readonly url: string;
  /** A `fetch` that records every exchange with Prism; pass it as `request.fetch`. */
  readonly fetch: typeof fetch;
  readonly exchanges: PrismExchange[];
  stop(): Promise<void>;
}

/**
 * Starts Prism 5.14 mocking GitHub's official OpenAPI description
 * (`@octokit/openapi`'s `generated/api.github.com.json`, 13 MB: about 13 s
 * and 300 MB) on a free 127.0.0.1 port. Prism validates paths, query
 * parameters and JSON bodies against the description and answers with its
 * examples; a request that breaks the description gets 422 with the
 * violations in `sl-violations`. Octokit's default `accept` header gets 406
 * from Prism, so send `accept: application/json` (`request.headers`).
 */
export async function startGithubPrism(): Promise<GithubPrism> {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
  const spec = join(dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json');
  const peer: PeerProcess = await startPeerProcess({
    name: 'prism (GitHub OpenAPI)',
    command: process.execPath,
    args: (port) => [cli, 'mock', '-h', '127.0.0.1', '-p', String(port), spec],
    readyPath: '/rate_limit',
    readyTimeoutMs: 90_000,
    missingHint: 'Install the dev dependency @stoplight/prism-cli@5.14.2.',
  });
  const exchanges: PrismExchange[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const header = response.headers.get('sl-violations');
    const url = new URL(request.url);
    exchanges.push({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      status: response.status,
      violations: header === null ? [] : (JSON.parse(header) as PrismExchange['violations']),
    });
    return response;
  };
  return { url: peer.url, fetch: recordingFetch, exchanges, stop: () => peer.stop() };
}
