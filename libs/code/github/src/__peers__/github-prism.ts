import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startPrism, type Prism } from '@switchyard/testing';

/**
 * Starts Prism 5.14 serving GitHub's official OpenAPI description
 * (`@octokit/openapi`'s `generated/api.github.com.json`, 13 MB: about 15 s and
 * 300 MB to load) on a free 127.0.0.1 port, as a validating proxy in front of
 * `upstream` (the wire-protocol fake): every request the provider sends and
 * every answer it gets is checked against the description, and a violation
 * fails the exchange (Prism's 422 for a request, 500 for a response).
 *
 * The description is used as published except for one mechanical rewrite:
 * Prism's validator cannot compile `nullable: true` without a `type` (135
 * schemas, among them the issue and most response bodies) and then skips the
 * check silently; `startPrism` serves a copy that rewrites those to
 * "the schema, or null" so they are checked.
 */
export async function startGithubPrism(upstream: string): Promise<Prism> {
  const require = createRequire(import.meta.url);
  const prism = await startPrism({
    name: 'GitHub OpenAPI',
    spec: join(dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json'),
    upstream,
    readyPath: '/zen',
    missingHint: 'Install the dev dependencies @stoplight/prism-cli@5.14.2 and @octokit/openapi.',
  });
  return prism;
}
