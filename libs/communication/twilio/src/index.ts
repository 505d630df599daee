export { createTwilio, type TwilioApiKeySettings, type TwilioProvider, type TwilioProviderSettings } from './twilio-provider';
export { VERSION } from './version';
