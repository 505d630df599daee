import { SecretSet } from '@switchyard/core';

/**
 * The secrets of one Twilio provider object: the values it was given (auth
 * token, API key secret) and the `X-Twilio-Signature` webhook header. Twilio's
 * auth tokens have no prefix to recognize them by, so only the values are
 * kept; an auth token read from `TWILIO_AUTH_TOKEN` when the client connects
 * joins it as `auth-token`.
 */
export function createTwilioSecrets(values: readonly (string | undefined)[]): SecretSet {
  const secrets = new SecretSet();
  for (const value of values) secrets.add(value);
  secrets.addSensitiveKey('x-twilio-signature');
  return secrets;
}
