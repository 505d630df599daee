import { SecretSet } from '@switchyard/core';

/**
 * The secrets of one AWS provider object, before any value joins it: the
 * session token as a header (`x-amz-security-token`) and in a presigned URL,
 * and the request signature wherever a service or proxy echoes the
 * Authorization header (`AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
 * Signature=<hex>`, SigV4a's longer hex signature too). A presigned URL's
 * `X-Amz-Signature` and `X-Amz-Credential` are core's generic query patterns.
 * The access key id and credential scope are not secret (AWS prints them in
 * its own errors) and stay readable. Static keys join when the settings are
 * resolved; keys from the SDK's default chain, each signed request's session
 * token and signature, as the SDK clients use them (`identity:<service>:…`).
 */
export function createAwsSecrets(): SecretSet {
  const secrets = new SecretSet();
  secrets.addSensitiveKey('x-amz-security-token');
  secrets.addPattern(/(?<=[?&]X-Amz-Security-Token=)[^&#\s]+/gi);
  secrets.addPattern(/(?<=\bSignature=)[0-9a-f]{16,}/gi);
  return secrets;
}
