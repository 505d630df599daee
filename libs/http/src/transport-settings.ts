import type { Dispatcher } from 'undici';

/**
 * The transport settings every HTTP provider takes, under these names, so a
 * test or a proxy points any provider somewhere else the same way. A
 * provider's settings extend this (SDK-based providers document the SDK's
 * equivalent of `dispatcher`).
 *
 * @example
 * ```ts
 * const acme = createAcme({ apiKey, baseURL: server.url, allowPrivateNetwork: true });
 * ```
 */
export interface HttpTransportSettings {
  /** Where requests go. Default: the provider's public API (each provider names its env var, e.g. `ACME_BASE_URL`). */
  readonly baseURL?: string | undefined;
  /**
   * The undici dispatcher requests go through (a `Pool`, `Agent`, `ProxyAgent`, `MockAgent`, ...).
   * Default: one shared keep-alive `Pool` per origin.
   */
  readonly dispatcher?: Dispatcher | undefined;
  /**
   * Allow `baseURL` to resolve to loopback, private or link-local addresses
   * (local peers in tests, a service on the host's own network). Default
   * `false`: such addresses are refused (SSRF guard).
   */
  readonly allowPrivateNetwork?: boolean | undefined;
}
