import { startGithubFake } from '../__peers__/github-fake';

/** Options of {@link startGithubTestServer}. */
export interface GithubTestServerOptions {
  /** Personal access tokens the server accepts. Default: one fixed token, given back as `token`. */
  readonly tokens?: readonly string[] | undefined;
}

/** A running {@link startGithubTestServer}. */
export interface GithubTestServer {
  /** `http://127.0.0.1:<port>`: pass it as `baseURL` to `createGithub`. */
  readonly url: string;
  /** A token the server accepts: pass it as `token`. */
  readonly token: string;
  /** A seeded repository to create issues in, `octokit-fixture-org/hello-world`. */
  readonly repository: string;
  /** Closes the server. */
  stop(): Promise<void>;
}

/**
 * Starts the wire-protocol fake of GitHub's REST API that `@switchyard/github`
 * is tested against, on a free 127.0.0.1 port, for other packages' tests:
 * issues, repositories, hooks and search, with GitHub's pagination and
 * rate-limit headers; its data lives in memory and starts afresh each time.
 * Needs the optional peer dependency `@switchyard/testing`.
 *
 * @example
 * ```ts
 * const server = await startGithubTestServer();
 * const github = createGithub({ baseURL: server.url, token: server.token });
 * // ...
 * await server.stop();
 * ```
 */
export async function startGithubTestServer(options: GithubTestServerOptions = {}): Promise<GithubTestServer> {
  const fake = await startGithubFake(options.tokens === undefined ? {} : { tokens: options.tokens });
  return { url: fake.url, token: fake.token, repository: fake.repository, stop: () => fake.close() };
}
