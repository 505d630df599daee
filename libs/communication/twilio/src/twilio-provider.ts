import {
  defineProvider,
  loadOptionalSetting,
  withoutTrailingSlash,
  type ProviderOperation,
  type ProviderV1,
  type ProviderWebhooks,
} from '@switchyard/core';
import { messagingV1 } from '@switchyard/core/messaging';
import { createTwilioClient, hasCredentials, resolveAuthToken } from './twilio-client';
import { createMessagingHandlers, createStatusOperation } from './twilio-messaging';
import { createTwilioSecrets } from './twilio-secrets';
import type { TwilioProviderSettings } from './twilio-settings';
import { twilioWebhooks } from './twilio-webhooks';

export type { TwilioApiKeySettings, TwilioProviderSettings } from './twilio-settings';

/** The Twilio provider: a complete provider object for `hub.register()`. */
export interface TwilioProvider extends ProviderV1 {
  /** The API origin requests go to, after settings, environment and default are applied. */
  readonly baseURL: string;
  /** `getMessageStatus`: the delivery status of a sent message, by SID. */
  readonly operations: Readonly<Record<string, ProviderOperation>>;
  /** Verifies `X-Twilio-Signature`, reads form bodies, and answers incoming messages with empty TwiML. */
  readonly webhooks: ProviderWebhooks;
  /** Whether an account SID, a credential and a sender are configured. */
  isConfigured(): boolean;
  /** Fetches the account (`GET /2010-04-01/Accounts/{AccountSid}.json`): fails with `auth` on bad credentials. */
  healthCheck(context: { readonly signal: AbortSignal }): Promise<void>;
}

/**
 * Creates the Twilio provider on the REST API (2010-04-01): the `messaging`
 * capability's `sendMessage` to phone numbers as SMS, `getMessageStatus`, and
 * inbound webhook verification. SMS cannot reply in threads, edit, unsend or
 * list channels and users, so only `sendMessage` is declared. The REST
 * credentials resolve on the first call: `accountSid` (`TWILIO_ACCOUNT_SID`)
 * with `authToken` (`TWILIO_AUTH_TOKEN`) or `apiKey`.
 *
 * @example
 * ```ts
 * import { createTwilio } from '@switchyard/twilio';
 *
 * const twilio = createTwilio({ from: '+15017122661' }); // TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN from the environment
 * ```
 */
export function createTwilio(settings: TwilioProviderSettings = {}): TwilioProvider {
  const baseURL = withoutTrailingSlash(
    loadOptionalSetting({ settingValue: settings.baseURL, environmentVariableName: 'TWILIO_BASE_URL' }) ?? 'https://api.twilio.com',
  );
  const secrets = createTwilioSecrets([resolveAuthToken(settings), settings.apiKey?.apiKeySecret]);
  const client = createTwilioClient(settings, baseURL, secrets);
  return defineProvider({
    id: 'twilio',
    name: 'Twilio',
    category: 'communication',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/communication/twilio#readme',
    authKinds: ['basic', 'signature'],
    capabilities: [{ contract: messagingV1, handlers: createMessagingHandlers(client, settings) }],
    operations: { getMessageStatus: createStatusOperation(client) },
    webhooks: twilioWebhooks,
    isConfigured: () => hasCredentials(settings) && (settings.from !== undefined || settings.messagingServiceSid !== undefined),
    async healthCheck({ signal }) {
      await client.request({ path: '.json', responseType: 'none' }, { signal });
    },
    secrets,
    properties: { baseURL },
  });
}
