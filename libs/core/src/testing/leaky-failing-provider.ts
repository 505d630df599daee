import { IntegrationError } from '../errors/integration-error';
import { SecretSet } from '../errors/redact';
import type { ProviderV1 } from '../provider/provider';

/** A provider from {@link createLeakyFailingProvider}: the operations it was asked to run, in order. */
export interface LeakyFailingProvider extends ProviderV1 {
  readonly calls: string[];
}

/**
 * `base` made to hold `secret` (in its `secrets`) and to fail every call with
 * a `network` error whose message quotes it, as careless SDKs do: for tests
 * that a surface (MCP, the HTTP API) fails over from it and never shows the
 * secret. `calls` lists the operations it was asked to run.
 *
 * @example
 * ```ts
 * const primary = createLeakyFailingProvider(createMemoryStorageProvider({ id: 'primary' }), 'sk_live_planted');
 * ```
 */
export function createLeakyFailingProvider(base: ProviderV1, secret: string): LeakyFailingProvider {
  const secrets = new SecretSet();
  secrets.add(secret);
  const calls: string[] = [];
  return {
    ...base,
    secrets,
    calls,
    execute: (request) => {
      calls.push(request.operation);
      return Promise.reject(
        new IntegrationError({
          kind: 'network',
          message: `PUT https://${base.manifest.id}.example.test/?key=${secret} failed: connection reset`,
          provider: base.manifest.id,
        }),
      );
    },
  };
}
