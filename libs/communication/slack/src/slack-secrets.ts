import { SecretSet } from '@switchyard/core';

/**
 * The secrets of one Slack provider object: the values it was given (bot
 * token, signing secret), Slack's token formats (`xoxb-…`, `xoxp-…`,
 * `xoxa-…`, `xoxr-…`, `xoxs-…`) and its `X-Slack-Signature` header. A bot
 * token read from `SLACK_BOT_TOKEN` on first use joins it as `bot-token`.
 */
export function createSlackSecrets(values: readonly (string | undefined)[]): SecretSet {
  const secrets = new SecretSet();
  for (const value of values) secrets.add(value);
  secrets.addPattern(/\bxox[abprs]-[A-Za-z0-9-]{10,}/g);
  secrets.addSensitiveKey('x-slack-signature');
  return secrets;
}
