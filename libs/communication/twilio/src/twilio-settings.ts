import type { HttpTransportSettings } from '@switchyard/http';

/**
 * An API key (Console → API keys) to authenticate with instead of the
 * account's auth token: sent as basic auth `apiKeySid:apiKeySecret`. Webhook
 * signatures are still made with the account's auth token.
 */
export interface TwilioApiKeySettings {
  /** The key's SID, `SK…`. */
  readonly apiKeySid: string;
  /** The key's secret. Kept in the provider's secrets (`provider.secrets`), so it is redacted. */
  readonly apiKeySecret: string;
}

/**
 * Settings for `createTwilio`. Authenticate with `authToken` (or
 * `TWILIO_AUTH_TOKEN`) or an `apiKey`, and send from a `from` number or a
 * `messagingServiceSid`. Transport settings as for every HTTP provider;
 * `baseURL` defaults to the `TWILIO_BASE_URL` environment variable, else
 * `https://api.twilio.com`.
 */
export interface TwilioProviderSettings extends HttpTransportSettings {
  /** The account SID, `AC…`; part of every API path. Default: the `TWILIO_ACCOUNT_SID` environment variable. */
  readonly accountSid?: string | undefined;
  /**
   * The account's auth token: basic auth password for the REST API (unless
   * `apiKey` is given) and the key webhook signatures are made with.
   * Kept in the provider's secrets, never exposed as a property: give the
   * webhook receiver the same value through its `secret` lookup.
   * Default: the `TWILIO_AUTH_TOKEN` environment variable.
   */
  readonly authToken?: string | undefined;
  /** An API key to call the REST API with instead of the auth token. Default: none. */
  readonly apiKey?: TwilioApiKeySettings | undefined;
  /** The sender: a Twilio phone number in E.164 form (`+15017122661`), short code or alphanumeric sender id. Default: none. */
  readonly from?: string | undefined;
  /** A Messaging Service (`MG…`) that picks the sender; sent as `MessagingServiceSid`, alongside `from` when both are set. Default: none. */
  readonly messagingServiceSid?: string | undefined;
  /** The URL Twilio posts status callbacks (`queued` → `sent` → `delivered`…) to, sent as `StatusCallback` with each message. Default: none. */
  readonly statusCallback?: string | undefined;
}
