import {
  AUTH_KINDS,
  IntegrationError,
  validateProviderManifest,
  type ProviderCategory,
  type ProviderManifest,
  type ProviderRequest,
  type SecretSet,
} from '@switchyard/core';
import type { Dispatcher } from 'undici';
import type { AuthStrategy } from './auth/auth-strategy';

/**
 * Settings every generic integration (`createRestIntegration`,
 * `createGraphQLIntegration`) shares: who the provider is and how its HTTP
 * client connects.
 */
export interface IntegrationSettings {
  /** Provider id, kebab-case, e.g. `acme-tracker`. Becomes the tool-name prefix. */
  readonly id: string;
  /** Human-readable name, e.g. `Acme Tracker`. */
  readonly name: string;
  /** The provider family, one of core's `PROVIDER_CATEGORIES`. */
  readonly category: ProviderCategory;
  /** The API's documentation; must be an `https` URL. */
  readonly docsUrl: string;
  /** How requests authenticate (`bearerAuth`, `apiKeyAuth`, ...). Default: none (manifest `authKinds: ['none']`). */
  readonly auth?: AuthStrategy | undefined;
  /**
   * The integration's secrets: its auth strategy keeps what it sends here,
   * its errors are redacted with them, and the provider carries the set as
   * `secrets`, so a hub redacts with it too. Add any other secret (a signing
   * key) yourself. Default: a new set.
   */
  readonly secrets?: SecretSet | undefined;
  /** The undici dispatcher requests go through. Default: one shared keep-alive pool per origin. */
  readonly dispatcher?: Dispatcher | undefined;
  /** Allow loopback and private addresses (tests, intranet APIs). Default `false` (SSRF guard). */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Headers sent with every request. Default: none beyond the client's `accept` and `user-agent`. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Per-request time limit in ms. Default: none (the hub's deadline applies through the call's signal). */
  readonly timeoutMs?: number | undefined;
  /** Documented rate limits, copied into the manifest. Default: none. */
  readonly rateLimits?: readonly { readonly requests: number; readonly intervalMs: number }[] | undefined;
  /** Cost per call by operation name, in US dollars, copied into the manifest. Default: none. */
  readonly costs?: Readonly<Record<string, number>> | undefined;
}

type AuthKind = (typeof AUTH_KINDS)[number];

/** Auth strategy kinds whose manifest auth kind is spelled differently. */
const AUTH_KIND_ALIASES: Readonly<Record<string, AuthKind>> = {
  'jwt-bearer': 'jwt',
  'signed-request': 'signature',
};

const OPERATION_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** `getIssue`, `get_issue` and `get-issue` all become the tool name `get_issue`. */
function toolNameOf(operation: string): string {
  return operation
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replaceAll('-', '_')
    .toLowerCase();
}

function invalid(settings: Pick<IntegrationSettings, 'id'>, message: string): IntegrationError {
  return new IntegrationError({
    kind: 'validation',
    message: `Invalid integration "${settings.id}": ${message}`,
    provider: settings.id,
    isRetryable: false,
  });
}

/** The manifest auth kind of a strategy: its `kind` when core knows it (or an alias of one), else a validation error. */
function authKindsOf(settings: IntegrationSettings): AuthKind[] {
  const kind = settings.auth?.kind;
  if (kind === undefined) return ['none'];
  const mapped = AUTH_KIND_ALIASES[kind] ?? (AUTH_KINDS as readonly string[]).find((known) => known === kind);
  if (mapped === undefined) throw invalid(settings, `auth strategy kind "${kind}" is not one of ${AUTH_KINDS.join(', ')}`);
  return [mapped as AuthKind];
}

/**
 * Checks a generic integration's declaration and builds its frozen manifest
 * (`capabilities: []`: the integration only offers provider-specific
 * operations). Throws a `validation` IntegrationError naming the bad field:
 * a non-https `docsUrl`, an operation name that is not an identifier, or two
 * operation names that become the same tool name (`getIssue` and `get_issue`).
 */
export function createIntegrationManifest(settings: IntegrationSettings, operationNames: readonly string[]): ProviderManifest {
  const seen = new Map<string, string>();
  for (const operation of operationNames) {
    if (!OPERATION_NAME.test(operation))
      throw invalid(settings, `operation name "${operation}" must start with a letter and hold only letters, digits, "_" and "-"`);
    const toolName = toolNameOf(operation);
    const earlier = seen.get(toolName);
    if (earlier !== undefined)
      throw invalid(settings, `duplicate operation "${operation}": "${earlier}" already becomes the tool "${toolName}"`);
    seen.set(toolName, operation);
  }
  let manifest: ProviderManifest;
  try {
    manifest = validateProviderManifest({
      id: settings.id,
      name: settings.name,
      category: settings.category,
      docsUrl: settings.docsUrl,
      capabilities: [],
      authKinds: authKindsOf(settings),
      ...(settings.rateLimits === undefined ? {} : { rateLimits: settings.rateLimits.map((limit) => ({ ...limit })) }),
      ...(settings.costs === undefined ? {} : { costs: { ...settings.costs } }),
    });
  } catch (error) {
    throw IntegrationError.isInstance(error) ? invalid(settings, error.message) : error;
  }
  Object.freeze(manifest.capabilities);
  Object.freeze(manifest.authKinds);
  if (manifest.rateLimits !== undefined) manifest.rateLimits.forEach((limit) => Object.freeze(limit));
  if (manifest.costs !== undefined) Object.freeze(manifest.costs);
  return Object.freeze(manifest);
}

/**
 * The `execute` of a generic integration: it lists no capabilities, so every
 * routed call rejects with an `unsupported` IntegrationError.
 */
export function rejectRoutedCall(provider: string, request: ProviderRequest): Promise<never> {
  return Promise.reject(
    new IntegrationError({
      kind: 'unsupported',
      message: `${provider} offers no routed capabilities; call its operations with hub.callProviderOperation() (got ${request.capability}.${request.operation})`,
      provider,
      operation: `${request.capability}.${request.operation}`,
      isRetryable: false,
    }),
  );
}
