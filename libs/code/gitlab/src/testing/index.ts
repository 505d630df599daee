import { startGitlabFake } from '../__peers__/gitlab-fake';

/** The project the test server is seeded with (GitLab's documented example project). */
export const GITLAB_TEST_PROJECT = 'diaspora/diaspora-project-site';

/** Options of {@link startGitlabTestServer}. */
export interface GitlabTestServerOptions {
  /** The personal access token the server accepts. Default: `glpat-fake-token`. */
  readonly token?: string | undefined;
}

/** A running {@link startGitlabTestServer}. */
export interface GitlabTestServer {
  /** `http://127.0.0.1:<port>`: pass it as `baseURL` to `createGitlab` (with `allowPrivateNetwork: true`). */
  readonly url: string;
  /** The token the server accepts: pass it as `token`. */
  readonly token: string;
  /** The seeded project, {@link GITLAB_TEST_PROJECT}. */
  readonly project: string;
  /**
   * Deletes an issue as a GitLab administrator or project owner can
   * (`DELETE /projects/:id/issues/:iid`): it is gone from every list and
   * read afterwards. Returns whether the issue existed.
   */
  deleteIssue(project: string, issueId: string): boolean;
  /** Closes the server. */
  stop(): Promise<void>;
}

/**
 * Starts the wire-protocol fake of GitLab's REST v4 API that
 * `@switchyard/gitlab` is tested against, on a free 127.0.0.1 port, for other
 * packages' tests: projects, issues and notes, repositories and hooks, with
 * GitLab's pagination and `RateLimit-*` headers; its data lives in memory and
 * starts afresh each time. Needs the optional peer dependency `@switchyard/testing`.
 *
 * @example
 * ```ts
 * const server = await startGitlabTestServer();
 * const gitlab = createGitlab({ baseURL: server.url, token: server.token, allowPrivateNetwork: true });
 * // ...
 * await server.stop();
 * ```
 */
export async function startGitlabTestServer(options: GitlabTestServerOptions = {}): Promise<GitlabTestServer> {
  const token = options.token ?? 'glpat-fake-token';
  const fake = await startGitlabFake({ token });
  return {
    url: fake.url,
    token,
    project: GITLAB_TEST_PROJECT,
    deleteIssue(project, issueId) {
      const found = fake.state.projects.find(
        (candidate) => candidate.json['path_with_namespace'] === project || String(candidate.json['id']) === project,
      );
      const index = found?.issues.findIndex((issue) => String(issue['iid']) === issueId) ?? -1;
      if (found === undefined || index < 0) return false;
      found.issues.splice(index, 1);
      return true;
    },
    stop: () => fake.close(),
  };
}
