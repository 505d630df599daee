import { loadOptionalSetting, type ProviderCallContext, type SecretSet } from '@switchyard/core';
import {
  basicAuth,
  createHttpClient,
  type AuthStrategy,
  type HttpClient,
  type HttpRequestOptions,
  type HttpResponse,
} from '@switchyard/http';
import { twilioErrorDetails, twilioErrors } from './twilio-errors';
import type { TwilioProviderSettings } from './twilio-settings';

/** What an operation hands the client: the call's signal. */
export type TwilioCallContext = Pick<ProviderCallContext, 'signal'>;

/** Sends requests below `/2010-04-01/Accounts/{AccountSid}` with basic auth and the call's signal. */
export interface TwilioClient {
  request<T>(options: HttpRequestOptions<T>, context: TwilioCallContext): Promise<HttpResponse<T>>;
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

const authError = (message: string) => twilioErrors.create({ kind: 'auth', message, isRetryable: false });

/** The account SID from settings or `TWILIO_ACCOUNT_SID`, undefined when neither is set. */
export function resolveAccountSid(settings: TwilioProviderSettings): string | undefined {
  return loadOptionalSetting({ settingValue: settings.accountSid, environmentVariableName: 'TWILIO_ACCOUNT_SID' });
}

/** The auth token from settings or `TWILIO_AUTH_TOKEN`; undefined when neither is set. */
export function resolveAuthToken(settings: TwilioProviderSettings): string | undefined {
  return loadOptionalSetting({ settingValue: settings.authToken, environmentVariableName: 'TWILIO_AUTH_TOKEN' });
}

/** Whether an account SID and a credential (auth token or API key) are configured. */
export function hasCredentials(settings: TwilioProviderSettings): boolean {
  return resolveAccountSid(settings) !== undefined && (settings.apiKey !== undefined || resolveAuthToken(settings) !== undefined);
}

function connect(settings: TwilioProviderSettings, baseURL: string, secrets: SecretSet): HttpClient {
  const accountSid = resolveAccountSid(settings);
  if (accountSid === undefined) throw authError('no account SID: set accountSid or TWILIO_ACCOUNT_SID');
  if (!ACCOUNT_SID.test(accountSid)) throw authError('the account SID must be "AC" followed by 32 hex digits');
  const apiKey = settings.apiKey;
  const authToken = resolveAuthToken(settings);
  secrets.set('auth-token', authToken);
  let auth: AuthStrategy;
  if (apiKey !== undefined) auth = basicAuth({ username: apiKey.apiKeySid, password: apiKey.apiKeySecret });
  else if (authToken !== undefined) auth = basicAuth({ username: accountSid, password: authToken });
  else throw authError('no credentials: set authToken (TWILIO_AUTH_TOKEN) or apiKey');
  return createHttpClient({
    baseURL: `${baseURL}/2010-04-01/Accounts/${accountSid}`,
    provider: twilioErrors.provider,
    auth,
    allowPrivateNetwork: settings.allowPrivateNetwork,
    dispatcher: settings.dispatcher,
    errorDetails: twilioErrorDetails,
    secrets,
  });
}

/**
 * The REST client on `@switchyard/http`, created on first use. Error answers
 * are classified by the shared status table, with Twilio's envelope read by
 * {@link twilioErrorDetails}, and redacted with the provider's `secrets`.
 */
export function createTwilioClient(settings: TwilioProviderSettings, baseURL: string, secrets: SecretSet): TwilioClient {
  let client: HttpClient | undefined;
  return {
    request<T>(options: HttpRequestOptions<T>, context: TwilioCallContext) {
      client ??= connect(settings, baseURL, secrets);
      return client.request({ ...options, signal: context.signal });
    },
  };
}
