import { defineProvider, loadOptionalSetting, type ProviderV1, type ProviderWebhooks } from '@switchyard/core';
import { messagingV1 } from '@switchyard/core/messaging';
import { fetchThrough } from '@switchyard/http';
import { createSlackClient } from './slack-client';
import { slackErrors } from './slack-error';
import { createMessagingHandlers } from './slack-messaging';
import { createSlackSecrets } from './slack-secrets';
import type { SlackProviderSettings } from './slack-settings';
import { createSlackWebhooks } from './slack-webhooks';

export type { SlackProviderSettings } from './slack-settings';

/** The Slack provider: a complete provider object for `hub.register()`. */
export interface SlackProvider extends ProviderV1 {
  /** The Web API base URL (ending in `/`), after settings, environment and default are applied. */
  readonly baseURL: string;
  /** The channel a host posts to when a caller names none: `defaultChannel` or `SLACK_DEFAULT_CHANNEL`; undefined when unset. */
  readonly defaultChannel: string | undefined;
  /** Verifies Slack's `X-Slack-Signature` and normalizes Events API, interactivity and slash-command requests. */
  readonly webhooks: ProviderWebhooks;
  isConfigured(): boolean;
  /** Calls `auth.test`: proves the token is accepted. */
  healthCheck(context: { readonly signal: AbortSignal }): Promise<void>;
}

/**
 * Creates the Slack provider: the `messaging` capability on the Web API
 * through `@slack/web-api` (loaded on the first call; its retries off and
 * rate-limited calls rejected, so the hub decides), and inbound webhook
 * verification with the signing secret. Nothing is read or sent until an
 * operation is called.
 *
 * @example
 * ```ts
 * import { createSlack } from '@switchyard/slack';
 *
 * const slack = createSlack({ token: process.env.SLACK_BOT_TOKEN, signingSecret: process.env.SLACK_SIGNING_SECRET });
 * ```
 */
export function createSlack(settings: SlackProviderSettings = {}): SlackProvider {
  const configured =
    loadOptionalSetting({ settingValue: settings.baseURL, environmentVariableName: 'SLACK_API_URL' }) ?? 'https://slack.com/api/';
  const baseURL = configured.endsWith('/') ? configured : `${configured}/`;
  const signingSecret = loadOptionalSetting({ settingValue: settings.signingSecret, environmentVariableName: 'SLACK_SIGNING_SECRET' });
  const secrets = createSlackSecrets([settings.token, signingSecret]);
  const resolveToken = () => loadOptionalSetting({ settingValue: settings.token, environmentVariableName: 'SLACK_BOT_TOKEN' });
  const token = () => {
    const resolved = resolveToken();
    if (resolved === undefined)
      throw slackErrors.create({ kind: 'auth', message: 'no bot token: set token or SLACK_BOT_TOKEN', isRetryable: false });
    secrets.set('bot-token', resolved);
    return resolved;
  };
  const client = createSlackClient({ baseURL, token, fetch: fetchThrough(settings.dispatcher), secrets });
  return defineProvider({
    id: 'slack',
    name: 'Slack',
    category: 'communication',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/communication/slack#readme',
    authKinds: ['api-key'],
    capabilities: [{ contract: messagingV1, handlers: createMessagingHandlers(client) }],
    webhooks: createSlackWebhooks(() => loadOptionalSetting({ settingValue: settings.appId, environmentVariableName: 'SLACK_APP_ID' })),
    isConfigured: () => resolveToken() !== undefined,
    async healthCheck(context) {
      await client.call('auth.test', {}, context, 'healthCheck');
    },
    secrets,
    properties: {
      baseURL,
      defaultChannel: loadOptionalSetting({ settingValue: settings.defaultChannel, environmentVariableName: 'SLACK_DEFAULT_CHANNEL' }),
    },
  });
}
