import type { HttpTransportSettings } from '@switchyard/http';

/**
 * Settings for `createSlack`. Every field is optional: secrets resolve from
 * the environment on first use, and a missing bot token fails the first call
 * with an `auth` error naming `SLACK_BOT_TOKEN`.
 *
 * Transport: `baseURL` and `dispatcher`, as every HTTP provider takes them.
 * There is no `allowPrivateNetwork`: `@slack/web-api` sends the requests and
 * no SSRF guard applies to the configured `baseURL`.
 */
export interface SlackProviderSettings extends Pick<HttpTransportSettings, 'baseURL' | 'dispatcher'> {
  /**
   * The bot token (`xoxb-…`), sent as `Authorization: Bearer`. Kept in the
   * provider's secrets (`provider.secrets`), so it is redacted.
   * Default: the `SLACK_BOT_TOKEN` environment variable.
   */
  readonly token?: string | undefined;
  /**
   * The app's signing secret, which Events API and interactivity requests
   * are signed with (`X-Slack-Signature`). Kept in the provider's secrets so
   * it is redacted, never exposed as a property: give the webhook receiver
   * the same value through its `secret` lookup. Default: the
   * `SLACK_SIGNING_SECRET` environment variable.
   */
  readonly signingSecret?: string | undefined;
  /**
   * The app id (`A…`). When set, verified Events API deliveries whose
   * `api_app_id` names another app are rejected. Default: the `SLACK_APP_ID`
   * environment variable, else no check.
   */
  readonly appId?: string | undefined;
  /**
   * The channel id a host posts to when a caller names none (exposed as
   * `provider.defaultChannel`; the messaging contract itself always takes a
   * recipient). Default: the `SLACK_DEFAULT_CHANNEL` environment variable.
   */
  readonly defaultChannel?: string | undefined;
  /**
   * The Web API base URL; a trailing `/` is added (methods are appended: `<baseURL>chat.postMessage`).
   * Default: the `SLACK_API_URL` environment variable, else `https://slack.com/api/`.
   */
  readonly baseURL?: string | undefined;
  /**
   * The undici dispatcher the Web API client's requests go through (a `ProxyAgent`, a `MockAgent`, a recording
   * dispatcher in tests), handed to `@slack/web-api` as its `fetch` by `fetchThrough`. Default: Node's global
   * `fetch` and its global dispatcher.
   */
  readonly dispatcher?: HttpTransportSettings['dispatcher'];
}
