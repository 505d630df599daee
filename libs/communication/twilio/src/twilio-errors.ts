import { createProviderErrors, type HttpErrorDetails } from '@switchyard/http';
import { twilioErrorSchema } from './twilio-api';

/**
 * Errors recorded on `twilio`, every message prefixed `twilio: `, whose text
 * is the provider's own (input checks, webhook refusals). Errors from
 * Twilio's answers are built by the HTTP client, which redacts them with the
 * provider's secrets.
 */
export const twilioErrors = createProviderErrors('twilio');

/**
 * Reads Twilio's error envelope for `@switchyard/http`'s `errorDetails`:
 * `{ code: 21211, message, more_info }` keeps `details.twilioCode` and
 * `details.moreInfo` and quotes the message with its code. No Twilio code is
 * given a kind of its own: each one means what its status means in the
 * shared table. A body that is not the envelope (or not JSON) leaves the
 * default reading.
 */
export function twilioErrorDetails(response: { readonly body: string }): HttpErrorDetails | undefined {
  const parsed = twilioErrorSchema.safeParse(JSON.parse(response.body));
  if (!parsed.success) return undefined;
  const { code, message, more_info: moreInfo } = parsed.data;
  return {
    message: message ? `${message} (Twilio error ${code})` : `Twilio error ${code}`,
    details: { twilioCode: code, ...(moreInfo ? { moreInfo } : {}) },
  };
}
