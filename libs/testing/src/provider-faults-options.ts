import type { ErrorKind, ProviderCallContext, ProviderRequest, ProviderV1 } from '@switchyard/core';
import type { FaultResponse } from './fault-server';

/** The cases {@link testProviderFaults} runs; a provider may skip one only with a documented reason. */
export type ProviderFaultCase =
  | 'rate-limit-retry-after-seconds'
  | 'rate-limit-retry-after-date'
  | 'server-error'
  | 'bad-gateway'
  | 'unavailable'
  | 'unauthorized'
  | 'not-found'
  | 'connection-reset'
  | 'malformed-body'
  | 'deadline'
  | 'secret-at-excerpt-cut'
  | 'echoed-credentials';

/** Options for {@link testProviderFaults}. */
export interface TestProviderFaultsOptions {
  /** The provider's id, as its errors record it. */
  readonly provider: string;
  /** Builds the provider pointed at the fault server (`baseURL`), with the planted `secrets` as its credentials. */
  readonly create: (baseURL: string) => ProviderV1;
  /**
   * The routed call every case makes. Pick one whose success answer is JSON
   * (or XML) the provider parses. Give this or `call`. The secret cases
   * make it through a hub holding only this provider (no retries, no
   * breaker, no rate limits), to check the hub's events, logs, metrics and
   * health too.
   */
  readonly request?: ProviderRequest | undefined;
  /**
   * Any other call every case makes instead of `request`: a provider
   * operation or the health check, e.g. `(provider, { signal }) => provider.healthCheck!({ signal })`.
   */
  readonly call?: ((provider: ProviderV1, context: ProviderCallContext) => Promise<unknown>) | undefined;
  /** The route that call reaches on the server: `"METHOD /path"` or `"/path"`. */
  readonly route: string;
  /**
   * The error body the service sends with a status, so the provider's own
   * envelope reader runs: `{ body, headers }`. The secret cases put planted
   * secrets and echoed credentials in `message`, so a body that quotes it
   * as the service would (escaped, for XML) makes them meaningful.
   * Default: JSON `{ "message": ... }`.
   */
  readonly errorAnswer?: ((status: number, message: string) => Pick<FaultResponse, 'body' | 'headers'>) | undefined;
  /**
   * Credentials the provider was created with. No run of 8 characters of any
   * of them may appear in any error, nor in the events, log lines, metrics or
   * health of a hub the provider is registered in (docs/errors.md,
   * "Secrets"). Required by the `secret-at-excerpt-cut` case.
   */
  readonly secrets?: readonly string[] | undefined;
  /**
   * Cases that cannot apply to this provider, each with the reason a reader
   * sees in the skipped test's title, e.g. `{ 'malformed-body': 'getObject returns raw bytes' }`.
   */
  readonly skip?: Partial<Readonly<Record<ProviderFaultCase, string>>> | undefined;
  /**
   * Documented provider hints that change a case's expected kind (see
   * `classifyHttpStatus`), e.g. `{ unavailable: 'rate_limit' }` for a
   * service whose 503 is always a throttle. Default: none.
   */
  readonly expectedKinds?: Partial<Readonly<Record<ProviderFaultCase, ErrorKind>>> | undefined;
}
