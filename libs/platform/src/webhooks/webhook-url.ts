import { assertPublicHost, IntegrationError } from '@switchyard/core';

/** Options of {@link checkSubscriptionUrl}. */
export interface SubscriptionUrlOptions {
  /**
   * Allow loopback, private and link-local addresses, and plain `http:`, e.g.
   * for development or an in-cluster subscriber. Default: `false`.
   */
  readonly allowPrivateNetwork?: boolean | undefined;
}

function refuse(message: string, cause?: unknown): IntegrationError {
  return new IntegrationError({ kind: 'validation', message, isRetryable: false, cause });
}

/**
 * Checks an outbound webhook URL before it is stored or called: it must be
 * `https:` (or `http:` with `allowPrivateNetwork`), and, unless
 * `allowPrivateNetwork`, every address its host resolves to must be public
 * (the SSRF guard `assertPublicHost` of `@switchyard/core`). Rejects with a
 * `validation` `IntegrationError` saying why; a host that does not resolve
 * rejects with the lookup's error (kind `network`), which may pass later.
 *
 * @example
 * ```ts
 * await checkSubscriptionUrl(input.url); // before store.webhookSubscriptions.create(input)
 * ```
 */
export async function checkSubscriptionUrl(url: string, options: SubscriptionUrlOptions = {}): Promise<void> {
  const allowPrivateNetwork = options.allowPrivateNetwork ?? false;
  if (!URL.canParse(url)) throw refuse('The webhook URL is not a valid URL.');
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw refuse(`The webhook URL must be https: (it is ${parsed.protocol}).`);
  }
  if (allowPrivateNetwork) return;
  if (parsed.protocol !== 'https:') {
    throw refuse('The webhook URL must be https:; plain http: is allowed only with allowPrivateNetwork: true.');
  }
  try {
    await assertPublicHost(parsed.hostname);
  } catch (error) {
    if (IntegrationError.isInstance(error)) throw error;
    const code = (error as { code?: unknown }).code;
    throw new IntegrationError({
      kind: 'network',
      message: `Could not resolve the webhook host ${parsed.hostname}${typeof code === 'string' ? ` (${code})` : ''}.`,
      isRetryable: true,
      cause: error,
    });
  }
}
