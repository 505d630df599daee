/**
 * Settings for `createSlack`. Every field is optional: secrets resolve from
 * the environment on first use, and a missing bot token fails the first call
 * with an `auth` error naming `SLACK_BOT_TOKEN`.
 */
export interface SlackProviderSettings {
  /**
   * The bot token (`xoxb-…`), sent as `Authorization: Bearer`. Registered as a
   * secret. Default: the `SLACK_BOT_TOKEN` environment variable.
   */
  readonly token?: string | undefined;
  /**
   * The app's signing secret, for verifying Events API and interactivity
   * requests (`X-Slack-Signature`). Registered as a secret. Default: the
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
   * The Web API base URL, ending in `/` (methods are appended: `<baseURL>chat.postMessage`).
   * Default: the `SLACK_API_URL` environment variable, else `https://slack.com/api/`.
   */
  readonly baseURL?: string | undefined;
  /**
   * The `fetch` the Web API client sends requests with (tests record or fault
   * requests through it). Default: `globalThis.fetch`.
   */
  readonly fetch?: typeof fetch | undefined;
}
