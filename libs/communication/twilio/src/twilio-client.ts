import { IntegrationError, loadOptionalSetting, registerSecret, type ProviderCallContext } from '@switchyard/core';
import { basicAuth, createHttpClient, type AuthStrategy, type HttpClient, type HttpErrorDetails, type HttpRequestOptions, type HttpResponse } from '@switchyard/http';
import type { TwilioProviderSettings } from './twilio-settings';

/**
 * Keeps Twilio's error code with the error: `{ code: 21211, message, more_info }`
 * becomes `details.twilioCode` and `details.moreInfo`, and its message is quoted.
 */
export function twilioErrorDetails(response: { readonly body: string }): HttpErrorDetails | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { code, message, more_info: moreInfo } = parsed as { code?: unknown; message?: unknown; more_info?: unknown };
  if (typeof code !== 'number') return undefined;
  return {
    message: typeof message === 'string' ? `${message} (Twilio error ${code})` : `Twilio error ${code}`,
    details: { twilioCode: code, ...(typeof moreInfo === 'string' && { moreInfo }) },
  };
}

/** What an operation hands the client: the call's signal. */
export type TwilioCallContext = Pick<ProviderCallContext, 'signal'>;

/** Sends requests below `/2010-04-01/Accounts/{AccountSid}` with basic auth and the call's signal. */
export interface TwilioClient {
  /** The account SID requests are made for. */
  readonly accountSid: () => string;
  request<T>(options: HttpRequestOptions<T>, context: TwilioCallContext): Promise<HttpResponse<T>>;
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

function authError(message: string): IntegrationError {
  return new IntegrationError({ kind: 'auth', message: `twilio: ${message}`, provider: 'twilio', isRetryable: false });
}

/** The account SID from settings or `TWILIO_ACCOUNT_SID`, undefined when neither is set. */
export function resolveAccountSid(settings: TwilioProviderSettings): string | undefined {
  return loadOptionalSetting({ settingValue: settings.accountSid, environmentVariableName: 'TWILIO_ACCOUNT_SID' });
}

/** The auth token from settings or `TWILIO_AUTH_TOKEN`, registered as a secret; undefined when neither is set. */
export function resolveAuthToken(settings: TwilioProviderSettings): string | undefined {
  const token = loadOptionalSetting({ settingValue: settings.authToken, environmentVariableName: 'TWILIO_AUTH_TOKEN' });
  registerSecret(token);
  return token;
}

/** Whether an account SID and a credential (auth token or API key) are configured. */
export function hasCredentials(settings: TwilioProviderSettings): boolean {
  return resolveAccountSid(settings) !== undefined && (settings.apiKey !== undefined || resolveAuthToken(settings) !== undefined);
}

function connect(settings: TwilioProviderSettings, baseURL: string): { client: HttpClient; accountSid: string } {
  const accountSid = resolveAccountSid(settings);
  if (accountSid === undefined) throw authError('no account SID: set accountSid or TWILIO_ACCOUNT_SID');
  if (!ACCOUNT_SID.test(accountSid)) throw authError('the account SID must be "AC" followed by 32 hex digits');
  const apiKey = settings.apiKey;
  registerSecret(apiKey?.apiKeySecret);
  const authToken = resolveAuthToken(settings);
  let auth: AuthStrategy;
  if (apiKey !== undefined) auth = basicAuth({ username: apiKey.apiKeySid, password: apiKey.apiKeySecret });
  else if (authToken !== undefined) auth = basicAuth({ username: accountSid, password: authToken });
  else throw authError('no credentials: set authToken (TWILIO_AUTH_TOKEN) or apiKey');
  const client = createHttpClient({
    baseURL: `${baseURL}/2010-04-01/Accounts/${accountSid}`,
    provider: 'twilio',
    auth,
    allowPrivateNetwork: settings.allowPrivateNetwork,
    dispatcher: settings.dispatcher,
    errorDetails: twilioErrorDetails,
  });
  return { client, accountSid };
}

/**
 * The REST client on `@switchyard/http`, created on first use. Errors come
 * from the shared mapper: Twilio's `{ code, message, more_info, status }`
 * body is classified by status (400 validation — 21211, 21608, 21610 among
 * them — 401 auth, 404 not_found, 429 rate_limit with `Retry-After`, 5xx
 * provider) and its `message` is quoted in the error.
 */
export function createTwilioClient(settings: TwilioProviderSettings, baseURL: string): TwilioClient {
  let connection: { client: HttpClient; accountSid: string } | undefined;
  const connected = () => (connection ??= connect(settings, baseURL));
  return {
    accountSid: () => connected().accountSid,
    request<T>(options: HttpRequestOptions<T>, context: TwilioCallContext) {
      return connected().client.request({ ...options, signal: context.signal });
    },
  };
}
