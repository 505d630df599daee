import { SecretSet } from '@switchyard/core';

/**
 * The secrets of one Azure provider object, before any value joins it: the
 * key a function-host request carries (`x-functions-key`) and Shared Key
 * signatures (`SharedKey account:signature`, `SharedKeyLite` too) wherever a
 * service echoes the Authorization header. Keys, client secrets and SAS
 * tokens join when the settings are resolved (see {@link addSasToken}),
 * Resource Manager tokens as they are fetched.
 */
export function createAzureSecrets(): SecretSet {
  const secrets = new SecretSet();
  secrets.addSensitiveKey('x-functions-key');
  secrets.addPattern(/\bSharedKey(?:Lite)? [\w-]+:[A-Za-z0-9+/]+=*/g);
  return secrets;
}

/**
 * Keeps a SAS token (with or without its leading `?`) in `secrets`: the whole
 * token, and its signature on its own (the `sig` value) both as base64 and
 * URL-encoded, since a service quotes it bare ("Signature ... did not
 * match") where core's `sig=` pattern cannot see it.
 */
export function addSasToken(secrets: SecretSet, sasToken: string | undefined): void {
  if (sasToken === undefined) return;
  const token = sasToken.replace(/^\?/, '');
  secrets.add(token);
  for (const parameter of token.split('&')) {
    if (!parameter.startsWith('sig=')) continue;
    const encoded = parameter.slice('sig='.length);
    secrets.add(encoded);
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(encoded);
    } catch {
      // Not valid percent-encoding: the value is kept as written only.
    }
    secrets.add(decoded);
    if (decoded !== undefined) secrets.add(encodeURIComponent(decoded));
  }
}
