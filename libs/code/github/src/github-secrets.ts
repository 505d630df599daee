import { SecretSet } from '@switchyard/core';

/**
 * The secrets of one GitHub provider object: the values it was given (token,
 * webhook secret, app private key), GitHub's token formats (`ghp_…`, `gho_…`,
 * `ghu_…`, `ghs_…`, `ghr_…`, `github_pat_…`) and its webhook signature
 * headers. Installation tokens join it as they are fetched, one per
 * installation (`installation:<id>`), each replacing the one before.
 */
export function createGithubSecrets(values: readonly (string | undefined)[]): SecretSet {
  const secrets = new SecretSet();
  for (const value of values) secrets.add(value);
  secrets.addPattern(/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g);
  secrets.addPattern(/\bgithub_pat_[A-Za-z0-9_]{20,}\b/g);
  secrets.addSensitiveKey('x-hub-signature');
  secrets.addSensitiveKey('x-hub-signature-256');
  return secrets;
}
