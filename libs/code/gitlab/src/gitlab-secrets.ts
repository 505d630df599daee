import { SecretSet } from '@switchyard/core';

/**
 * The secrets of one GitLab provider object: the values it was given (tokens,
 * the OAuth2 application secret and refresh token, the webhook token),
 * GitLab's personal access token format (`glpat-…`) and the `X-Gitlab-Token`
 * webhook header. OAuth2 tokens join it as they are fetched (`oauth2:access`,
 * `oauth2:refresh`), each replacing the one before.
 */
export function createGitlabSecrets(values: readonly (string | undefined)[]): SecretSet {
  const secrets = new SecretSet();
  for (const value of values) secrets.add(value);
  secrets.addPattern(/\bglpat-[A-Za-z0-9_-]{20,}/g);
  secrets.addSensitiveKey('x-gitlab-token');
  return secrets;
}
